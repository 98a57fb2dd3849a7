"""Idle timeout and the HTTPS settings, all from the environment; `check --deploy` is clean with
production values."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from tests.factories import PersonFactory

ROOT = Path(__file__).resolve().parents[2]
HOME = "/"


def signed_in(client) -> bool:
    response = client.get(HOME)
    return response.status_code == 200


@pytest.fixture
def person(db, time_machine):
    time_machine.move_to("2026-11-16 10:00 +07:00")
    return PersonFactory()


def test_an_idle_session_ends_after_thirty_minutes(client, person, time_machine, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client.force_login(person)
    assert signed_in(client)
    time_machine.shift(timedelta(minutes=31))
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_working_session_stays_open(client, person, time_machine, settings):
    client.force_login(person)
    for _ in range(6):  # an hour of work, a page every ten minutes
        time_machine.shift(timedelta(minutes=10))
        assert signed_in(client)
    key = client.session.session_key
    expires = Session.objects.get(session_key=key).expire_date
    assert expires - timezone.now() > timedelta(minutes=29)
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 30 * 60


def test_the_session_is_written_at_most_once_a_minute(client, person, time_machine):
    client.force_login(person)
    key = client.session.session_key
    first = Session.objects.get(session_key=key).expire_date
    signed_in(client)
    assert Session.objects.get(session_key=key).expire_date == first  # the log-in just set it
    time_machine.shift(timedelta(seconds=20))
    signed_in(client)
    assert Session.objects.get(session_key=key).expire_date == first  # not renewed: no write
    time_machine.shift(timedelta(seconds=50))
    signed_in(client)
    assert Session.objects.get(session_key=key).expire_date > first


def settings_in_subprocess(env_overrides: dict, code: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "SESSION_", "PROXY_"))}
    env.update(DJANGO_SETTINGS_MODULE="project.settings", DATABASE_URL="", **env_overrides)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.conf import settings; {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_idle_timeout_comes_from_the_environment():
    result = settings_in_subprocess({"SESSION_IDLE_MINUTES": "45"}, "print(settings.SESSION_COOKIE_AGE)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2700"


@pytest.mark.parametrize("value", ["half an hour", "0", "-5"])
def test_a_bad_idle_timeout_fails_loudly(value):
    result = settings_in_subprocess({"SESSION_IDLE_MINUTES": value}, "print(settings.SESSION_COOKIE_AGE)")
    assert result.returncode != 0
    assert "SESSION_IDLE_MINUTES" in result.stderr


def test_https_settings_come_from_the_environment():
    env = {
        "PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
        "SECURE_SSL_REDIRECT": "true",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "yes",
        "SECURE_HSTS_PRELOAD": "1",
        "CSRF_TRUSTED_ORIGINS": "https://kamkap.example.go.th",
    }
    code = (
        "print(settings.SECURE_PROXY_SSL_HEADER, settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS,"
        " settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_HSTS_PRELOAD, settings.CSRF_TRUSTED_ORIGINS)"
    )
    result = settings_in_subprocess(env, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "('HTTP_X_FORWARDED_PROTO', 'https') True 31536000 True True ['https://kamkap.example.go.th']"
    )


def test_the_demo_defaults_stay_plain_http():
    code = "print(settings.SECURE_PROXY_SSL_HEADER, settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS)"
    result = settings_in_subprocess({}, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "None False 0"


@pytest.mark.parametrize("value", ["X-Forwarded-Proto", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_PROTO,https,x"])
def test_a_malformed_proxy_header_fails_loudly(value):
    result = settings_in_subprocess({"PROXY_SSL_HEADER": value}, "print(settings.SECURE_PROXY_SSL_HEADER)")
    assert result.returncode != 0 and "PROXY_SSL_HEADER" in result.stderr


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "kamkap-production-" + "k3y-" * 16,
    "ALLOWED_HOSTS": "kamkap.example.go.th",
    "CSRF_TRUSTED_ORIGINS": "https://kamkap.example.go.th",
    "PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
}


def deploy_check(env_overrides: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "SESSION_", "PROXY_", "DEBUG"))}
    env.update(DATABASE_URL="", **env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_deploy_is_clean_with_production_values():
    result = deploy_check(PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_names_hsts_and_the_redirect_when_left_out():
    production = {k: v for k, v in PRODUCTION.items() if not k.startswith("SECURE_")}
    result = deploy_check(production)
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout and "security.W008" in result.stderr + result.stdout
