import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from project.env import env_bool, env_database, env_int

ROOT = Path(__file__).resolve().parents[2]


def test_bad_boolean_fails_with_the_variable_named(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe'"):
        env_bool("DEBUG", True)


def test_bad_number_fails(monkeypatch):
    monkeypatch.setenv("IMPORT_MAX_BYTES", "ten")
    with pytest.raises(ImproperlyConfigured, match="IMPORT_MAX_BYTES"):
        env_int("IMPORT_MAX_BYTES", 1)


def test_unsupported_database_fails(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/x")
    with pytest.raises(ImproperlyConfigured, match="only SQLite and PostgreSQL"):
        env_database("DATABASE_URL", "sqlite:///x")


def test_sqlite_uses_immediate_transactions_and_wal():
    config = env_database("NO_SUCH_VARIABLE", "sqlite:///tmp.db")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_production_without_secret_key_refuses_to_start():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL")}
    env.update(DEBUG="false", DJANGO_SETTINGS_MODULE="project.settings")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    "cache_url, backend", [("", "LocMemCache"), ("redis://127.0.0.1:6379/1", "ResilientRedisCache")]
)
def test_cache_url_chooses_a_shared_cache(cache_url, backend):
    """Who fills a role and the API throttles are only shared between processes through CACHE_URL."""
    env = {**os.environ, "CACHE_URL": cache_url, "DJANGO_SETTINGS_MODULE": "project.settings"}
    code = (
        "import django; django.setup(); from django.core.cache import caches; print(type(caches['default']).__name__)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == backend
