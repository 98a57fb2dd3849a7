"""Tokens expire: a token lives API_TOKEN_DAYS (30 unless set; None: never), then it is refused with a
JSON 401 saying so and POST /api/v1/token/ gives a new one. A key issued before scoped tokens (DRF's
authtoken) still works until it is API_TOKEN_DAYS old."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token

from api import tokens
from api.models import ApiToken
from tests.factories import PASSWORD, PersonFactory

pytestmark = pytest.mark.django_db


def legacy(person, days: float) -> Token:
    token = Token.objects.create(user=person)
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - timedelta(days=days))
    return token


def get(client, key: str):
    return client.get("/api/v1/tasks/", HTTP_AUTHORIZATION=f"Token {key}")


def ask(client, person):
    return client.post("/api/v1/token/", {"username": person.username, "password": PASSWORD})


def test_a_token_works_until_it_expires_then_a_new_one_is_issued(client):
    person = PersonFactory()
    key = ask(client, person).json()["token"]
    assert get(client, key).status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    refused = get(client, key)
    assert refused.status_code == 401 and refused["WWW-Authenticate"] == "Token"
    assert "expired" in refused.json()["message"] and refused.json()["code"] == "authentication_failed"
    fresh = ask(client, person).json()["token"]
    assert fresh != key and get(client, fresh).status_code == 200


def test_the_lifetime_is_a_setting(client, settings):
    settings.API_TOKEN_DAYS = 1
    person = PersonFactory()
    ask(client, person)
    token = ApiToken.objects.get(user=person)
    assert timedelta(hours=23) < token.expires_at - timezone.now() <= timedelta(days=1)
    settings.API_TOKEN_DAYS = None  # never
    ask(client, person)
    assert ApiToken.objects.filter(user=person, expires_at__isnull=True).count() == 1


def test_a_legacy_key_works_within_its_days_and_is_refused_after(client):
    assert get(client, legacy(PersonFactory(), 29).key).status_code == 200
    assert get(client, legacy(PersonFactory(), 31).key).status_code == 401


def test_a_legacy_key_is_revoked_by_delete(client):
    token = legacy(PersonFactory(), 1)
    assert client.delete("/api/v1/token/", HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 204
    assert not Token.objects.exists()


def test_the_expired_message_is_thai_by_default(client):
    person = PersonFactory()
    token, key = tokens.token_issue(user=person, scopes=["read"])
    ApiToken.objects.update(expires_at=timezone.now())
    refused = get(client, key)
    assert refused.json()["message"] == "โทเค็นนี้หมดอายุแล้ว กรุณาขอโทเค็นใหม่ที่ POST /api/v1/token/"
