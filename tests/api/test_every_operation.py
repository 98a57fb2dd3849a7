"""Guards over every operation of the live /api/v1/ schema, so that an endpoint added later cannot
skip them: each one that needs credentials answers an anonymous caller 401 `not_authenticated` (and
documents it), and each list takes `updated_since` for incremental sync, but the two named below."""

import re

import pytest

pytestmark = pytest.mark.django_db

METHODS = {"get", "post", "put", "patch", "delete"}
# lists without `updated_since`, and why
NOT_SYNCED = {
    "/api/v1/report-kinds/": "reference data the ministry changes rarely, with no timestamp: read it whole",
    "/api/v1/cases/{id}/timeline/": "append-only, oldest first: a client reads on from its last page",
}
PATH_VALUES = {
    "id": "1",
    "photo": "1",
    "order": "1",
    "reg_no": "29000000000007",
    "code": "rw",
    "tracking_no": "CP-2569-000001",
}


def operations(client) -> list[tuple[str, str, dict]]:
    schema = client.get("/api/v1/schema/?format=json").json()
    return [
        (path, method, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if method in METHODS
    ]


def is_public(operation) -> bool:
    security = operation.get("security")
    return security == [] or {} in (security or [])


def test_every_operation_that_needs_credentials_refuses_an_anonymous_caller_with_401(client):
    checked = 0
    for path, method, operation in operations(client):
        if is_public(operation):
            continue
        url = re.sub(r"\{(\w+)\}", lambda found: PATH_VALUES[found.group(1)], path)
        response = getattr(client, method)(url, {} if method == "get" else "{}", content_type="application/json")
        assert (response.status_code, response.json()["code"]) == (401, "not_authenticated"), (method, path)
        assert "401" in operation["responses"], (method, path)
        checked += 1
    assert checked >= 35, checked


def test_every_list_takes_updated_since(client):
    lists, missing = [], []
    for path, method, operation in operations(client):
        answer = operation["responses"].get("200", {}).get("content", {}).get("application/json", {})
        if method != "get" or "/Paginated" not in answer.get("schema", {}).get("$ref", ""):
            continue
        lists.append(path)
        names = {parameter["name"] for parameter in operation.get("parameters", []) if parameter["in"] == "query"}
        if "updated_since" not in names and path not in NOT_SYNCED:
            missing.append(path)
    assert missing == []
    assert set(NOT_SYNCED) <= set(lists) and len(lists) >= 12, lists
