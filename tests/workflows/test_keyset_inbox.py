"""The inbox pages by key (workflows.keyset): no more statements at 30 tasks than at 3 and none of them a
COUNT over the person's tasks; due date soonest first, then id; next and previous page links in Thai
walk every task once."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task

from tests.factories import FactoryFactory
from tests.workflows.inspection.conftest import checklist, songkhla  # noqa: F401
from workflows.inspection import services

pytestmark = pytest.mark.django_db
ROW = re.compile(r'<a href="/inspection/case/(\d+)/"')


def give_cases(office, n):
    for _ in range(n):
        services.inspection_start(factory=FactoryFactory(), by=office.head)
    Task.objects.filter(flow_task__endswith=".assign").update(owner=office.inspector)


def inbox(client, user, query="", lang="th"):
    client.force_login(user)
    response = client.get(reverse("inspection:inbox") + query, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return response.content.decode()


def test_no_more_statements_at_30_tasks_than_at_3_and_no_count(client, songkhla, checklist, django_assert_num_queries):  # noqa: F811
    give_cases(songkhla, 3)
    client.force_login(songkhla.inspector)
    url = reverse("inspection:inbox")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    give_cases(songkhla, 27)
    # One statement fewer, not more: the tasks with a due date fill the page, so those without one
    # (read after them when they do not) are not read.
    with django_assert_num_queries(len(few) - 1) as many:
        page = client.get(url).content.decode()
    assert page.count('data-testid="task-row"') == 25
    reads = [q["sql"] for q in many.captured_queries if 'FROM "viewflow_task"' in q["sql"]]
    reads_few = [q["sql"] for q in few.captured_queries if 'FROM "viewflow_task"' in q["sql"]]
    assert (len(reads_few), len(reads)) == (2, 1)
    for sql in reads + reads_few:  # neither a COUNT nor a read of every task: 26 rows at most
        assert "COUNT(" not in sql.upper() and sql.rstrip().endswith("LIMIT 26"), sql
    assert not any("COUNT(" in q["sql"].upper() and 'FROM "viewflow_task"' in q["sql"] for q in few.captured_queries)


def test_pages_walk_every_task_once_in_due_order_with_thai_links(client, songkhla, checklist):  # noqa: F811
    give_cases(songkhla, 30)
    tasks = Task.objects.filter(owner=songkhla.inspector, status="ASSIGNED")
    now = timezone.now()
    for i, task in enumerate(tasks.order_by("pk")):  # due dates out of id order, some tied
        Task.objects.filter(pk=task.pk).update(scheduled=now + timezone.timedelta(days=(i * 7) % 5))
    order = [
        t.process.inspectionprocess.inspection.pk
        for t in tasks.select_related("process__inspectionprocess").order_by("scheduled", "pk")
    ]
    first = inbox(client, songkhla.inspector)
    assert "มากกว่า 25 งาน" in first and "หน้าถัดไป" in first and "หน้าก่อนหน้า" not in first
    next_url = re.search(r'href="\?cursor=([^"]+)" rel="next"', first).group(1)
    second = inbox(client, songkhla.inspector, f"?cursor={next_url}")
    assert "หน้าก่อนหน้า" in second and "หน้าถัดไป" not in second
    assert [int(pk) for pk in ROW.findall(first) + ROW.findall(second)] == order
    previous = re.search(r'href="\?cursor=([^"]+)" rel="prev"', second).group(1)
    assert ROW.findall(inbox(client, songkhla.inspector, f"?cursor={previous}")) == ROW.findall(first)


def test_a_short_inbox_says_how_many_and_a_bad_cursor_is_the_first_page(client, songkhla, checklist):  # noqa: F811
    give_cases(songkhla, 3)
    page = inbox(client, songkhla.inspector, "?cursor=nonsense")
    assert "3 งาน" in page and 'rel="next"' not in page and page.count('data-testid="task-row"') == 3
