"""`updated_since` on the lists, for a system that syncs incrementally: only rows changed at or after
the instant (ISO 8601; without an offset, Bangkok time); a bad instant is a 400 naming it."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from viewflow.workflow.models import Task

from tests.clock import bangkok
from tests.factories import FactoryFactory
from tests.registry.selfreports.factories import SelfReportFactory
from tests.workflows.budget.conftest import approved, fy, month_of  # noqa: F401
from workflows.budget import services as budget_services
from workflows.budget.models import ProgressReport, ReportStatus
from workflows.inspection import services
from workflows.inspection.models import CorrectiveOrder, OrderKind, OrderStatus

pytestmark = pytest.mark.django_db

T0 = bangkok(2026, 11, 2, 9)


def since(client, url, instant) -> set:
    response = client.get(url, {"updated_since": instant.isoformat()})
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_factories_changed_since(client, songkhla, time_machine):
    time_machine.move_to(T0)
    old = FactoryFactory()
    time_machine.move_to(T0 + timedelta(hours=2))
    new = FactoryFactory()
    client.force_login(songkhla.officer)
    assert since(client, "/api/v1/factories/", T0 + timedelta(hours=1)) == {new.pk}
    time_machine.move_to(T0 + timedelta(hours=3))
    old.name = "ชื่อใหม่"
    old.save()
    client.force_login(songkhla.officer)  # three hours on, the session has lapsed
    assert since(client, "/api/v1/factories/", T0 + timedelta(hours=1)) == {new.pk, old.pk}
    assert since(client, "/api/v1/factories/", T0 - timedelta(hours=1)) == {new.pk, old.pk}


def test_an_instant_without_offset_is_bangkok_time(client, songkhla, time_machine):
    time_machine.move_to(T0)
    factory = FactoryFactory()
    client.force_login(songkhla.officer)
    naive = (T0 - timedelta(minutes=1)).replace(tzinfo=None).isoformat()
    assert client.get("/api/v1/factories/", {"updated_since": naive}).json()["count"] == 1
    later = (T0 + timedelta(minutes=1)).replace(tzinfo=None).isoformat()
    assert client.get("/api/v1/factories/", {"updated_since": later}).json()["count"] == 0
    assert factory.pk


def test_selfreports_filed_since(client, songkhla, kinds, time_machine):
    time_machine.move_to(T0)
    old = SelfReportFactory(factory=FactoryFactory(), values={"bod": 10})
    time_machine.move_to(T0 + timedelta(hours=2))
    new = SelfReportFactory(factory=FactoryFactory(), values={"bod": 10})
    client.force_login(songkhla.officer)
    assert since(client, "/api/v1/selfreports/", T0 + timedelta(hours=1)) == {new.pk}
    assert old.pk in since(client, "/api/v1/selfreports/", T0 - timedelta(hours=1))


def test_cases_moved_by_their_flow_or_given_an_order_since(client, songkhla, checklist, time_machine):
    time_machine.move_to(T0)
    quiet, moved, ordered = (services.inspection_start(factory=FactoryFactory(), by=songkhla.head) for _i in range(3))
    time_machine.move_to(T0 + timedelta(hours=2))
    fresh = services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
    Task.objects.filter(process__inspectionprocess__inspection=moved).update(finished=T0 + timedelta(hours=2))
    CorrectiveOrder.objects.create(
        inspection=ordered, kind=OrderKind.S37_IMPROVE, requirement="ติดตั้งระบบบำบัดน้ำเสีย",
        deadline=date(2026, 12, 2), status=OrderStatus.DRAFT, drafted_by=songkhla.officer,
    )  # fmt: skip
    client.force_login(songkhla.officer)
    assert since(client, "/api/v1/cases/", T0 + timedelta(hours=1)) == {fresh.pk, moved.pk, ordered.pk}
    assert quiet.pk in since(client, "/api/v1/cases/", T0)


def test_my_tasks_since(client, songkhla, checklist, time_machine):
    time_machine.move_to(T0)
    services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
    time_machine.move_to(T0 + timedelta(hours=2))
    new = services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
    client.force_login(songkhla.head)
    rows = client.get("/api/v1/tasks/", {"updated_since": (T0 + timedelta(hours=1)).isoformat()}).json()["results"]
    assert [row["case"]["id"] for row in rows] == [new.pk]
    assert client.get("/api/v1/tasks/", {"updated_since": T0.isoformat()}).json()["count"] == 2


@pytest.mark.parametrize(
    "value", ["yesterday", "", "2026-13-01T00:00:00", "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00"]
)
@pytest.mark.parametrize("url", ["/api/v1/factories/", "/api/v1/cases/", "/api/v1/selfreports/", "/api/v1/tasks/"])
def test_a_bad_instant_is_a_400_naming_it(client, songkhla, url, value):
    client.force_login(songkhla.head)
    response = client.get(url, {"updated_since": value})
    assert response.status_code == 400, response.content
    assert list(response.json()["fields"]) == ["updated_since"]


def test_an_offset_postgresql_would_refuse_is_read_in_utc(client, songkhla):
    FactoryFactory(name="บริษัท เปลี่ยนแล้ว จำกัด")
    client.force_login(songkhla.head)  # -21:17 is ISO 8601, past PostgreSQL's ±15:59 (was a 500 there)
    response = client.get("/api/v1/factories/", {"updated_since": "2000-03-15T07:58:16-21:17"})
    assert response.status_code == 200 and response.json()["count"] == 1


def test_budget_projects_changed_since(client, songkhla, approved, fy, time_machine):  # noqa: F811
    url = "/api/v1/budget/projects/"
    client.force_login(songkhla.officer)
    now = timezone.now()
    assert since(client, url, now - timedelta(minutes=1)) == {approved.pk}
    later = now + timedelta(hours=1)
    assert since(client, url, later) == set()
    time_machine.move_to(later + timedelta(minutes=5))
    client.force_login(songkhla.officer)  # an hour on, the session has lapsed
    report = budget_services.report_open(project=approved, month=month_of(fy, 1))
    assert since(client, url, later) == set()  # a report opened moves none of the project's figures
    ProgressReport.objects.filter(pk=report.pk).update(status=ReportStatus.APPROVED, approved_at=timezone.now())
    assert since(client, url, later) == {approved.pk}  # one approved moves its disbursed and progress
    refused = client.get(url, {"updated_since": "yesterday"})
    assert refused.status_code == 400 and "updated_since" in refused.json()["fields"]
