"""Stop-the-clock (workflows.due): while the case waits on the factory the office's clock on the step
stands still — the SLA job neither reminds nor escalates it — and on resuming the due date moves on by
the working days it stood still (weekends, public holidays and closure days not counted), kept in the
case's audit trail and shown on the case page."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from org.models import ClosureDay
from tests.clock import at, bangkok
from tests.workflows.inspection.test_flow_paths import do, open_task
from tests.workflows.inspection.test_pdfs import issued_order, signed_off  # noqa: F401 (fixtures)
from workflows import audit, due, sla
from workflows.inspection import services
from workflows.models import AuditEntry, DayCount, SlaRule

pytestmark = pytest.mark.django_db
INSPECT = "inspection/flows.InspectionFlow.inspect"


@pytest.fixture
def case(client, songkhla, checklist, factory):
    SlaRule.objects.create(flow_task=INSPECT, days=10)
    inspection = services.inspection_start(factory=factory, by=songkhla.head)
    do(client, songkhla.head, inspection, "assign", {"inspector": songkhla.inspector.pk})
    client.logout()
    inspection.refresh_from_db()
    return inspection


@at(2026, 4, 10)  # Friday 10 April 2569, the eve of a weekend and Songkran (13–15 April)
def test_stopped_over_a_weekend_and_songkran_the_due_date_moves_one_working_day(client, songkhla, case, time_machine):
    task = open_task(case, "inspect")
    assert timezone.localdate(task.scheduled) == date(2026, 4, 29)  # 16, 17, 20–24, 27–29 April
    due.stop_clock(task=task, by=songkhla.inspector, reason="ขอสำเนาใบอนุญาตและผลตรวจวัดฝุ่น")
    time_machine.move_to(bangkok(2026, 4, 16, 9))  # Thursday, the first working day after Songkran
    task = due.resume_clock(task=task, by=songkhla.inspector)
    # Stood still on Saturday, Sunday, the three days of Songkran and Thursday: one working day.
    assert timezone.localtime(task.scheduled) == bangkok(2026, 4, 30, 16, 30)
    task.refresh_from_db()
    assert timezone.localdate(task.scheduled) == date(2026, 4, 30) and "clock_stopped" not in task.data
    actions = list(audit.timeline(case).values_list("action", flat=True))
    assert actions[-2:] == ["task.clock_stop", "task.due_moved"]
    moved = AuditEntry.objects.get(chain=audit.chain_key(case), action="task.due_moved")
    assert moved.after["days"] == 1 and moved.actor == songkhla.inspector
    client.force_login(songkhla.head)
    page = client.get(reverse("inspection:case", args=[case.pk])).content.decode()
    assert "30 เม.ย. 2569" in page and 'data-testid="due-history"' in page


@at(2026, 4, 10)
def test_a_closure_day_the_administrator_added_is_not_counted_either(songkhla, case, time_machine):
    ClosureDay.objects.create(day=date(2026, 4, 17), name="ปิดสำนักงานกรณีพิเศษ")
    task = open_task(case, "inspect")
    due.stop_clock(task=task, by=songkhla.inspector, reason="รอเอกสาร", now=bangkok(2026, 4, 10))
    task = due.resume_clock(task=task, by=songkhla.inspector, now=bangkok(2026, 4, 20))
    # 16 April (Thursday) and 20 April (Monday) count; the 17th was closed, the weekends and Songkran not.
    moved = AuditEntry.objects.get(chain=audit.chain_key(case), action="task.due_moved")
    assert moved.after["days"] == 2


@at(2026, 4, 10)
def test_a_step_counted_in_calendar_days_gets_the_calendar_days_back(songkhla, case):
    SlaRule.objects.filter(flow_task=INSPECT).update(counting=DayCount.CALENDAR)
    sla_cache_clear()
    task = open_task(case, "inspect")
    before = task.scheduled
    due.stop_clock(task=task, by=songkhla.inspector, reason="รอเอกสาร", now=bangkok(2026, 4, 10))
    task = due.resume_clock(task=task, by=songkhla.inspector, now=bangkok(2026, 4, 16))
    assert task.scheduled == before + timedelta(days=6)


@at(2026, 4, 10)
def test_the_sla_job_leaves_a_stopped_step_alone_until_it_resumes(client, songkhla, case):
    task = open_task(case, "inspect")
    due.stop_clock(task=task, by=songkhla.inspector, reason="รอเอกสาร")
    late = task.scheduled + timedelta(days=2)
    assert sla.sweep(late) == (0, 0)  # past its due date, but the clock stands still
    client.force_login(songkhla.head)
    page = client.get(reverse("inspection:case", args=[case.pk])).content.decode()
    assert 'data-testid="clock-stopped"' in page and "รอเอกสาร" in page
    due.resume_clock(task=task, by=songkhla.inspector, now=late)
    assert sla.sweep(late) == (0, 0)  # resumed with the days added: not yet overdue
    assert sla.sweep(late + timedelta(days=30)) == (0, 1)  # and its clock runs again


@at(2026, 4, 10)
def test_refusals_change_nothing(songkhla, case):
    task = open_task(case, "inspect")
    entries = AuditEntry.objects.count()
    with pytest.raises(due.ClockError):
        due.stop_clock(task=task, by=songkhla.inspector, reason="  ")
    with pytest.raises(due.ClockError):
        due.resume_clock(task=task, by=songkhla.inspector)
    due.stop_clock(task=task, by=songkhla.inspector, reason="รอเอกสาร")
    with pytest.raises(due.ClockError):
        due.stop_clock(task=task, by=songkhla.inspector, reason="อีกครั้ง")
    assert AuditEntry.objects.count() == entries + 1
    done = open_task(case, "inspect")
    done.refresh_from_db()
    assert done.data["clock_stopped"]["reason"] == "รอเอกสาร"


def sla_cache_clear():
    """What SlaRule.save does (the rule is changed by update(), which does not save it)."""
    from project import memo

    memo.forget(SlaRule.cache_key(INSPECT))


@at(2026, 4, 10)
def test_the_holder_stops_and_resumes_the_clock_from_the_case_page(client, songkhla, case, time_machine):
    task = open_task(case, "inspect")
    url = reverse("inspection:clock", args=[task.pk])
    client.force_login(songkhla.head)  # sees the case, does not hold the step: no form, and refused
    assert 'data-testid="clock-form"' not in client.get(reverse("inspection:case", args=[case.pk])).content.decode()
    assert client.post(url, {"clock": "stop", "reason": "รอเอกสาร"}).status_code == 403
    client.force_login(songkhla.inspector)
    page = client.get(reverse("inspection:case", args=[case.pk])).content.decode()
    assert 'data-testid="clock-form"' in page and 'value="stop"' in page
    client.post(url, {"clock": "stop", "reason": ""})  # no reason: refused with a message, nothing changed
    task.refresh_from_db()
    assert due.stopped_since(task) is None
    assert client.post(url, {"clock": "stop", "reason": "ขอผลตรวจวัดฝุ่น"}).status_code == 302
    task.refresh_from_db()
    assert due.stopped_since(task)["reason"] == "ขอผลตรวจวัดฝุ่น"
    time_machine.move_to(bangkok(2026, 4, 16, 9))
    client.force_login(songkhla.inspector)  # a new day's session
    page = client.get(reverse("inspection:case", args=[case.pk])).content.decode()
    assert 'value="resume"' in page and "ขอผลตรวจวัดฝุ่น" in page
    assert client.post(url, {"clock": "resume"}).status_code == 302
    task.refresh_from_db()
    assert timezone.localdate(task.scheduled) == date(2026, 4, 30) and due.stopped_since(task) is None


@at(2026, 12, 1)
def test_the_one_wait_on_the_factory_the_flow_knows_runs_no_office_clock(client, songkhla, issued_order):  # noqa: F811
    """An issued order waits on the factory (for its receipt, then its compliance period) in the flow's
    Timer `await_deadline`, not in an office's step: no human task of the case is open, so there is no
    office clock to stop, the SLA job finds nothing of the case to remind or escalate however long the
    factory takes, and the date runs from receipt in calendar days (workflows.inspection.delivery).
    Waits inside a step — documents or figures asked of the factory while inspecting or following up —
    are not recorded as data anywhere, so their holder stops and resumes the clock by hand."""
    from viewflow.workflow import flow
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from workflows.inspection.flows import InspectionFlow
    from workflows.nodes import View

    assert isinstance(InspectionFlow.await_deadline, flow.Timer)
    assert InspectionFlow.await_deadline._next is InspectionFlow.follow_up
    steps = {node.name for node in InspectionFlow.instance.nodes() if isinstance(node, View)}
    assert due.WAITS_ON_FACTORY <= steps  # the steps whose holder may stop their clock

    inspection = issued_order.inspection
    waiting = Task.objects.filter(
        process__inspectionprocess__inspection=inspection, status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.SCHEDULED]
    )
    assert list(waiting.values_list("flow_task_type", flat=True)) == ["TIMER"]
    assert sla.sweep(bangkok(2027, 6, 1)) == (0, 0)  # months on, nothing of the case is overdue
    client.force_login(songkhla.head)
    page = client.get(reverse("inspection:case", args=[inspection.pk])).content.decode()
    assert 'data-testid="next-action"' in page and 'data-testid="clock-form"' not in page
