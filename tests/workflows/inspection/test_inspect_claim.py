"""Whoever takes the inspect (or follow-up) step from the office queue is the case's inspector, as a
step handed over makes its new holder so: their answers are saved (services.answers_save asks the
case's inspector), on the web page and through the API's claim and draft."""

import pytest
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tests.api.test_task_actions import TASKS, answers, assign, post
from tests.workflows.inspection.test_flow_paths import checklist_answers, open_task
from workflows.inspection import services
from workflows.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(client, songkhla, checklist, factory):
    """A case given to the first inspector whose inspect step went back to the office queue."""
    inspection = services.inspection_start(factory=factory, by=songkhla.head)
    assign(client, songkhla, inspection)
    task = open_task(inspection, "inspect")
    Task.objects.filter(pk=task.pk).update(owner=None, status=STATUS.NEW)
    return inspection


def test_claiming_the_inspect_step_on_the_web_makes_the_claimer_the_inspector(client, songkhla, queued):
    task = open_task(queued, "inspect")
    client.force_login(songkhla.inspector2)
    response = client.post(reverse("inspection:flow:inspect:assign", args=[task.process_id, task.pk]))
    assert response.status_code == 302, response.content.decode()[:500]
    task.refresh_from_db()
    queued.refresh_from_db()
    assert task.owner == songkhla.inspector2 and queued.inspector == songkhla.inspector2
    entry = AuditEntry.objects.filter(action="case.assign").order_by("-seq").first()
    assert entry.actor_id == songkhla.inspector2.pk and entry.after == {"inspector": str(songkhla.inspector2)}
    data = {**checklist_answers(queued, exit_ok=True), "save_draft": "1"}
    url = reverse("inspection:flow:inspect:execute", args=[task.process_id, task.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert queued.answers.count() == 2


def test_claiming_through_the_api_then_a_draft_is_accepted(client, songkhla, queued):
    task = open_task(queued, "inspect")
    client.force_login(songkhla.inspector2)
    assert post(client, f"{TASKS}{task.pk}/claim/").status_code == 200
    queued.refresh_from_db()
    assert queued.inspector == songkhla.inspector2
    response = post(client, f"{TASKS}{task.pk}/draft/", {"answers": answers(queued), "findings": "ยังไม่ครบ"})
    assert response.status_code == 200, response.content[:500]
    assert queued.answers.count() == 2


def test_the_inspector_claiming_their_own_step_changes_nothing_else(client, songkhla, queued):
    task = open_task(queued, "inspect")
    before = AuditEntry.objects.count()
    client.force_login(songkhla.inspector)
    assert post(client, f"{TASKS}{task.pk}/claim/").status_code == 200
    queued.refresh_from_db()
    assert queued.inspector == songkhla.inspector and AuditEntry.objects.count() == before


def test_viewflows_reassign_gives_a_step_only_to_whom_its_duty_lets_hold_it(songkhla, queued):
    """No page offers Viewflow's reassign (a group head hands over through duties.hand_over), but the
    activation's own method keeps the node's duty: an inspector's step never goes to the group head."""
    from django.core.exceptions import PermissionDenied

    from workflows import engine

    task = open_task(queued, "inspect")
    Task.objects.filter(pk=task.pk).update(owner=songkhla.inspector, status=STATUS.ASSIGNED)
    task.refresh_from_db()
    with pytest.raises(PermissionDenied), engine.activation(task) as activation:
        activation.reassign(user=songkhla.head)
    task.refresh_from_db()
    assert task.owner == songkhla.inspector
    with engine.activation(task) as activation:
        activation.reassign(user=songkhla.inspector2)
    task.refresh_from_db()
    assert task.owner == songkhla.inspector2
