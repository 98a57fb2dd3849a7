"""Two people submit the same task at the same moment, 200 times, on PostgreSQL (real row locks):
never two next tasks, never a 500; the loser is told what happened."""

import threading

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tests.factories import FactoryFactory
from tests.races import both_at_once
from tests.workflows.inspection.test_flow_paths import open_task
from workflows.inspection import services
from workflows.middleware import ALREADY_DONE, LOCKED

ROUNDS = 200

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="row locks are tested on PostgreSQL (make test runs the suite there too)",
    ),
]


def submit_twice(url: str, clients: list[Client], data: dict) -> list:
    for client in clients:
        client.cookies.pop("messages", None)  # read only this round's messages
    return both_at_once(lambda index: clients[index].post(url, data))


@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_create_one_next_task(reference_data, songkhla, checklist):
    outcomes = {"done": 0, LOCKED: 0, ALREADY_DONE: 0}
    clients = [Client(), Client()]  # the same person in two browser tabs
    for client in clients:
        client.force_login(songkhla.head)
    for _ in range(ROUNDS):
        inspection = services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
        task = open_task(inspection, "assign")
        url = reverse("inspection:flow:assign:execute", args=[task.process_id, task.pk])
        responses = submit_twice(url, clients, {"inspector": songkhla.inspector.pk})
        assert all(r.status_code == 302 for r in responses), [r.status_code for r in responses]
        next_tasks = Task.objects.filter(
            process__inspectionprocess__inspection=inspection, flow_task__endswith=".inspect"
        ).exclude(status=STATUS.CANCELED)
        assert next_tasks.count() == 1
        for response in responses:
            tags = {m.extra_tags for m in response.wsgi_request._messages}
            if LOCKED in tags:
                outcomes[LOCKED] += 1
            elif ALREADY_DONE in tags:
                outcomes[ALREADY_DONE] += 1
            else:
                outcomes["done"] += 1
    assert outcomes["done"] == ROUNDS  # exactly one winner per round
    assert outcomes[LOCKED] + outcomes[ALREADY_DONE] == ROUNDS  # and a told loser
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_a_lock_held_too_long_ends_in_the_clear_message_and_changes_nothing(
    reference_data, client, songkhla, checklist
):
    """Someone holds the process row (a long transaction): the submit waits lock_timeout, tries once
    more, then the person is told to try again (FlowLockFailed → LOCKED message), nothing changed."""
    from django.db import transaction

    from workflows.inspection.models import InspectionProcess

    inspection = services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
    task = open_task(inspection, "assign")
    holding, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                InspectionProcess.objects.select_for_update().get(pk=task.process_id)
                holding.set()
                release.wait(30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(30)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '200ms'")
        client.force_login(songkhla.head)
        url = reverse("inspection:flow:assign:execute", args=[task.process_id, task.pk])
        response = client.post(url, {"inspector": songkhla.inspector.pk})
    finally:
        release.set()
        holder.join()
    assert response.status_code == 302
    assert LOCKED in {m.extra_tags for m in response.wsgi_request._messages}
    task.refresh_from_db()
    assert task.status == STATUS.ASSIGNED and task.owner == songkhla.head
    assert not Task.objects.filter(process_id=task.process_id, flow_task__endswith=".inspect").exists()
    connection.close()
