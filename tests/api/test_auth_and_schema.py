"""Authentication of the API: JSON 401 (never a redirect to the login page) for anonymous callers,
tokens from /api/token/, and an OpenAPI schema that generates without warnings."""

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from api import tokens
from api.models import ApiToken
from tests.factories import PASSWORD, PersonFactory

pytestmark = pytest.mark.django_db

PRIVATE = ["/api/factories/", "/api/cases/", "/api/tasks/", "/api/selfreports/", "/api/factories/1/", "/api/cases/1/"]


@pytest.mark.parametrize("url", PRIVATE)
def test_anonymous_gets_401_json_not_a_login_redirect(client, url):
    response = client.get(url)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"


def test_anonymous_cannot_file_a_selfreport(client):
    response = client.post("/api/selfreports/", {}, content_type="application/json")
    assert response.status_code == 401


def test_token_for_username_and_password_then_used_on_a_list(client, songkhla):
    response = client.post(
        "/api/token/", {"username": songkhla.head.username, "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200
    key = response.json()["token"]
    assert ApiToken.objects.get(digest=tokens.digest_of(key)).user == songkhla.head
    listed = client.get("/api/tasks/", HTTP_AUTHORIZATION=f"Token {key}")
    assert listed.status_code == 200 and listed.json()["count"] == 0


def test_wrong_password_gets_no_token(client):
    person = PersonFactory()
    response = client.post("/api/token/", {"username": person.username, "password": "wrong"})
    assert response.status_code == 400
    assert "non_field_errors" in response.json()["fields"]
    assert not ApiToken.objects.exists()


def test_guessing_passwords_is_stopped_after_ten_tries_a_minute(client):
    person = PersonFactory()
    tries = [  # a forged X-Forwarded-For does not make the caller someone new
        client.post(
            "/api/token/", {"username": person.username, "password": f"guess{i}"}, HTTP_X_FORWARDED_FOR=f"10.0.0.{i}"
        )
        for i in range(11)
    ]
    assert [r.status_code for r in tries] == [400] * 10 + [429]
    right = client.post("/api/token/", {"username": person.username, "password": PASSWORD})
    assert right.status_code == 429 and not ApiToken.objects.exists()  # not even the right one, for a minute


def test_an_unknown_token_is_refused(client):
    response = client.get("/api/factories/", HTTP_AUTHORIZATION="Token 0123456789abcdef")
    assert response.status_code == 401


def test_inactive_person_token_is_refused(client):
    person = PersonFactory(is_active=False)
    token = Token.objects.create(user=person)
    assert client.get("/api/factories/", HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 401


def test_schema_generates_valid_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    for path in ["/api/v1/factories/", "/api/v1/cases/{id}/", "/api/v1/tasks/", "/api/v1/selfreports/",
                 "/api/v1/complaints/", "/api/v1/complaints/status/{tracking_no}/", "/api/v1/token/"]:  # fmt: skip
        assert f"  {path}:" in text, path


def test_schema_is_served_as_json_without_login(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Kamkap API"
