"""Statement budgets of the queue, the archive and the case page: the same count whatever the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from viewflow.workflow.models import Task

from tests.factories import FactoryFactory
from tests.workflows.inspection.test_flow_paths import checklist_answers, do
from workflows.inspection import services

pytestmark = pytest.mark.django_db


def statements(client, user, url) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def open_cases(head, n):
    return [services.inspection_start(factory=FactoryFactory(), by=head) for _ in range(n)]


def test_queue_budget(client, songkhla, checklist):
    open_cases(songkhla.head, 3)
    Task.objects.filter(flow_task__endswith=".assign").update(owner=None, status="NEW")
    few = statements(client, songkhla.inspector, reverse("inspection:queue"))
    open_cases(songkhla.head, 20)
    Task.objects.filter(flow_task__endswith=".assign").update(owner=None, status="NEW")
    many = statements(client, songkhla.inspector, reverse("inspection:queue"))
    assert few == many <= 12


def test_archive_budget(client, songkhla, checklist):
    def assign_all(cases):
        for case in cases:
            do(client, songkhla.head, case, "assign", {"inspector": songkhla.inspector.pk})

    assign_all(open_cases(songkhla.head, 3))
    few = statements(client, songkhla.head, reverse("inspection:archive"))
    assign_all(open_cases(songkhla.head, 12))
    many = statements(client, songkhla.head, reverse("inspection:archive"))
    assert few == many <= 12


def test_case_page_budget_does_not_grow_with_answers_rounds_or_history(client, songkhla, checklist):
    small, large = open_cases(songkhla.head, 2)
    for case in (small, large):
        do(client, songkhla.head, case, "assign", {"inspector": songkhla.inspector.pk})
        do(client, songkhla.inspector, case, "inspect", checklist_answers(case, exit_ok=True))
    for _ in range(3):  # more review rounds, answers saved again, a longer timeline
        do(client, songkhla.head, large, "review", {"decision": "return", "comments": "แก้ไข"})
        do(client, songkhla.inspector, large, "inspect", checklist_answers(large, exit_ok=True, workers=41))
    few = statements(client, songkhla.head, reverse("inspection:case", args=[small.pk]))
    many = statements(client, songkhla.head, reverse("inspection:case", args=[large.pk]))
    assert few == many <= 30
