"""/api/v1/tasks/ and /api/v1/tasks/queue/ page by cursor (api.pagination.TaskCursor over
workflows.keyset): every task once, due date soonest first then id, no more statements at 30 than at 3
tasks and none a COUNT over the caller's tasks; a cursor not given by the list is a 400; the schema
documents `cursor` and a nullable `count`."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tests.factories import FactoryFactory
from workflows.inspection import services

pytestmark = pytest.mark.django_db
TASKS = "/api/v1/tasks/"


def open_cases(office, n):
    for _ in range(n):
        services.inspection_start(factory=FactoryFactory(), by=office.head)


def to_queue():
    Task.objects.filter(flow_task__endswith=".assign").update(owner=None, status=STATUS.NEW)


def capture(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return captured.captured_queries, response.json()


def task_reads(queries):
    return [q["sql"] for q in queries if 'FROM "viewflow_task"' in q["sql"]]


@pytest.mark.parametrize(("url", "queued"), [(TASKS, False), (f"{TASKS}queue/", True)])
def test_no_more_statements_at_30_tasks_than_at_3_and_no_count(
    client, songkhla, checklist, url, queued, django_assert_num_queries
):
    open_cases(songkhla, 3)
    if queued:
        to_queue()
    client.force_login(songkhla.inspector if queued else songkhla.head)
    few, body = capture(client, f"{url}?page_size=10")
    assert body["count"] == 3 and body["next"] is None and body["previous"] is None
    open_cases(songkhla, 27)
    if queued:
        to_queue()
    with django_assert_num_queries(len(few) - 1) as many:  # the rows with a due date fill the page:
        body = client.get(f"{url}?page_size=10").json()  # those without one are not read
    assert len(body["results"]) == 10 and body["count"] is None and body["next"]
    assert (len(task_reads(few)), len(task_reads(many.captured_queries))) == (2, 1)
    for sql in task_reads(few) + task_reads(many.captured_queries):
        assert "COUNT(" not in sql.upper() and sql.rstrip().endswith("LIMIT 11"), sql


def test_cursor_walks_every_task_once_in_due_order_and_back(client, songkhla, checklist):
    open_cases(songkhla, 12)
    mine = Task.objects.filter(owner=songkhla.head, status=STATUS.ASSIGNED)
    now = timezone.now()
    for i, pk in enumerate(mine.order_by("pk").values_list("pk", flat=True)):
        mine.filter(pk=pk).update(scheduled=now + timezone.timedelta(days=(i * 7) % 4))
    mine.filter(pk=mine.order_by("pk")[0].pk).update(scheduled=None)  # no due date: last
    order = list(mine.order_by("scheduled", "pk").exclude(scheduled=None).values_list("pk", flat=True))
    order.append(mine.get(scheduled=None).pk)
    client.force_login(songkhla.head)
    pages, url = [], f"{TASKS}?page_size=5"
    while url:
        body = client.get(url).json()
        pages.append([row["id"] for row in body["results"]])
        url = body["next"]
    assert [pk for page in pages for pk in page] == order and [len(p) for p in pages] == [5, 5, 2]
    back = client.get(body["previous"]).json()
    assert [row["id"] for row in back["results"]] == pages[1]
    assert back["next"] and back["previous"]


@pytest.mark.parametrize("cursor", ["nonsense", "WyJuIiwiYmFkIiwxXQ"])
def test_a_cursor_not_given_by_the_list_is_no_such_page(client, songkhla, checklist, cursor):
    client.force_login(songkhla.head)
    response = client.get(TASKS, {"cursor": cursor}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404  # any text is schema-valid: a 400 would refuse what the schema allows
    assert response.json()["code"] == "not_found" and "cursor" in response.json()["message"]


def test_page_numbers_are_not_read_on_the_task_lists(client, songkhla, checklist):
    client.force_login(songkhla.head)
    assert client.get(TASKS, {"page": "2"}).status_code == 400


def test_the_schema_documents_the_cursor_and_a_nullable_count(client, songkhla):
    client.force_login(songkhla.head)
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in (TASKS, f"{TASKS}queue/"):
        params = {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
        assert {"cursor", "page_size"} <= params and "page" not in params
        page = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        page = schema["components"]["schemas"][page["$ref"].rsplit("/", 1)[1]]
        assert page["properties"]["count"]["nullable"] is True and "cursor" not in page["properties"]
