"""GET /api/tasks/: the caller's own open tasks across flows, due first, with the case they are about
and the URL of the task page; never another person's tasks."""

import pytest
from django.utils import timezone

from tests.api.conftest import queries_of
from tests.factories import FactoryFactory
from tests.workflows.complaint.test_complaints import submit
from workflows.inspection import services

pytestmark = pytest.mark.django_db


def test_my_tasks_across_flows_with_case_and_link(client, songkhla, checklist, factory):
    inspection = services.inspection_start(factory=factory, by=songkhla.head)
    complaint = submit()
    client.force_login(songkhla.head)
    response = client.get("/api/tasks/")
    assert response.status_code == 200
    rows = {row["flow"]: row for row in response.json()["results"]}
    assert set(rows) == {"InspectionFlow", "ComplaintFlow"}
    assert rows["InspectionFlow"]["case"] == {"type": "inspection", "id": inspection.pk, "reference": inspection.ref_no}
    assert rows["ComplaintFlow"]["case"]["reference"] == complaint.tracking_no
    assert rows["InspectionFlow"]["step"] == "assign" and rows["InspectionFlow"]["due"]
    # The link opens the task page for its owner.
    page = client.get(rows["InspectionFlow"]["url"])
    assert page.status_code == 200


def test_tasks_are_ordered_by_due_date(client, songkhla, checklist):
    first = services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
    second = services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
    from viewflow.workflow.models import Task

    Task.objects.filter(process__inspectionprocess__inspection=second).update(
        scheduled=timezone.now() - timezone.timedelta(days=3)
    )
    client.force_login(songkhla.head)
    refs = [row["case"]["reference"] for row in client.get("/api/tasks/").json()["results"]]
    assert refs == [second.ref_no, first.ref_no]


def test_others_do_not_see_my_tasks(client, songkhla, lopburi_officer, checklist, factory):
    services.inspection_start(factory=factory, by=songkhla.head)
    for person in (songkhla.inspector, songkhla.officer, lopburi_officer):
        client.force_login(person)
        assert client.get("/api/tasks/").json()["count"] == 0


def test_list_queries_do_not_grow_with_the_page(client, songkhla, checklist):
    for _i in range(5):
        services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
    client.force_login(songkhla.head)
    small, body = queries_of(client, "/api/tasks/")
    assert len(body["results"]) == 5
    for _i in range(45):
        services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
    large, body = queries_of(client, "/api/tasks/")
    assert len(body["results"]) == 50
    assert small == large, (small, large)
