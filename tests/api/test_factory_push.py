"""The registration system's push of many new factories (POST /api/v1/factories/bulk/): the factories
CSV import's checks and messages, all or nothing — 1,000 rows with one bad row save none and name the
row; the same push corrected saves all 1,000 in one go."""

import pytest

from api import tokens
from api.models import ServiceAccount
from org.models import PositionKind
from registry.models import Factory
from tests.conftest import SONGKHLA, staff
from tests.registry.test_import import row

pytestmark = pytest.mark.django_db
URL = "/api/v1/factories/bulk/"


@pytest.fixture
def registration_system(db):
    person = staff(SONGKHLA, PositionKind.GROUP_HEAD, username="svc-registration")
    ServiceAccount.objects.create(name="ระบบทะเบียนโรงงาน", person=person)
    _token, key = tokens.token_issue(user=person, scopes=["read", "factories:write"])
    return key


def push(client, key, rows, **headers):
    return client.post(
        URL, {"factories": rows}, content_type="application/json", HTTP_AUTHORIZATION=f"Token {key}", **headers
    )


def test_a_thousand_factories_with_one_bad_row_save_none_then_all(client, registration_system):
    rows = [row(n) for n in range(1, 1001)]
    rows[500] = row(501, workers="many")
    refused = push(client, registration_system, rows)
    assert refused.status_code == 400, refused.content[:500]
    body = refused.json()
    assert body["code"] == "invalid" and list(body["fields"]) == ["factories.500.workers"]
    assert not Factory.objects.exists()  # all or nothing

    rows[500] = row(501)
    saved = push(client, registration_system, rows, HTTP_IDEMPOTENCY_KEY="push-1000")
    assert saved.status_code == 201, saved.content[:500]
    assert saved.json()["created"] == 1000 == Factory.objects.filter(office__province_id=SONGKHLA).count()
    assert {f["reg_no"] for f in saved.json()["factories"]} == set(Factory.objects.values_list("reg_no", flat=True))
    again = push(client, registration_system, rows, HTTP_IDEMPOTENCY_KEY="push-1000")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert Factory.objects.count() == 1000


def test_a_registered_number_a_repeat_and_another_province_are_named_per_row(client, registration_system):
    assert push(client, registration_system, [row(1)]).status_code == 201
    refused = push(client, registration_system, [row(1), row(2), row(2), row(3, province=16)])
    assert refused.status_code == 400
    assert sorted(refused.json()["fields"]) == ["factories.0.reg_no", "factories.2.reg_no", "factories.3.reg_no"]
    assert Factory.objects.count() == 1


def test_more_than_a_thousand_rows_or_none_is_a_400_and_a_read_token_is_403(client, registration_system):
    too_many = push(client, registration_system, [row(n) for n in range(1, 1002)])
    assert too_many.status_code == 400 and "factories.non_field_errors" in too_many.json()["fields"]
    assert push(client, registration_system, []).status_code == 400
    person = ServiceAccount.objects.get().person
    _token, read_only = tokens.token_issue(user=person, scopes=["read"])
    response = push(client, read_only, [row(1)])
    assert response.status_code == 403 and response.json()["code"] == "scope_missing"
    assert not Factory.objects.exists()
