"""iSingleForm's push: POST /api/v1/selfreports/bulk/ files up to 1,000 self-reports by registration
number, kind and period. Per-row results: the good rows are filed, each bad one comes back with its
code and fields; a replay with the same Idempotency-Key gives the first answer; the statements do not
grow with the rows (bulk writes)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import tokens
from api.models import ServiceAccount
from org.models import PositionKind
from registry.models import ReportValue, SelfReport
from tests.conftest import LOPBURI, SONGKHLA, staff
from tests.factories import FactoryFactory
from workflows import audit
from workflows.models import AuditEntry

pytestmark = pytest.mark.django_db

RW = {"wastewater_m3_per_day": "120", "bod": "18", "cod": "75", "tss": "30", "ph": "7.1"}
URL = "/api/v1/selfreports/bulk/"


@pytest.fixture
def isingleform(db, kinds):
    person = staff(SONGKHLA, PositionKind.INSPECTOR, username="svc-isingleform")
    ServiceAccount.objects.create(name="iSingleForm", person=person)
    _token, key = tokens.token_issue(user=person, scopes=["read", "selfreports:write"])
    return person, key


def push(client, key, reports, **headers):
    return client.post(URL, {"reports": reports}, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Token {key}", **headers)  # fmt: skip


def rows_for(factories, years) -> list[dict]:
    return [
        {"reg_no": factory.reg_no, "kind": "rw", "period": f"{year}-{half}", "values": RW}
        for factory in factories for year in years for half in ("H1", "H2")
    ]  # fmt: skip


def test_rows_are_filed_and_each_bad_row_is_refused_with_its_code(client, isingleform):
    person, key = isingleform
    ours = FactoryFactory(factory_type=3)
    theirs = FactoryFactory(factory_type=3, province_code=LOPBURI)
    good = {"reg_no": ours.reg_no, "kind": "rw", "period": "2566-H1", "values": RW}
    first = push(client, key, [good])
    assert first.status_code == 200 and first.json()["filed"] == 1, first.content
    reports = [
        {**good, "period": "2566-H2"},  # 0 filed
        {**good, "period": "2566-H1", "amend": True, "values": {**RW, "bod": "19"}},  # 1 amended
        {**good, "period": "2566-H1"},  # 2 duplicate of row 1
        {**good, "period": "2567-H1", "values": {**RW, "bod": "สิบแปด"}},  # 3 a figure
        {**good, "reg_no": theirs.reg_no},  # 4 another province's
        {**good, "reg_no": "29000000099999"},  # 5 no such factory
        {**good, "kind": "nosuch"},  # 6
        {**good, "period": "2567-13"},  # 7
        {**good, "period": "2565-H2", "note": "ส่งซ้ำ"},  # 8 filed
        {**good, "period": "2565-H2"},  # 9 duplicate of row 8
    ]
    answer = push(client, key, reports)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["filed"], body["refused"]) == (3, 7)
    results = body["results"]
    assert [r["status"] for r in results] == ["filed", "amended"] + ["refused"] * 6 + ["filed", "refused"]
    codes = [r["error"]["code"] if r["error"] else None for r in results]
    assert codes == [None, None, "duplicate_row", "invalid", "unknown_factory", "unknown_factory", "unknown_kind",
                     "invalid_period", None, "duplicate_row"]  # fmt: skip
    assert results[3]["error"]["fields"] == {"values.bod": ["บีโอดี (BOD): ต้องเป็นตัวเลข"]}
    assert results[4]["error"] == results[5]["error"]  # no hint that Lopburi's factory exists
    assert results[1]["revision"] == 2
    amended = SelfReport.objects.get(pk=results[1]["id"])
    assert amended.is_current and amended.channel == "api" and amended.filed_by == person
    assert SelfReport.objects.filter(factory=ours, period_start=amended.period_start, is_current=True).count() == 1
    assert {v.key: str(v.number.normalize()) for v in amended.values.all()}["bod"] == "19"
    entry = AuditEntry.objects.get(chain=audit.chain_key(amended))
    assert entry.action == "selfreport.amend" and entry.before["bod"] == "18" and entry.after["bod"] == "19"
    assert audit.verify() == []
    again = push(client, key, [{**good, "amend": True, "values": {**RW, "bod": "19"}}])
    assert again.json()["results"][0]["error"]["code"] == "no_change"
    twice = push(client, key, [good])
    assert twice.json()["results"][0]["error"]["code"] == "already_filed"


def test_a_request_that_is_not_a_list_of_rows_is_a_400_and_files_nothing(client, isingleform):
    _person, key = isingleform
    factory = FactoryFactory(factory_type=3)
    bad = push(client, key, [{"reg_no": factory.reg_no, "kind": "rw", "period": "2566-H1", "values": "18"}])
    assert bad.status_code == 400 and "reports.0.values" in bad.json()["fields"]
    assert push(client, key, []).status_code == 400
    too_many = push(client, key, rows_for([factory], range(2000, 2501)))
    assert too_many.status_code == 400 and "reports.non_field_errors" in too_many.json()["fields"]
    assert not SelfReport.objects.exists()


def test_a_read_only_token_cannot_push(client, isingleform):
    person, _key = isingleform
    _token, read_only = tokens.token_issue(user=person, scopes=["read"])
    factory = FactoryFactory(factory_type=3)
    response = push(client, read_only, rows_for([factory], [2566]))
    assert response.status_code == 403 and response.json()["code"] == "scope_missing"
    assert not SelfReport.objects.exists()


def test_a_replay_with_the_same_key_gives_the_first_answer(client, isingleform):
    _person, key = isingleform
    factory = FactoryFactory(factory_type=3)
    rows = rows_for([factory], [2565, 2566])
    first = push(client, key, rows, HTTP_IDEMPOTENCY_KEY="batch-7")
    replay = push(client, key, rows, HTTP_IDEMPOTENCY_KEY="batch-7")
    assert first.json()["filed"] == 4 and replay.json() == first.json()
    assert replay["Idempotent-Replayed"] == "true" and SelfReport.objects.count() == 4
    assert push(client, key, rows[:1], HTTP_IDEMPOTENCY_KEY="batch-7").status_code == 422


def test_a_thousand_rows_one_bad_in_bulk_statements(client, isingleform):
    _person, key = isingleform
    small = rows_for([FactoryFactory(factory_type=3)], range(2564, 2569))  # 10 rows
    with CaptureQueriesContext(connection) as ten:
        assert push(client, key, small).json()["filed"] == 10
    factories = FactoryFactory.create_batch(10, factory_type=3)
    rows = rows_for(factories, range(2519, 2569))  # 10 factories × 50 years × 2 halves
    assert len(rows) == 1000
    rows[500] = {**rows[500], "values": {**RW, "ph": "15"}}
    with CaptureQueriesContext(connection) as thousand:
        answer = push(client, key, rows)
    body = answer.json()
    assert (body["filed"], body["refused"]) == (999, 1)
    assert body["results"][500]["error"]["code"] == "invalid" and "values.ph" in body["results"][500]["error"]["fields"]
    assert SelfReport.objects.filter(factory__in=factories).count() == 999
    assert ReportValue.objects.filter(report__factory__in=factories).count() == 999 * 5
    assert AuditEntry.objects.filter(action="selfreport.file").count() == 1009
    q10, q1000 = len(ten.captured_queries), len(thousand.captured_queries)
    if connection.vendor == "postgresql":  # one statement per bulk insert, whatever the rows
        assert q1000 == q10, (q10, q1000)
    else:  # SQLite splits a bulk insert at 999 parameters: a statement per ~70 to 250 rows, never per row
        assert q1000 <= q10 + 70, (q10, q1000)
    assert q10 <= 25, q10
