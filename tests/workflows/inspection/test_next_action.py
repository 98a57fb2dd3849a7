"""The next action on a case page (workflows.next_action, workflows/_next_action.html): the open step,
who holds it with their position (and acting title), its due date in the Buddhist era with the working
days left or overdue by, how the due date moved; a constant number of statements."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from org.models import ActingAssignment, Position, PositionKind
from tests.clock import at, bangkok
from tests.workflows.inspection.test_flow_paths import do, open_task
from workflows import due
from workflows.inspection import services
from workflows.inspection.flows import InspectionFlow
from workflows.models import SlaRule
from workflows.next_action import next_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(client, songkhla, checklist, factory):
    SlaRule.objects.create(flow_task="inspection/flows.InspectionFlow.inspect", days=10)
    inspection = services.inspection_start(factory=factory, by=songkhla.head)
    do(client, songkhla.head, inspection, "assign", {"inspector": songkhla.inspector.pk})
    client.logout()
    inspection.refresh_from_db()
    return inspection


@at(2026, 4, 6)  # Monday 6 April 2569 (Chakri day): 10 working days skip Songkran 13–15 and two weekends
def test_the_case_page_shows_the_step_its_holder_and_the_working_days_left(client, songkhla, case):
    [step] = next_action(case)
    task = open_task(case, "inspect")
    assert timezone.localdate(task.scheduled) == date(2026, 4, 23)
    assert step.title == str(InspectionFlow.inspect.task_title) and step.person == songkhla.inspector.display_name
    assert step.position == "นักวิชาการอุตสาหกรรม 1" and step.acting == ""
    assert step.days_left == 10 and step.badge == ""
    client.force_login(songkhla.head)
    page = client.get(reverse("inspection:case", args=[case.pk])).content.decode()
    assert 'data-testid="next-action"' in page and "23 เม.ย. 2569" in page
    assert "เหลือ 10 วันทำการ" in page and songkhla.inspector.display_name in page
    assert "style=" not in page.split('data-testid="next-action"')[1].split("</section>")[0]


@at(2026, 4, 6)
def test_an_acting_holder_shows_the_post_they_act_for(songkhla, case):
    head_post = Position.objects.get(kind=PositionKind.GROUP_HEAD, holdings__person=songkhla.head)
    ActingAssignment.objects.create(
        position=head_post, person=songkhla.inspector, start=date(2026, 4, 1), end=date(2026, 4, 30)
    )
    [step] = next_action(case)
    assert step.acting == "รักษาราชการแทน หัวหน้ากลุ่มกำกับ สอจ.สงขลา"


def test_overdue_by_working_days(client, songkhla, case, time_machine):
    task = open_task(case, "inspect")
    time_machine.move_to(task.scheduled + timedelta(days=3, hours=1))  # 3 calendar days later
    [step] = next_action(case)
    assert step.badge == "overdue"
    days = -step.days_left
    assert days >= 1 and step.overdue_by == days
    client.force_login(songkhla.head)
    page = client.get(reverse("inspection:case", args=[case.pk])).content.decode()
    assert f"เกินกำหนด {days} วันทำการ" in page


@at(2026, 4, 6)
def test_a_moved_due_date_is_listed_with_why_and_by_whom(client, songkhla, case):
    task = open_task(case, "inspect")
    first = task.scheduled
    due.move(task, first + timedelta(days=3), reason=due.RESUMED, by=songkhla.head)
    [step] = next_action(case)
    assert step.due == first + timedelta(days=3)
    [moved] = step.moves
    assert moved.before == "23 เม.ย. 2569 16:30" and moved.after == "26 เม.ย. 2569 16:30"
    assert moved.by == songkhla.head.display_name
    client.force_login(songkhla.head)
    page = client.get(reverse("inspection:case", args=[case.pk])).content.decode()
    assert 'data-testid="due-history"' in page and "26 เม.ย. 2569" in page


@at(2026, 4, 6)
def test_the_same_statements_for_one_move_and_many(songkhla, case):
    task = open_task(case, "inspect")
    due.move(task, task.scheduled + timedelta(days=1), reason=due.RESUMED, by=songkhla.head)
    next_action(case)  # calendars and caches warm
    with CaptureQueriesContext(connection) as one:
        next_action(case)
    for k in range(2, 8):
        due.move(task, task.scheduled + timedelta(days=k), reason=due.RESUMED, by=songkhla.head)
    with CaptureQueriesContext(connection) as many:
        steps = next_action(case)
    assert len(steps[0].moves) == 7
    assert len(one) == len(many) <= 4


def test_an_issued_order_shows_the_follow_up_its_date_and_inspector(songkhla, case):
    from viewflow.workflow.models import Task

    timer = Task.objects.create(
        process=open_task(case, "inspect").process,
        flow_task=InspectionFlow.await_deadline,
        flow_task_type="TIMER",
        status="SCHEDULED",
        scheduled=bangkok(2030, 1, 15, 8),
    )
    steps = next_action(case)
    follow = next(step for step in steps if step.waiting_for_date)
    assert follow.title == str(InspectionFlow.follow_up.task_title) and follow.person == songkhla.inspector.display_name
    assert follow.due == timer.scheduled and follow.days_left > 0
