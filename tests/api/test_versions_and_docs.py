"""/api/v1/: every endpoint under it, the unversioned /api/ paths kept as aliases of the same views;
its OpenAPI document passes openapi-spec-validator and documents the errors really answered; a
Swagger UI page whose every asset is one of our own static files (no CDN)."""

import html
import re

import pytest
from django.conf import settings
from openapi_spec_validator import validate

from tests.factories import FactoryFactory

pytestmark = pytest.mark.django_db

SCHEMA = "/api/v1/schema/"


@pytest.fixture
def document(client) -> dict:
    response = client.get(SCHEMA, HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_the_served_document_passes_openapi_spec_validator(document):
    validate(document)  # raises on any error
    assert document["openapi"].startswith("3.")


def test_the_document_describes_v1_only(document):
    assert document["paths"] and all(path.startswith("/api/v1/") for path in document["paths"])
    for path in ["/api/v1/factories/", "/api/v1/cases/{id}/", "/api/v1/tasks/", "/api/v1/selfreports/",
                 "/api/v1/complaints/", "/api/v1/complaints/status/{tracking_no}/", "/api/v1/token/"]:  # fmt: skip
        assert path in document["paths"], path


def test_the_unversioned_schema_url_serves_the_same_document(client, document):
    alias = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert alias.status_code == 200 and alias.json()["paths"].keys() == document["paths"].keys()


def test_authenticated_operations_document_401_and_403_and_every_error_has_a_body(document):
    for path, method, operation in operations(document):
        responses = operation["responses"]
        if operation.get("security") == []:
            assert "401" not in responses, (method, path)
        else:
            assert {"401", "403"} <= set(responses), (method, path)
        if "{" in path or (method == "get" and "count" in str(responses["200"])):
            assert "404" in responses, (method, path)
        assert "400" in responses, (method, path)  # a bad body, or a bad or unknown query parameter
        for code, response in responses.items():
            if code.startswith(("4", "5")):
                assert "application/json" in response["content"], (method, path, code)


PUBLIC = [
    ("/api/v1/token/", "post"), ("/api/v1/complaints/", "post"), ("/api/v1/complaints/status/{tracking_no}/", "get")
]  # fmt: skip


def test_throttled_operations_document_429(document):
    for path, method in PUBLIC:
        assert "429" in document["paths"][path][method]["responses"], path


def test_the_complaint_is_offered_as_multipart_only_with_a_valid_email_field(document):
    operation = document["paths"]["/api/v1/complaints/"]["post"]
    assert list(operation["requestBody"]["content"]) == ["multipart/form-data"]
    email = document["components"]["schemas"]["ComplaintSubmitRequest"]["properties"]["contact_email"]
    assert "default" not in str(email) and "'format': 'email'" in str(email)


def test_token_and_public_operations_need_no_credentials(document):
    for path, method in PUBLIC:
        assert document["paths"][path][method]["security"] == [], path
    assert document["paths"]["/api/v1/factories/"]["get"]["security"]
    assert document["paths"]["/api/v1/complaints/"]["get"]["security"]  # the office's list: credentials


def test_ids_in_paths_are_integers(document):
    [param] = [p for p in document["paths"]["/api/v1/cases/{id}/"]["get"]["parameters"] if p["in"] == "path"]
    assert param["schema"]["type"] == "integer"


def test_v1_and_the_unversioned_alias_answer_alike(client, songkhla):
    FactoryFactory.create_batch(2)
    client.force_login(songkhla.officer)
    versioned, alias = client.get("/api/v1/factories/"), client.get("/api/factories/")
    assert versioned.status_code == alias.status_code == 200
    assert versioned.json()["count"] == alias.json()["count"] == 2


def test_links_in_answers_point_to_v1(client, songkhla):
    from tests.workflows.complaint.test_complaints import form_data

    response = client.post("/api/complaints/", form_data(), content_type="application/json")
    assert response.status_code == 201
    assert "/api/v1/complaints/status/" in response.json()["status_url"]


def test_the_docs_page_loads_only_our_own_static_files(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", page)
    assert urls, page[:500]
    # Swagger UI's init script is the page's own URL with ?script (drf-spectacular's split view: no inline script
    # under the Content Security Policy); everything else is our static files.
    scripts = [url for url in urls if url.startswith("/api/v1/docs/?")]
    assert len(scripts) == 1, urls
    for url in urls:
        assert url.startswith(settings.STATIC_URL) or url in scripts, url
    assert "http://" not in page and "https://" not in page and "//cdn" not in page
    assert "<script>" not in page and "<style>" not in page
    script = client.get(html.unescape(scripts[0]))
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()


def test_error_bodies_match_their_documented_schema(client, songkhla, document):
    """A 400 for a field, for a query parameter and for an unreadable body, and a 404: each is what the
    document says a 400 or a 404 looks like."""
    from openapi_schema_validator import OAS30Validator

    schemas = document["components"]["schemas"]
    client.force_login(songkhla.officer)
    answers = [
        (client.get("/api/v1/cases/", {"is_open": "maybe"}), "Error"),
        (client.post("/api/v1/selfreports/", "{not json", content_type="application/json"), "Error"),
        (client.post("/api/v1/selfreports/", {"values": "x"}, content_type="application/json"), "Error"),
        (client.get("/api/v1/cases/0.5/"), "Error"),
        (client.get("/api/v1/cases/123456789/"), "Error"),
    ]
    for response, name in answers:
        assert response.status_code in (400, 404), response.content
        OAS30Validator(schemas[name]).validate(response.json())
