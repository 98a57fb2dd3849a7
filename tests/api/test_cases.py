"""GET /api/cases/: inspection cases of the caller's offices with outcome, open tasks (owner, due
date) and orders; strangers see nothing; the list's query count does not grow with the page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.api.conftest import queries_of
from tests.factories import FactoryFactory
from workflows.inspection import services
from workflows.inspection.models import CorrectiveOrder, OrderKind, OrderStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(songkhla, checklist, factory):
    return services.inspection_start(factory=factory, by=songkhla.head)


def test_office_sees_the_case_with_its_open_task_and_due_date(client, songkhla, case):
    client.force_login(songkhla.inspector)
    response = client.get("/api/cases/")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["ref_no"] == case.ref_no and row["is_open"] is True and row["outcome"] == "pending"
    [task] = row["open_tasks"]
    assert task["step"] == "assign" and task["owner"] == songkhla.head.display_name
    assert task["due"] is not None and task["status"] == "ASSIGNED"
    detail = client.get(f"/api/cases/{case.pk}/").json()
    assert detail["open_tasks"] == row["open_tasks"] and detail["factory"]["reg_no"] == case.factory.reg_no


def test_orders_are_listed_with_their_deadline(client, songkhla, case):
    deadline = timezone.localdate() + timedelta(days=30)
    CorrectiveOrder.objects.create(
        inspection=case, kind=OrderKind.S37_IMPROVE, requirement="ติดตั้งระบบบำบัดน้ำเสีย", deadline=deadline,
        status=OrderStatus.ISSUED, drafted_by=songkhla.officer,
    )  # fmt: skip
    client.force_login(songkhla.officer)
    [order] = client.get(f"/api/cases/{case.pk}/").json()["orders"]
    assert order["kind"] == "s37" and order["status"] == "issued" and order["deadline"] == deadline.isoformat()


def test_officer_of_another_province_sees_no_case(client, lopburi_officer, case):
    client.force_login(lopburi_officer)
    assert client.get("/api/cases/").json()["count"] == 0
    assert client.get(f"/api/cases/{case.pk}/").status_code == 404


def test_cluster_approver_above_the_office_sees_the_case(client, songkhla, case):
    client.force_login(songkhla.aps)
    assert client.get(f"/api/cases/{case.pk}/").status_code == 200


def test_operator_of_the_factory_does_not_see_internal_cases(client, case):
    from tests.registry.selfreports.factories import OperatorFactory

    client.force_login(OperatorFactory(factory=case.factory).person)
    assert client.get("/api/cases/").json()["count"] == 0
    assert client.get(f"/api/cases/{case.pk}/").status_code == 404


def test_filters_open_closed_outcome_and_office(client, songkhla, case):
    closed = services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
    type(closed).objects.filter(pk=closed.pk).update(closed_at=timezone.now(), outcome="compliant")
    client.force_login(songkhla.officer)

    def refs(**params):
        return {row["ref_no"] for row in client.get("/api/cases/", params).json()["results"]}

    assert refs(is_open="true") == {case.ref_no}
    assert refs(is_open="false") == {closed.ref_no}
    assert refs(outcome="compliant") == {closed.ref_no}
    assert refs(office=songkhla.unit.pk) == {case.ref_no, closed.ref_no}
    assert refs(office=songkhla.unit.pk + 100000) == set()


def test_list_queries_do_not_grow_with_the_page(client, songkhla, checklist):
    for _i in range(5):
        services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
    client.force_login(songkhla.officer)
    small, body = queries_of(client, "/api/cases/")
    assert len(body["results"]) == 5 and all(row["open_tasks"] for row in body["results"])
    for _i in range(45):
        services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
    large, body = queries_of(client, "/api/cases/")
    assert len(body["results"]) == 50
    assert small == large, (small, large)
