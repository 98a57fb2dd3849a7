"""POST /api/v1/cases/: a group head opens an inspection case for a factory of their office through
the start page's service (its flow starts with the assign step); others are refused and nothing is
opened. GET /api/v1/report-kinds/: the kinds of self-report and the figures each takes."""

import pytest

from tests.factories import FactoryFactory
from tests.registry.selfreports.conftest import kinds  # noqa: F401
from tests.workflows.inspection.test_flow_paths import open_task
from workflows.inspection.models import Inspection

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"


def start(client, factory, **over):
    return client.post(CASES, {"factory": factory.pk, **over}, content_type="application/json")


def test_a_group_head_opens_a_case_and_its_flow_starts(client, songkhla, checklist, factory):
    client.force_login(songkhla.head)
    response = start(client, factory, reason="complaint", planned_on="2026-12-10")
    assert response.status_code == 201, response.content
    case = Inspection.objects.get(pk=response.json()["id"])
    assert response["Location"].endswith(f"/api/v1/cases/{case.pk}/")
    assert case.factory == factory and case.reason == "complaint" and case.planned_on.isoformat() == "2026-12-10"
    assert open_task(case, "assign").owner == songkhla.head
    assert [task["step"] for task in response.json()["open_tasks"]] == ["assign"]


def test_a_second_open_case_for_the_factory_is_a_400(client, songkhla, checklist, factory):
    client.force_login(songkhla.head)
    assert start(client, factory).status_code == 201
    refused = start(client, factory)
    assert refused.status_code == 400 and refused.json()["code"] == "invalid"  # the service's rule, its message
    client.cookies["django_language"] = "en"
    assert "already has an open inspection" in start(client, factory).json()["message"]
    assert Inspection.objects.count() == 1


@pytest.mark.parametrize(
    "persona, status, code",
    [
        ("inspector", 403, "permission_denied"),  # works in the office, does not manage it
        ("anonymous", 401, "not_authenticated"),
        ("lopburi", 400, "invalid"),  # manages another office: no such factory open to them
        ("operator", 403, "permission_denied"),
    ],
)
def test_others_open_no_case(client, songkhla, checklist, factory, lopburi_officer, persona, status, code):
    from registry.selfreports.models import FactoryOperator
    from tests.factories import PersonFactory

    if persona == "inspector":
        client.force_login(songkhla.inspector)
    elif persona == "lopburi":
        client.force_login(lopburi_officer)
    elif persona == "operator":
        operator = PersonFactory()
        FactoryOperator.objects.create(person=operator, factory=factory)
        client.force_login(operator)
    response = start(client, factory)
    assert response.status_code == status and response.json()["code"] == code, response.content
    assert not Inspection.objects.exists()


def test_a_factory_of_another_office_is_no_such_factory(client, songkhla, checklist):
    from tests.conftest import LOPBURI

    client.force_login(songkhla.head)
    body = start(client, FactoryFactory(province_code=LOPBURI)).json()
    assert body["code"] == "invalid" and list(body["fields"]) == ["factory"]
    assert not Inspection.objects.exists()


def test_a_start_replayed_with_its_key_opens_one_case(client, songkhla, checklist, factory):
    client.force_login(songkhla.head)
    send = lambda: client.post(  # noqa: E731
        CASES, {"factory": factory.pk}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="open-once"
    )
    first, again = send(), send()
    assert first.status_code == again.status_code == 201 and again.json() == first.json()
    assert Inspection.objects.count() == 1


def test_report_kinds_and_their_fields_are_discoverable(client, songkhla, kinds):  # noqa: F811
    client.force_login(songkhla.officer)
    body = client.get("/api/v1/report-kinds/").json()
    codes = [row["code"] for row in body["results"]]
    assert set(codes) == {kind.code for kind in kinds.values() if kind.active}
    rw = client.get("/api/v1/report-kinds/rw/").json()
    assert "bod" in {field["key"] for field in rw["fields"]}
    assert client.get("/api/v1/report-kinds/nosuch/").json()["code"] == "not_found"
    client.logout()
    assert client.get("/api/v1/report-kinds/").status_code == 401


def test_a_case_timeline_oldest_first_for_who_may_see_the_case(client, songkhla, checklist, factory, lopburi_officer):
    client.force_login(songkhla.head)
    case = start(client, factory).json()
    body = client.get(f"{CASES}{case['id']}/timeline/").json()
    assert [entry["action"] for entry in body["results"]][:1] == ["case.open"]
    assert body["results"][0]["actor"] == songkhla.head.display_name
    assert [entry["seq"] for entry in body["results"]] == sorted(entry["seq"] for entry in body["results"])
    client.force_login(lopburi_officer)
    assert client.get(f"{CASES}{case['id']}/timeline/").json()["code"] == "not_found"
