"""Who may open which inspection page (status *and* nothing changed), and list pages whose query
count does not grow with the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from viewflow.workflow.models import Task

from tests.conftest import LOPBURI, staff
from tests.factories import FactoryFactory
from tests.workflows.inspection.test_flow_paths import checklist_answers, open_task
from workflows.inspection import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(songkhla, checklist, factory):
    inspection = services.inspection_start(factory=factory, by=songkhla.head)
    services.inspection_assign(inspection=inspection, inspector=songkhla.inspector, by=songkhla.head)
    task = open_task(inspection, "assign")
    with task.activation() as activation:
        activation.start(None)
        activation.execute()
    return inspection


def execute_url(inspection, name):
    task = open_task(inspection, name)
    return reverse(f"inspection:flow:{name}:execute", args=[task.process_id, task.pk])


def state(inspection):
    return (
        list(Task.objects.filter(process__inspectionprocess__inspection=inspection).values_list("status", "owner")),
        list(inspection.answers.values_list("item", "value")),
    )


@pytest.mark.parametrize("who", ["anonymous", "other_province_inspector", "same_office_other_inspector"])
def test_strangers_cannot_open_or_submit_the_inspect_task(client, case, songkhla, who):
    url = execute_url(case, "inspect")
    if who == "other_province_inspector":
        client.force_login(staff(LOPBURI, "inspector"))
    elif who == "same_office_other_inspector":
        client.force_login(songkhla.inspector2)
    before = state(case)
    get = client.get(url)
    post = client.post(url, checklist_answers(case, exit_ok=True))
    if who == "anonymous":
        assert get.status_code == post.status_code == 302 and "/accounts/login/" in get["Location"]
    else:
        assert get.status_code == post.status_code == 403
    assert state(case) == before


def test_the_assigned_inspector_opens_and_submits(client, case, songkhla):
    client.force_login(songkhla.inspector)
    url = execute_url(case, "inspect")
    assert client.get(url).status_code == 200
    assert client.post(url, checklist_answers(case, exit_ok=True)).status_code == 302
    assert open_task(case, "review").owner == songkhla.head


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("other_province", 404), ("same_office", 200), ("cluster_aps", 200)]
)
def test_case_page_follows_the_office_scope(client, case, songkhla, who, status):
    users = {
        "other_province": lambda: staff(LOPBURI, "group_head"),
        "same_office": lambda: songkhla.inspector2,
        "cluster_aps": lambda: songkhla.aps,
    }
    if who in users:
        client.force_login(users[who]())
    assert client.get(reverse("inspection:case", args=[case.pk])).status_code == status


def test_viewflow_task_detail_page_is_scoped_too(client, case):
    task = open_task(case, "inspect")
    client.force_login(staff(LOPBURI, "group_head"))
    detail = reverse("inspection:flow:inspect:detail", args=[task.process_id, task.pk])
    assert client.get(detail).status_code == 403
    index = client.get(reverse("inspection:flow:inspect:index", args=[task.process_id, task.pk]))
    assert index.status_code == 302 and index["Location"] == "/"  # "you have no rights to view this task"


def test_queue_shows_only_the_offices_unowned_tasks(client, songkhla, checklist):
    lopburi_head = staff(LOPBURI, "group_head")
    services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
    Task.objects.update(owner=None, status="NEW")  # unowned: waiting in the office queue
    client.force_login(lopburi_head)
    assert 'data-testid="task-row"' not in client.get(reverse("inspection:queue")).content.decode()
    client.force_login(songkhla.inspector)
    assert 'data-testid="task-row"' in client.get(reverse("inspection:queue")).content.decode()


def _inbox_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("inspection:inbox"))
    assert response.status_code == 200
    return len(queries), response.content.decode().count('data-testid="task-row"')


def test_inbox_query_count_is_the_same_for_5_and_25_rows(client, songkhla, checklist):
    def add_cases(n):
        for _ in range(n):
            inspection = services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
            inspection.inspector = songkhla.inspector
            inspection.save(update_fields=["inspector"])
        Task.objects.filter(flow_task__endswith=".assign").update(owner=songkhla.inspector)

    add_cases(5)
    few, rows_few = _inbox_queries(client, songkhla.inspector)
    add_cases(20)
    many, rows_many = _inbox_queries(client, songkhla.inspector)
    assert (rows_few, rows_many) == (5, 25)
    assert few == many <= 12
