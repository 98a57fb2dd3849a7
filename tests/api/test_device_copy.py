"""A device's copy attached to its case (issue 16, item 3): the inspector whose task was handed to another
while she was offline attaches the answers her device kept — POST /api/v1/tasks/{id}/device-copy/ — although
the step is no longer hers; nothing of the case's own answers changes; the case's page shows the copy to who
may see the case (the group head). Someone else of the office: 403; another province: 404; nobody logged in:
401; a bad payload: 400, nothing written; the same Idempotency-Key again: the first answer, nothing written."""

import pytest
from django.urls import reverse
from viewflow.workflow.models import Task

from api.models import IdempotencyKey
from tests.api.test_task_actions import assigned, items, post, refused  # noqa: F401
from tests.workflows.inspection.test_flow_paths import open_task
from workflows.inspection import services
from workflows.inspection.models import Answer, DeviceCopy
from workflows.models import AuditEntry

pytestmark = pytest.mark.django_db

TASKS = "/api/v1/tasks/"


def rows() -> tuple[int, int, int, int]:
    counted = (DeviceCopy, Answer, AuditEntry, IdempotencyKey)
    return tuple(model.objects.count() for model in counted)


def payload(inspection) -> dict:
    found = items(inspection)
    return {
        "reason": "task_taken",
        "answers": [
            {"item": found["S1"].pk, "value": "no", "note": "ประตูหนีไฟถูกล็อก", "photos": ["photo-1.jpg"]},
            {"item": found["S2"].pk, "number": "80.0"},
        ],
        "findings": "ทางหนีไฟถูกปิดกั้น",
        "inspected_on": "2026-12-01",
    }


@pytest.fixture
def handed_over(songkhla, assigned):  # noqa: F811
    """The case's inspect step handed by the group head to the office's other inspector."""
    task = open_task(assigned, "inspect")
    services.task_reassign(task=task, to=songkhla.inspector2, by=songkhla.head)
    assigned.refresh_from_db()
    return assigned, task


def test_the_former_owner_attaches_her_copy_and_the_head_sees_it_on_the_case(client, songkhla, handed_over):
    inspection, task = handed_over
    assert inspection.inspector == songkhla.inspector2
    client.force_login(songkhla.inspector)
    before = rows()
    response = post(client, f"{TASKS}{task.pk}/device-copy/", payload(inspection), key="copy-1")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["case"] == inspection.pk and body["task"] == task.pk and body["reason"] == "task_taken"
    assert body["author"] == songkhla.inspector.display_name
    assert [(a["value"], a["number"], a["note"]) for a in body["answers"]] == [
        ("no", "", "ประตูหนีไฟถูกล็อก"),
        ("", "80.0", ""),  # as typed
    ]
    copy = DeviceCopy.objects.get()
    assert copy.author == songkhla.inspector and copy.inspection == inspection and copy.answers[0]["code"] == "S1"
    assert rows() == (before[0] + 1, before[1], before[2] + 1, before[3] + 1)  # no answer of the case changed
    entry = AuditEntry.objects.order_by("-pk").first()
    assert entry.action == "case.device_copy" and entry.actor == songkhla.inspector

    client.force_login(songkhla.head)
    page = client.get(reverse("inspection:case", args=[inspection.pk])).content.decode()
    assert 'data-testid="device-copies"' in page and "ประตูหนีไฟถูกล็อก" in page and "80.0" in page
    assert songkhla.inspector.display_name in page


def test_the_same_key_again_answers_the_first_result_and_writes_nothing(client, songkhla, handed_over):
    inspection, task = handed_over
    client.force_login(songkhla.inspector)
    first = post(client, f"{TASKS}{task.pk}/device-copy/", payload(inspection), key="copy-2")
    assert first.status_code == 201, first.content
    after_first = rows()
    again = post(client, f"{TASKS}{task.pk}/device-copy/", payload(inspection), key="copy-2")
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert rows() == after_first
    other = dict(payload(inspection), findings="อื่น")
    refused(post(client, f"{TASKS}{task.pk}/device-copy/", other, key="copy-2"), 422, "idempotency_key_reused")
    assert rows() == after_first


def test_a_bad_payload_is_a_400_and_writes_nothing(client, songkhla, handed_over, checklist):
    inspection, task = handed_over
    client.force_login(songkhla.inspector)
    before = rows()
    url = f"{TASKS}{task.pk}/device-copy/"
    body = refused(post(client, url, dict(payload(inspection), reason="lost")), 400, "invalid")
    assert "reason" in body["fields"]
    refused(post(client, url, {"reason": "task_taken"}), 400, "invalid")
    strange = dict(payload(inspection), answers=[{"item": 10**9, "value": "yes"}])
    body = refused(post(client, url, strange, key="copy-3"), 400, "invalid")
    assert "answers.0.item" in body["fields"]
    assert rows() == before


def test_someone_else_of_the_office_is_refused_another_province_sees_nothing(
    client, songkhla, handed_over, lopburi_officer
):
    inspection, task = handed_over
    before = rows()
    client.force_login(songkhla.officer)  # sees the case, never held the task
    refused(post(client, f"{TASKS}{task.pk}/device-copy/", payload(inspection)), 403, "permission_denied")
    client.force_login(lopburi_officer)
    refused(post(client, f"{TASKS}{task.pk}/device-copy/", payload(inspection)), 404, "not_found")
    client.logout()
    refused(post(client, f"{TASKS}{task.pk}/device-copy/", payload(inspection)), 401, "not_authenticated")
    assert rows() == before


def test_a_task_that_is_not_an_inspect_step_has_no_device_copy(client, songkhla, handed_over):
    inspection, _task = handed_over
    done = Task.objects.get(process__inspectionprocess__inspection=inspection, flow_task__endswith=".assign")
    client.force_login(songkhla.head)
    refused(post(client, f"{TASKS}{done.pk}/device-copy/", payload(inspection)), 404, "not_found")
