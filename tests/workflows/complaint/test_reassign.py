"""Handing a complaint's step over (/complaints/task/<id>/reassign/): a group head of the complaint's
office gives an open triage or answer step to another group head of that office, or to whoever acts
as one; nobody else hands it over or receives it. Each refusal: its status code and nothing changed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from org import services as org_services
from org.models import PositionKind
from tests.conftest import LOPBURI, SONGKHLA, staff
from tests.factories import PersonFactory
from tests.workflows.complaint.test_complaints import act, submit, task_of
from workflows import audit

pytestmark = pytest.mark.django_db


def url(task):
    return reverse("complaints:reassign", args=[task.pk])


def state(task, complaint):
    """What a hand-over changes: the task's owner and status, and the complaint's audit trail."""
    task = Task.objects.get(pk=task.pk)
    return task.owner_id, task.status, audit.timeline(complaint).count()


def handed_over(complaint):
    return list(audit.timeline(complaint).filter(action="task.reassign"))


@pytest.fixture
def triage(songkhla):
    complaint = submit()
    return complaint, task_of(complaint, "triage")


@pytest.fixture
def other_head(songkhla, triage):
    """A second group head of the Songkhla office (appointed after the triage task went to the first)."""
    return staff(SONGKHLA, PositionKind.GROUP_HEAD)


@pytest.fixture
def acting_head(songkhla, today):
    position = org_services.create_position(
        unit=songkhla.unit, kind=PositionKind.GROUP_HEAD, title_th="หัวหน้ากลุ่มตรวจสอบ สอจ.สงขลา (ว่าง)"
    )
    person = PersonFactory()
    org_services.appoint_acting(
        position=position, person=person, start=today - timedelta(days=1), end=today + timedelta(days=1)
    )
    return person


def test_the_group_head_hands_the_triage_to_another_group_head_of_the_office(client, songkhla, triage, other_head):
    complaint, task = triage
    assert task.owner == songkhla.head
    client.force_login(songkhla.head)
    page = client.get(url(task))
    assert page.status_code == 200 and other_head.display_name in page.content.decode()
    assert songkhla.inspector.display_name not in page.content.decode()
    response = client.post(url(task), {"to": other_head.pk})
    assert response.status_code == 302 and response.url == reverse("complaints:detail", args=[complaint.pk])
    task.refresh_from_db()
    assert (task.owner, task.status) == (other_head, STATUS.ASSIGNED)
    [entry] = handed_over(complaint)
    assert (entry.actor, entry.before, entry.after) == (
        songkhla.head, {"owner": songkhla.head.pk}, {"owner": other_head.pk, "step": "triage"}
    )  # fmt: skip
    assert audit.verify(entry.chain) == []
    act(client, other_head, complaint, "triage", {"decision": "reject", "reason": "อยู่นอกอำนาจ"})  # theirs now


def test_a_step_may_go_to_whoever_acts_as_a_group_head_of_the_office(client, songkhla, triage, acting_head):
    complaint, task = triage
    client.force_login(songkhla.head)
    assert client.post(url(task), {"to": acting_head.pk}).status_code == 302
    task.refresh_from_db()
    assert task.owner == acting_head and len(handed_over(complaint)) == 1


def test_the_complaint_page_offers_the_hand_over_to_the_group_head_only(client, songkhla, triage):
    complaint, task = triage
    detail = reverse("complaints:detail", args=[complaint.pk])
    client.force_login(songkhla.head)
    assert 'data-testid="hand-over"' in client.get(detail).content.decode()
    client.force_login(songkhla.inspector)
    assert 'data-testid="hand-over"' not in client.get(detail).content.decode()


@pytest.mark.parametrize("target", ["inspector", "officer", "lopburi_head", "owner"])
def test_a_target_who_may_not_hold_the_step_is_refused(client, songkhla, triage, target):
    complaint, task = triage
    to = {
        "inspector": songkhla.inspector, "officer": songkhla.officer, "owner": songkhla.head,
        "lopburi_head": staff(LOPBURI, PositionKind.GROUP_HEAD),
    }[target]  # fmt: skip
    before = state(task, complaint)
    client.force_login(songkhla.head)
    response = client.post(url(task), {"to": to.pk})
    assert response.status_code == 400
    why = "เป็นผู้รับผิดชอบงานนี้อยู่แล้ว" if target == "owner" else "รับงานนี้ไม่ได้"
    assert f"{to.display_name} {why}" in response.content.decode()
    assert state(task, complaint) == before


def test_no_target_is_refused(client, songkhla, triage):
    complaint, task = triage
    before = state(task, complaint)
    client.force_login(songkhla.head)
    assert client.post(url(task), {"to": "x"}).status_code == 400
    assert state(task, complaint) == before


@pytest.mark.parametrize("who", ["inspector", "officer", "aps", "dps"])
def test_only_a_group_head_of_the_office_hands_a_step_over(client, songkhla, triage, other_head, who):
    complaint, task = triage
    before = state(task, complaint)
    client.force_login(getattr(songkhla, who))
    assert client.get(url(task)).status_code == 403
    response = client.post(url(task), {"to": other_head.pk})
    assert response.status_code == 403 and "เฉพาะหัวหน้ากลุ่มของสำนักงาน" in response.content.decode()
    assert state(task, complaint) == before


def test_a_group_head_of_another_office_cannot_even_find_the_step(client, songkhla, triage, lopburi_head):
    complaint, task = triage
    lopburi_other = staff(LOPBURI, PositionKind.GROUP_HEAD, username="lopburi-head-2")
    before = state(task, complaint)
    client.force_login(lopburi_head)
    assert client.get(url(task)).status_code == 404
    assert client.post(url(task), {"to": lopburi_other.pk}).status_code == 404
    assert state(task, complaint) == before


def test_anonymous_is_sent_to_log_in_and_nothing_changes(client, songkhla, triage, other_head):
    complaint, task = triage
    before = state(task, complaint)
    response = client.post(url(task), {"to": other_head.pk})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert state(task, complaint) == before


def test_a_closed_step_is_not_handed_over(client, songkhla, triage, other_head):
    complaint, task = triage
    act(client, songkhla.head, complaint, "triage", {"decision": "reject", "reason": "อยู่นอกอำนาจ"})
    before = state(task, complaint)
    assert before[1] == STATUS.DONE
    client.force_login(songkhla.head)
    response = client.post(url(task), {"to": other_head.pk})
    assert response.status_code == 400 and "form-errors" in response.content.decode()
    assert state(task, complaint) == before


def test_the_answer_step_is_handed_over_too(client, songkhla, triage, other_head):
    complaint, _task = triage
    act(client, songkhla.head, complaint, "triage", {"decision": "reject", "reason": "อยู่นอกอำนาจ"})
    answer = task_of(complaint, "answer_rejection")
    client.force_login(answer.owner)
    assert client.post(url(answer), {"to": other_head.pk}).status_code == 302
    answer.refresh_from_db()
    assert answer.owner == other_head


def test_an_inspection_step_is_not_handed_over_here(client, songkhla, checklist, factory, other_head):
    from tests.workflows.inspection.test_flow_paths import open_task
    from workflows.inspection import services as inspection

    case = inspection.inspection_start(factory=factory, by=songkhla.head)
    task = open_task(case, "assign")
    before = Task.objects.filter(pk=task.pk).values_list("owner_id", "status").get()
    client.force_login(songkhla.head)
    assert client.post(url(task), {"to": other_head.pk}).status_code == 404
    assert Task.objects.filter(pk=task.pk).values_list("owner_id", "status").get() == before


def test_whoever_acts_as_a_group_head_hands_a_step_over_too(client, songkhla, triage, acting_head, other_head):
    complaint, task = triage
    client.force_login(songkhla.head)
    client.post(url(task), {"to": acting_head.pk})
    client.force_login(acting_head)
    assert client.post(url(task), {"to": other_head.pk}).status_code == 302
    task.refresh_from_db()
    entry = handed_over(complaint)[-1]
    assert task.owner == other_head and entry.actor == acting_head and entry.acting_for.startswith("รักษาราชการแทน")
