# ruff: noqa: F811 (pytest fixtures imported from the flows' conftests are arguments of the tests)
"""A step nobody may hold is an error shown to the process administrator, never an open door: the
post it needs is vacant up to the top, or the one person it names is excluded from it (segregation
of duties, with an acting person judged as the person they are)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from org import services as org_services
from tests.workflows.budget.conftest import approved, fy, register  # noqa: F401
from tests.workflows.budget.conftest import do as budget_do
from tests.workflows.budget.conftest import task_of as budget_task
from tests.workflows.inspection.conftest import checklist, songkhla  # noqa: F401
from tests.workflows.inspection.test_bulk_and_sla import case_in_review
from tests.workflows.inspection.test_flow_paths import do, open_task
from workflows import audit
from workflows.budget import reviews
from workflows.budget.flows import DirectiveFlow, ProjectFlow
from workflows.inspection.flows import InspectionFlow
from workflows.models import UnheldReason, UnheldStep

pytestmark = pytest.mark.django_db


def claim(client, person, task):
    client.force_login(person)
    return client.post(task.reverse("assign"))


def test_a_sign_off_with_the_post_vacant_waits_for_nobody_and_is_shown_to_the_administrator(
    client, admin_client, songkhla, checklist
):
    holding = songkhla.officer.holdings.get()
    org_services.end_holding(holding=holding, end=timezone.localdate() - timedelta(days=1))
    inspection = case_in_review(client, songkhla)
    do(client, songkhla.head, inspection, "review", {"decision": "approve"})
    task = open_task(inspection, "sign_off")
    assert task.owner is None and task.status == STATUS.NEW
    unheld = UnheldStep.objects.get(task=task)
    assert unheld.reason == UnheldReason.VACANT and unheld.office == songkhla.unit
    assert "task.unheld" in [entry.action for entry in audit.timeline(inspection)]
    for person in (songkhla.head, songkhla.inspector, songkhla.inspector2, songkhla.officer, songkhla.aps):
        assert claim(client, person, task).status_code == 403
        task.refresh_from_db()
        assert task.owner is None
    listed = admin_client.get(reverse("admin:workflows_unheldstep_changelist")).content.decode()
    assert inspection.ref_no in listed
    # the post is filled again: the new officer takes the task, and the administrator's list is clear
    newcomer = songkhla.inspector2
    org_services.appoint(position=holding.position, person=newcomer, start=timezone.localdate())
    assert claim(client, newcomer, task).status_code == 302
    task.refresh_from_db()
    assert task.owner == newcomer
    listed = admin_client.get(reverse("admin:workflows_unheldstep_changelist")).content.decode()
    assert inspection.ref_no not in listed


def test_the_list_of_unheld_steps_is_read_only(admin_client, client, songkhla, checklist):
    org_services.end_holding(holding=songkhla.officer.holdings.get(), end=timezone.localdate() - timedelta(days=1))
    inspection = case_in_review(client, songkhla)
    do(client, songkhla.head, inspection, "review", {"decision": "approve"})
    unheld = UnheldStep.objects.get()
    url = reverse("admin:workflows_unheldstep_delete", args=[unheld.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert UnheldStep.objects.filter(pk=unheld.pk).exists()


def test_an_inspector_acting_for_the_officer_still_never_signs_off_their_own_case(client, songkhla, checklist):
    holding = songkhla.officer.holdings.get()
    today = timezone.localdate()
    org_services.end_holding(holding=holding, end=today - timedelta(days=1))
    org_services.appoint_acting(
        position=holding.position, person=songkhla.inspector, start=today - timedelta(days=1), end=today + timedelta(9)
    )
    inspection = case_in_review(client, songkhla)  # the acting inspector's own case
    do(client, songkhla.head, inspection, "review", {"decision": "approve"})
    task = open_task(inspection, "sign_off")
    assert task.owner is None, "not given to the one person the step names: the case's inspector"
    unheld = UnheldStep.objects.get(task=task)
    assert unheld.reason == UnheldReason.EXCLUDED and unheld.named == str(songkhla.inspector)
    assert not InspectionFlow.sign_off.may_hold(songkhla.inspector, task)
    assert claim(client, songkhla.inspector, task).status_code == 403
    client.force_login(songkhla.inspector)
    Task.objects.filter(pk=task.pk).update(owner=songkhla.inspector, status=STATUS.ASSIGNED)  # however it got there
    assert client.post(task.reverse("execute"), {"confirm": "on"}).status_code == 403
    inspection.refresh_from_db()
    assert inspection.signed_off_by is None


def test_the_projects_own_officer_never_approves_it(client, songkhla, fy):
    project = register(songkhla, fy_be=fy, officer=songkhla.officer)  # the head of office runs it
    task = budget_task("approve", projectprocess__project=project)
    assert task.owner is None
    assert UnheldStep.objects.get(task=task).reason == UnheldReason.EXCLUDED
    assert not ProjectFlow.approve.may_hold(songkhla.officer, task)
    assert claim(client, songkhla.officer, task).status_code == 403
    Task.objects.filter(pk=task.pk).update(owner=songkhla.officer, status=STATUS.ASSIGNED)
    client.force_login(songkhla.officer)
    assert client.post(task.reverse("execute"), {"decision": "approve"}).status_code == 403
    project.refresh_from_db()
    assert project.status != "approved"


def test_who_reported_on_a_directive_never_checks_it(client, songkhla, approved):
    """The head of office also acts for the assistant PS: they record a review, assign a directive
    to themselves and report on it — the check is theirs by name, and still not theirs to do."""
    today = timezone.localdate()
    aps_post = songkhla.aps.holdings.get().position
    org_services.end_holding(holding=songkhla.aps.holdings.get(), end=today - timedelta(days=1))
    org_services.appoint_acting(position=aps_post, person=songkhla.officer, start=today, end=today + timedelta(30))
    review = reviews.review_open(office=songkhla.unit, by=songkhla.officer, meeting_on=today, projects=[approved])
    directive = reviews.directive_add(review=review, by=songkhla.officer, text="เร่งรัดการเบิกจ่าย",
                                      due_on=today + timedelta(days=30), assignee=songkhla.officer)  # fmt: skip
    report = budget_task("report_action", directiveprocess__directive=directive)
    budget_do(client, songkhla.officer, report, {"text": "เร่งรัดผู้รับจ้างแล้ว"})
    check = budget_task("check", directiveprocess__directive=directive)
    assert check.owner is None and UnheldStep.objects.get(task=check).reason == UnheldReason.EXCLUDED
    assert not DirectiveFlow.check.may_hold(songkhla.officer, check)
    assert claim(client, songkhla.officer, check).status_code == 403
