"""The next-action panel on a budget project page, a follow-up review's, a complaint page and a plan's:
the open step and who holds it (workflows/_next_action.html, included by each page)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.clock import at
from tests.workflows.budget.conftest import fy, register  # noqa: F401
from tests.workflows.complaint.test_complaints import submit
from workflows.budget.flows import ProjectFlow
from workflows.complaint.flows import ComplaintFlow
from workflows.next_action import next_action

pytestmark = pytest.mark.django_db


def panel(page: str) -> str:
    return page.split('data-testid="next-action"')[1].split("</section>")[0]


def test_a_project_page_shows_who_approves_it_next(client, songkhla, fy):  # noqa: F811
    project = register(songkhla, fy_be=fy)
    [step] = next_action(project)
    assert step.title == str(ProjectFlow.approve.task_title) and step.person == songkhla.officer.display_name
    client.force_login(songkhla.officer)
    shown = panel(client.get(project.get_absolute_url()).content.decode())
    assert songkhla.officer.display_name in shown and "อุตสาหกรรมจังหวัดสงขลา" in shown and "วันทำการ" in shown


def test_a_complaint_page_shows_its_triage_and_the_group_head(client, songkhla):
    complaint = submit()
    [step] = next_action(complaint)
    assert step.title == str(ComplaintFlow.triage.task_title) and step.person == songkhla.head.display_name
    client.force_login(songkhla.head)
    shown = panel(client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode())
    assert songkhla.head.display_name in shown and "หัวหน้ากลุ่มกำกับ สอจ.สงขลา" in shown


def test_a_follow_up_review_page_shows_who_reports_on_its_directive(client, songkhla):
    from django.utils import timezone

    from workflows.budget import reviews
    from workflows.budget.flows import DirectiveFlow

    today = timezone.localdate()
    review = reviews.review_open(office=songkhla.unit, by=songkhla.aps, meeting_on=today)
    reviews.directive_add(review=review, by=songkhla.aps, text="เร่งรัดการเบิกจ่าย", assignee=songkhla.inspector,
                          due_on=today + timedelta(days=30))  # fmt: skip
    [step] = next_action(review)  # a directive has no page of its own: its review's shows it
    assert step.title == str(DirectiveFlow.report_action.task_title) and step.person == songkhla.inspector.display_name
    client.force_login(songkhla.aps)
    shown = panel(client.get(review.get_absolute_url()).content.decode())
    assert songkhla.inspector.display_name in shown


@at(2026, 11, 16)
def test_a_plan_page_shows_the_group_head_s_next_step(client, songkhla):
    from workflows.planning import services as planning
    from workflows.planning.flows import PlanFlow

    planning.capacity_set(office=songkhla.unit, cases_per_inspector=2, by=songkhla.head)
    plan = planning.plan_generate(office=songkhla.unit, fiscal_year=2570, quarter=2, by=songkhla.head)
    [step] = next_action(plan)
    assert step.title == str(PlanFlow.prepare.task_title) and step.person == songkhla.head.display_name
    client.force_login(songkhla.officer)
    shown = panel(client.get(plan.get_absolute_url()).content.decode())
    assert songkhla.head.display_name in shown and "วันทำการ" in shown
