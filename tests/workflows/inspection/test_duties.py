"""Who may hold each step is one rule per node (workflows.duties), asked however a person comes to
the task: reassigned by hand, taken from the office queue, or executing it. The inspector of a case
never reviews it, signs it off or approves its order."""

import pytest
from django.urls import reverse
from django.utils import translation
from viewflow.workflow.status import STATUS

from tests.workflows.budget.conftest import approved, fy, lopburi, month_of  # noqa: F401 (fixtures)
from tests.workflows.budget.conftest import do as budget_do
from tests.workflows.budget.conftest import task_of as budget_task
from tests.workflows.complaint.test_complaints import submit
from tests.workflows.complaint.test_complaints import task_of as complaint_task
from tests.workflows.inspection.test_bulk_and_sla import case_in_review
from tests.workflows.inspection.test_flow_paths import do, open_task
from workflows.budget import services as budget_services
from workflows.inspection.flows import InspectionFlow
from workflows.inspection.models import Inspection, ReviewRound

pytestmark = pytest.mark.django_db


def reassign(client, by, task, to):
    client.force_login(by)
    return client.post(reverse("inspection:reassign", args=[task.pk]), {"to": to.pk})


@pytest.mark.parametrize("step", ["review", "sign_off"])
def test_the_group_head_cannot_hand_a_review_or_sign_off_to_anyone(client, songkhla, checklist, step):
    inspection = case_in_review(client, songkhla)
    if step == "sign_off":
        do(client, songkhla.head, inspection, "review", {"decision": "approve"})
    task = open_task(inspection, step)
    owner = task.owner
    response = reassign(client, songkhla.head, task, songkhla.inspector)  # the case's own inspector
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.owner == owner and task.status == STATUS.ASSIGNED
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages and "Reassigned" not in messages[0]


def test_an_inspector_step_goes_only_to_an_inspector_of_the_office(client, songkhla, checklist, factory):
    inspection = case_in_review(client, songkhla)
    do(client, songkhla.head, inspection, "review", {"decision": "return", "comments": "ถ่ายรูปใหม่"})
    task = open_task(inspection, "inspect")
    reassign(client, songkhla.head, task, songkhla.officer)  # not an inspector
    task.refresh_from_db()
    assert task.owner == songkhla.inspector
    reassign(client, songkhla.inspector, task, songkhla.inspector2)  # an inspector does not hand out work
    task.refresh_from_db()
    assert task.owner == songkhla.inspector
    reassign(client, songkhla.head, task, songkhla.inspector2)
    task.refresh_from_db()
    assert task.owner == songkhla.inspector2
    assert Inspection.objects.get(pk=inspection.pk).inspector == songkhla.inspector2


def test_a_review_put_back_in_the_queue_is_taken_only_by_a_group_head_who_is_not_the_inspector(
    client, songkhla, checklist
):
    inspection = case_in_review(client, songkhla)
    task = open_task(inspection, "review")
    task.owner, task.status = None, STATUS.NEW  # Viewflow's unassign
    task.save(update_fields=["owner", "status"])
    review = InspectionFlow.review
    assert not review.can_assign(songkhla.inspector, task)  # the case's inspector
    assert not review.can_assign(songkhla.inspector2, task)  # another inspector of the office
    assert not review.can_assign(songkhla.officer, task)
    assert review.can_assign(songkhla.head, task)


