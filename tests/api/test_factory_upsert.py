"""The registration system's push: PUT /api/v1/factories/by-reg-no/{reg_no}/ creates or updates a
factory as one row of the factories CSV (the import's checks and messages, the registry's services),
within the service account's scope and its token's scopes; audited; Idempotency-Key honoured."""

import pytest

from api import tokens
from api.models import ServiceAccount
from org.models import PositionKind
from registry.models import Factory
from tests.conftest import LOPBURI, SONGKHLA, staff
from tests.registry.test_import import row
from workflows import audit
from workflows.models import AuditEntry

pytestmark = pytest.mark.django_db

REG_NO = f"2{SONGKHLA:02d}{7:011d}"


@pytest.fixture
def registration_system(db):
    """A service account appointed where it may register Songkhla's factories, with a pushing token."""
    person = staff(SONGKHLA, PositionKind.GROUP_HEAD, username="svc-registration")
    ServiceAccount.objects.create(name="ระบบทะเบียนโรงงาน", person=person)
    _token, key = tokens.token_issue(user=person, scopes=["read", "factories:write"])
    return person, key


def put(client, key, reg_no, body, **headers):
    return client.put(
        f"/api/v1/factories/by-reg-no/{reg_no}/", body, content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}", **headers,
    )  # fmt: skip


def body_of(**changes) -> dict:
    data = row(7, **changes)
    data.pop("reg_no")
    return data


def test_creates_then_updates_by_registration_number_audited(client, registration_system):
    person, key = registration_system
    created = put(client, key, "2-90-00000000007", body_of(workers=45))  # dashes as people write them
    assert created.status_code == 201, created.content
    factory = Factory.objects.get(reg_no=REG_NO)
    assert created["Location"].endswith(f"/api/v1/factories/{factory.pk}/")
    assert created.json()["workers"] == 45 and factory.office.province_id == SONGKHLA
    updated = put(client, key, REG_NO, body_of(workers=60, name="บริษัท ย้ายชื่อ จำกัด"))
    assert updated.status_code == 200 and updated.json()["id"] == factory.pk
    factory.refresh_from_db()
    assert (factory.workers, factory.name) == (60, "บริษัท ย้ายชื่อ จำกัด")
    entries = AuditEntry.objects.filter(chain=audit.chain_key(factory)).order_by("seq")
    assert [e.action for e in entries] == ["factory.register", "case.edit"]
    assert entries[0].actor == person and entries[1].after == {"name": "บริษัท ย้ายชื่อ จำกัด", "workers": 60}
    assert audit.verify() == []


def test_numbers_may_be_json_numbers(client, registration_system):
    _person, key = registration_system
    response = put(client, key, REG_NO, body_of(factory_type=3, workers=12, machinery_hp=80.5))
    assert response.status_code == 201, response.content
    assert response.json()["machinery_hp"] == "80.50"


@pytest.mark.parametrize(
    "reg_no, changes, field, message",
    [
        (REG_NO, {"factory_type": "4"}, "factory_type", "ต้องเป็น 1, 2 หรือ 3"),
        (REG_NO, {"workers": "many"}, "workers", None),
        (REG_NO, {"licence_issued_on": "32/13/2567"}, "licence_issued_on", None),
        ("29000000000007", {"sub_district_code": "999999"}, "sub_district_code", None),
        ("123", {}, "reg_no", None),
        ("39000000000007", {}, "reg_no", None),
    ],
    ids=["type", "workers", "date", "address", "short-number", "issuer"],
)
def test_the_imports_rules_refuse_a_bad_row_and_nothing_is_saved(client, registration_system, reg_no, changes,
                                                                 field, message):  # fmt: skip
    _person, key = registration_system
    response = put(client, key, reg_no, body_of(**changes))
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid" and list(response.json()["fields"]) == [field]
    if message:
        assert response.json()["fields"][field] == [message]
    assert not Factory.objects.exists() and not AuditEntry.objects.exists()


def test_a_required_column_left_out_is_named(client, registration_system):
    _person, key = registration_system
    data = body_of()
    del data["name"]
    response = put(client, key, REG_NO, data)
    assert response.status_code == 400 and set(response.json()["fields"]) == {"name"}


def test_outside_the_accounts_offices_is_403_whether_or_not_the_number_exists(client, registration_system):
    _person, key = registration_system
    lopburi = f"2{LOPBURI:02d}{8:011d}"
    refused = put(client, key, lopburi, body_of(province=LOPBURI, **row(8, province=LOPBURI)))
    assert refused.status_code == 403 and not Factory.objects.exists()
    head = staff(LOPBURI, PositionKind.GROUP_HEAD)
    _t, theirs = tokens.token_issue(user=head, scopes=["factories:write"])
    assert put(client, theirs, lopburi, {**row(8, province=LOPBURI)}).status_code == 201
    again = put(client, key, lopburi, {**row(8, province=LOPBURI)})
    assert again.status_code == 403 and again.json() == refused.json()  # no hint that it exists


def test_a_token_without_factories_write_gets_scope_missing(client, registration_system):
    person, _key = registration_system
    _token, read_only = tokens.token_issue(user=person, scopes=["read"])
    response = put(client, read_only, REG_NO, body_of())
    assert response.status_code == 403 and response.json()["code"] == "scope_missing"
    assert not Factory.objects.exists()


def test_the_same_idempotency_key_replays_the_first_answer(client, registration_system):
    _person, key = registration_system
    first = put(client, key, REG_NO, body_of(), HTTP_IDEMPOTENCY_KEY="push-1")
    replay = put(client, key, REG_NO, body_of(), HTTP_IDEMPOTENCY_KEY="push-1")
    assert (first.status_code, replay.status_code) == (201, 201)
    assert replay.json() == first.json() and replay["Idempotent-Replayed"] == "true"
    assert AuditEntry.objects.filter(action="factory.register").count() == 1
    other = put(client, key, REG_NO, body_of(workers=9), HTTP_IDEMPOTENCY_KEY="push-1")
    assert other.status_code == 422
