"""The next-action panel on a budget project page and a complaint page: the open step and who holds it
(workflows/_next_action.html, included by each page)."""

import pytest
from django.urls import reverse

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
