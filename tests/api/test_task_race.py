"""Two API completions of one task at the same moment, on PostgreSQL (real row locks): one wins, the
other is a 409 (the task is closed by then, or still locked by the winner), never a 500 and never two
next tasks."""

import pytest
from django.conf import settings
from django.test import Client
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tests.factories import FactoryFactory
from tests.races import both_at_once
from tests.workflows.inspection.test_flow_paths import open_task
from workflows.inspection import services

ROUNDS = 20

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="row locks are tested on PostgreSQL (make test runs the suite there too)",
    ),
]


def complete_twice(url: str, clients: list[Client], data: dict) -> list:
    return both_at_once(lambda index: clients[index].post(url, data, content_type="application/json"))


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_api_completions_one_wins_the_other_is_a_409(reference_data, songkhla, checklist):  # noqa: F811
    clients = [Client(), Client()]  # the group head's app, twice (a retry racing the first send)
    for client in clients:
        client.force_login(songkhla.head)
    codes = set()
    for _ in range(ROUNDS):
        inspection = services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
        task = open_task(inspection, "assign")
        responses = complete_twice(f"/api/v1/tasks/{task.pk}/complete/", clients, {"inspector": songkhla.inspector.pk})
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [200, 409], [(r.status_code, r.content[:200]) for r in responses]
        loser = next(r for r in responses if r.status_code == 409).json()
        assert loser["code"] in ("task_closed", "task_busy"), loser
        codes.add(loser["code"])
        inspects = Task.objects.filter(
            process__inspectionprocess__inspection=inspection, flow_task__endswith=".inspect"
        )
        assert inspects.exclude(status=STATUS.CANCELED).count() == 1
    assert "task_closed" in codes  # the usual loser: it waited for the lock, then found the task done
