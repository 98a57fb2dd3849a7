"""One error shape for the whole API — {code, message, fields} — whatever refused the request (no
credentials, a bad token, permission, a bad field or parameter, a domain rule, a throttle, an unknown
path), its message in Thai unless the client asks for English with Accept-Language; and the schema
documents that one shape for every error response."""

import pytest
from django.conf import settings

from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

SHAPE = {"code", "message", "fields"}


def error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == SHAPE and body["code"] == code and body["message"], body
    return body


def test_every_refusal_has_the_one_shape(client, songkhla):
    error(client.get("/api/v1/cases/"), 401, "not_authenticated")
    error(client.get("/api/v1/cases/", HTTP_AUTHORIZATION="Token nosuchkey"), 401, "authentication_failed")
    client.force_login(songkhla.officer)
    error(client.get("/api/v1/results/"), 403, "permission_denied")
    error(client.get("/api/v1/cases/999999/"), 404, "not_found")
    error(client.get("/api/v1/nothing-here/"), 404, "not_found")
    error(client.delete("/api/v1/cases/"), 405, "method_not_allowed")
    bad = error(client.get("/api/v1/cases/", {"is_open": "maybe", "colour": "red"}), 400, "invalid")
    assert set(bad["fields"]) == {"colour"}  # an unknown parameter is refused before the filters are read
    malformed = client.post("/api/v1/selfreports/", "{not json", content_type="application/json")
    assert error(malformed, 400, "parse_error")["fields"] == {}


def test_a_body_that_is_not_json_nor_a_form_is_refused_in_the_shape(client, songkhla):
    client.force_login(songkhla.officer)
    error(client.post("/api/v1/selfreports/", "x", content_type="text/plain"), 415, "unsupported_media_type")


def test_throttled_in_the_shape_with_retry_after(client):
    person = PersonFactory()
    for i in range(10):
        client.post("/api/v1/token/", {"username": person.username, "password": f"guess{i}"})
    response = client.post("/api/v1/token/", {"username": person.username, "password": "again"})
    error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0


def test_wrong_credentials_are_a_whole_request_message_and_a_field(client):
    person = PersonFactory()
    body = error(client.post("/api/v1/token/", {"username": person.username, "password": "wrong"}), 400, "invalid")
    assert body["message"] == body["fields"]["non_field_errors"][0]


def test_thai_by_default_english_by_accept_language(client, songkhla):
    client.force_login(songkhla.officer)
    thai = error(client.get("/api/v1/cases/", {"is_open": "maybe"}), 400, "invalid")
    assert thai["fields"] == {"is_open": ["กรุณาระบุ true หรือ false"]}
    english = client.get("/api/v1/cases/", {"is_open": "maybe"}, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").json()
    assert english["fields"] == {"is_open": ["Enter true or false."]} and english["code"] == thai["code"]
    assert english["message"] != thai["message"]
    assert error(client.get("/api/v1/cases/999999/", HTTP_ACCEPT_LANGUAGE="en"), 404, "not_found")["message"] == (
        "Not found."
    )
    assert client.get("/api/v1/cases/", {"is_open": "x"}, HTTP_ACCEPT_LANGUAGE="th").json()["fields"] == thai["fields"]


def test_the_web_pages_stay_thai_whatever_the_browser_asks(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "เข้าสู่ระบบ" in page


def test_the_language_cookie_still_chooses_english(client, songkhla):
    client.force_login(songkhla.officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert error(client.get("/api/v1/cases/999999/"), 404, "not_found")["message"] == "Not found."


def test_the_schema_documents_one_error_shape_for_every_error_response(client):
    document = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    component = document["components"]["schemas"]["Error"]
    assert set(component["required"]) == SHAPE
    assert "FieldErrors" not in document["components"]["schemas"]
    seen = set()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status.startswith("4"):
                    seen.add(status)
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}, (path, method, status)
    assert {"400", "401", "403", "404", "409", "422", "429"} <= seen


def test_a_body_over_the_cap_is_a_413_too_large_in_the_shape_and_documented(client, songkhla, settings):
    settings.REQUEST_MAX_BYTES = 1024
    client.force_login(songkhla.head)
    response = client.post("/api/v1/cases/", b"{}", content_type="application/json", CONTENT_LENGTH="2048")
    error(response, 413, "too_large")
    paths = client.get("/api/v1/schema/?format=json").json()["paths"]
    with_body = [(path, method) for path, ops in paths.items() for method in ops if method in ("post", "put", "patch")]
    assert len(with_body) >= 14
    for path, method in with_body:
        documented = paths[path][method]["responses"].get("413", {})
        assert documented["content"]["application/json"]["schema"]["$ref"].endswith("/Error"), (method, path)
