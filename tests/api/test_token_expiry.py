"""Tokens expire: older than API_TOKEN_DAYS (30 unless set) a token is refused with a JSON 401 saying
so, and asking /api/v1/token/ again gives a new key in place of the old one."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tests.factories import PASSWORD, PersonFactory

pytestmark = pytest.mark.django_db


def aged(person, days: float) -> Token:
    token = Token.objects.create(user=person)
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - timedelta(days=days))
    return token


def get(client, token):
    return client.get("/api/v1/tasks/", HTTP_AUTHORIZATION=f"Token {token.key}")


def ask(client, person):
    return client.post("/api/v1/token/", {"username": person.username, "password": PASSWORD})


def test_a_token_within_thirty_days_works_and_is_given_again(client):
    person = PersonFactory()
    token = aged(person, 29)
    assert get(client, token).status_code == 200
    assert ask(client, person).json() == {"token": token.key}


def test_an_expired_token_is_refused_and_a_new_one_issued(client):
    person = PersonFactory()
    old = aged(person, 31)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    refused = get(client, old)
    assert refused.status_code == 401 and refused["WWW-Authenticate"] == "Token"
    assert "expired" in refused.json()["message"] and refused.json()["code"] == "authentication_failed"
    answer = ask(client, person)
    assert answer.status_code == 200 and answer.json()["token"] != old.key
    assert not Token.objects.filter(key=old.key).exists()
    assert get(client, Token.objects.get(user=person)).status_code == 200


def test_the_lifetime_is_a_setting(client, settings):
    person = PersonFactory()
    token = aged(person, 2)
    settings.API_TOKEN_DAYS = 1
    assert get(client, token).status_code == 401
    settings.API_TOKEN_DAYS = None  # never
    assert get(client, aged(PersonFactory(), 3650)).status_code == 200


def test_the_expired_message_is_thai_by_default(client):
    refused = get(client, aged(PersonFactory(), 31))
    assert refused.json()["message"] == "โทเค็นนี้หมดอายุแล้ว กรุณาขอโทเค็นใหม่ที่ POST /api/v1/token/"