def test_a_review_that_reached_the_cases_inspector_still_cannot_be_completed_by_them(client, songkhla, checklist):
    inspection = case_in_review(client, songkhla)
    task = open_task(inspection, "review")
    task.owner = songkhla.inspector  # however it got there
    task.save(update_fields=["owner"])
    client.force_login(songkhla.inspector)
    url = reverse("inspection:flow:review:execute", args=[task.process_id, task.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 403
    task.refresh_from_db()
    assert task.status == STATUS.ASSIGNED and not ReviewRound.objects.filter(inspection=inspection).exists()


def test_the_inspector_never_approves_the_order_of_their_own_case(client, songkhla, checklist):
    inspection = case_in_review(client, songkhla)
    task = open_task(inspection, "review")
    assert InspectionFlow.sign_off.may_hold(songkhla.officer, task)
    assert not InspectionFlow.sign_off.may_hold(songkhla.inspector, task)
    assert not InspectionFlow.approve_order.may_hold(songkhla.inspector, task)


def test_a_complaint_task_is_not_reassigned_through_the_inspection_page(client, songkhla, checklist):
    triage = complaint_task(submit(), "triage")
    response = reassign(client, songkhla.head, triage, songkhla.inspector)
    assert response.status_code == 404
    triage.refresh_from_db()
    assert triage.owner == songkhla.head


def test_bulk_approval_refuses_a_task_that_is_not_an_inspection_review(client, songkhla, approved, fy):  # noqa: F811
    report = budget_services.report_open(project=approved, month=month_of(fy, 1))
    file_task = budget_task("file", progressprocess__report=report)
    budget_do(client, songkhla.inspector, file_task, {"progress_pct": "8", "disbursed": "90000"})
    review = budget_task("review", progressprocess__report=report)  # a budget report's "review"
    client.force_login(review.owner)
    response = client.post(reverse("inspection:bulk_approve"), {"task": [review.pk]})
    with translation.override("th"):
        refused = translation.gettext("not your review task")
    assert response.status_code == 200 and refused in response.content.decode()
    review.refresh_from_db()
    assert review.status == STATUS.ASSIGNED


def test_a_complaint_put_back_in_the_queue_is_not_taken_by_an_inspector(songkhla, checklist):
    from workflows.complaint.flows import ComplaintFlow

    triage = complaint_task(submit(), "triage")
    triage.owner, triage.status = None, STATUS.NEW
    triage.save(update_fields=["owner", "status"])
    assert not ComplaintFlow.triage.can_assign(songkhla.inspector, triage)
    assert ComplaintFlow.triage.can_assign(songkhla.head, triage)


def test_who_filed_a_progress_report_never_approves_it(client, songkhla, approved, fy):  # noqa: F811
    from workflows.budget.flows import ProgressFlow

    report = budget_services.report_open(project=approved, month=month_of(fy, 1))
    file_task = budget_task("file", progressprocess__report=report)
    budget_do(client, songkhla.inspector, file_task, {"progress_pct": "8", "disbursed": "90000"})
    review = budget_task("review", progressprocess__report=report)
    assert ProgressFlow.review.may_hold(songkhla.officer, review)
    type(report).objects.filter(pk=report.pk).update(submitted_by=songkhla.officer)  # the head filed it
    review = budget_task("review", progressprocess__report=report)
    assert not ProgressFlow.review.may_hold(songkhla.officer, review)
    client.force_login(songkhla.officer)
    url = reverse("budget:progress:review:execute", args=[review.process_id, review.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 403
    report.refresh_from_db()
    assert report.status != "approved"


def test_a_step_that_names_its_person_is_held_by_that_person_only(client, songkhla, approved, fy):  # noqa: F811
    from workflows.budget.flows import ProgressFlow

    report = budget_services.report_open(project=approved, month=month_of(fy, 1))
    file_task = budget_task("file", progressprocess__report=report)
    assert ProgressFlow.file.may_hold(songkhla.inspector, file_task)  # the project's officer
    assert not ProgressFlow.file.may_hold(songkhla.inspector2, file_task)
    file_task.owner = songkhla.inspector2  # however it got there
    file_task.save(update_fields=["owner"])
    client.force_login(songkhla.inspector2)
    url = reverse("budget:progress:file:execute", args=[file_task.process_id, file_task.pk])
    assert client.post(url, {"progress_pct": "8", "disbursed": "90000"}).status_code == 403
    report.refresh_from_db()
    assert report.disbursed is None
