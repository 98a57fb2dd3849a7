"""Scoped, expiring, revocable tokens: a person's from POST /api/v1/token/, a service account's from the
admin; a call outside a token's scopes is a 403 scope_missing and changes nothing; DELETE on the token
endpoint revokes the token it is called with; the administrator revokes any token."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from api import tokens
from api.models import ApiToken, ServiceAccount
from registry.models import SelfReport
from tests.factories import PASSWORD, PersonFactory
from workflows.models import AuditEntry

pytestmark = pytest.mark.django_db


def auth(key):
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def ask(client, person, **extra):
    return client.post(
        "/api/v1/token/", {"username": person.username, "password": PASSWORD, **extra}, content_type="application/json"
    )


def test_a_person_gets_a_new_token_with_every_scope_and_an_expiry(client):
    person = PersonFactory()
    answer = ask(client, person)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["scopes"] == sorted(tokens.SCOPES)
    token = ApiToken.objects.get(user=person)
    assert token.digest == tokens.digest_of(body["token"]) and body["token"] not in (token.digest, token.prefix)
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    assert client.get("/api/v1/tasks/", **auth(body["token"])).status_code == 200


def test_a_read_only_token_gets_403_scope_missing_on_a_write_and_nothing_changes(client, songkhla):
    key = ask(client, songkhla.inspector, scopes=["read"]).json()["token"]
    assert client.get("/api/v1/selfreports/", **auth(key)).status_code == 200
    refused = client.post("/api/v1/selfreports/", {}, content_type="application/json", **auth(key))
    assert refused.status_code == 403
    assert refused.json()["code"] == "scope_missing" and refused.json()["fields"] == {}
    assert SelfReport.objects.count() == 0
    write_only = ask(client, songkhla.inspector, scopes=["selfreports:write"]).json()["token"]
    assert client.get("/api/v1/selfreports/", **auth(write_only)).json()["code"] == "scope_missing"


def test_an_unknown_scope_is_a_400(client):
    answer = ask(client, PersonFactory(), scopes=["everything"])
    assert answer.status_code == 400 and "scopes.0" in answer.json()["fields"]
    assert not ApiToken.objects.exists()


def test_delete_revokes_the_token_it_is_called_with_only(client):
    person = PersonFactory()
    first, second = ask(client, person).json()["token"], ask(client, person).json()["token"]
    assert client.delete("/api/v1/token/", **auth(first)).status_code == 204
    refused = client.get("/api/v1/tasks/", **auth(first), HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 401 and "revoked" in refused.json()["message"]
    assert client.get("/api/v1/tasks/", **auth(second)).status_code == 200
    assert client.delete("/api/v1/token/").status_code == 401


def test_an_expired_token_is_refused(client):
    person = PersonFactory()
    key = ask(client, person).json()["token"]
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    refused = client.get("/api/v1/tasks/", **auth(key))
    assert refused.status_code == 401 and refused.json()["code"] == "authentication_failed"


def test_the_administrator_registers_a_system_issues_its_token_once_and_revokes_it(admin_client):
    added = admin_client.post(reverse("admin:api_serviceaccount_add"), {"name": "iSingleForm", "note": "กรอ."})
    assert added.status_code == 302
    account = ServiceAccount.objects.get(name="iSingleForm")
    assert account.person.username == "svc-isingleform" and not account.person.has_usable_password()
    issued = admin_client.post(
        reverse("admin:api_apitoken_add"),
        {"service_account": account.pk, "name": "push", "scopes": ["read", "selfreports:write"]},
    )
    assert issued.status_code == 302, issued.content[:2000]
    token = ApiToken.objects.get(user=account.person)
    assert token.scopes == ["read", "selfreports:write"]
    shown = [str(m) for m in get_messages(issued.wsgi_request)]
    key = next(text.rsplit(" ", 1)[1] for text in shown if token.prefix in text)
    assert tokens.digest_of(key) == token.digest
    assert admin_client.get("/api/v1/selfreports/", **auth(key)).status_code == 200
    revoked = admin_client.post(
        reverse("admin:api_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]}
    )
    assert revoked.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert admin_client.get("/api/v1/selfreports/", **auth(key)).status_code == 401
    actions = set(AuditEntry.objects.filter(chain=f"person:{account.person.pk}").values_list("action", flat=True))
    assert actions == {"admin.apitoken.issue", "admin.apitoken.revoke"}


def test_a_persons_token_is_never_made_in_the_admin(admin_client):
    person = PersonFactory()
    response = admin_client.post(reverse("admin:api_apitoken_add"), {"service_account": "", "scopes": ["read"]})
    assert response.status_code == 200 and not ApiToken.objects.exists()
    assert "user" not in response.context["adminform"].form.fields
    assert person.api_tokens.count() == 0
