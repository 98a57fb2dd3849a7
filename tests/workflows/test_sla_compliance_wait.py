# ruff: noqa: F811 (fixtures imported from the inspection tests are parameters here)
"""The clock stops on its own while the case waits on the factory's compliance period: an order's
period runs in calendar days from the day the factory received it, so when the receipt is recorded
after the follow-up opened (the registered mail's return receipt came back late), the follow-up's clock
stands still from its opening until the period ends — the SLA job neither reminds nor escalates it, and
resumes it then with the due date moved on by the working days it stood still (New Year's Day, the
weekends not counted), all in the case's audit trail and on its next-action panel."""

from datetime import date, timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from viewflow.workflow.timers import fire_due_timers

from tests.clock import at, bangkok
from tests.workflows.inspection.conftest import checklist, factory, rules, songkhla  # noqa: F401
from tests.workflows.inspection.test_flow_paths import open_task
from tests.workflows.inspection.test_pdfs import issued_order, signed_off  # noqa: F401
from tests.workflows.test_audit_labels import visible
from workflows import audit, due, sla
from workflows.inspection import delivery
from workflows.models import AuditEntry, NoticeKind, Notification, SlaRule, TaskNotice

pytestmark = [pytest.mark.django_db, at(2026, 12, 1)]  # the order is issued on 1 December 2569, 30 days
FOLLOW_UP = "inspection/flows.InspectionFlow.follow_up"


@pytest.fixture
def follow_up(issued_order, time_machine):
    """Nothing recorded of the receipt: the period ran from the issue date (to 31 December) and the
    follow-up opened on New Year's Day, due five working days on."""
    SlaRule.objects.create(flow_task=FOLLOW_UP, days=5, remind_days_before=2)
    time_machine.move_to(bangkok(2027, 1, 1, 9))
    assert fire_due_timers() == 1
    task = open_task(issued_order.inspection, "follow_up")
    assert timezone.localtime(task.scheduled) == bangkok(2027, 1, 8, 16, 30)  # 4–8 January
    return task


def received(order, by, on):
    delivery.order_delivery_record(order=order, by=by, method="mail", received_on=on, tracking_no="EA123456789TH",
                                   posted_on=date(2026, 12, 1))  # fmt: skip


def test_a_receipt_recorded_late_stops_the_follow_up_s_clock_until_the_period_ends(
    client,
    songkhla,
    issued_order,
    follow_up,
    time_machine,
):
    time_machine.move_to(bangkok(2027, 1, 5, 9))
    received(issued_order, songkhla.inspector, date(2026, 12, 20))  # period: to 19 January; follow-up from the 20th
    follow_up.refresh_from_db()
    assert due.stopped_until(follow_up) == bangkok(2027, 1, 20, 8, 0)
    assert timezone.localtime(follow_up.scheduled) == bangkok(2027, 1, 8, 16, 30)  # not moved yet
    stop = AuditEntry.objects.get(chain=audit.chain_key(issued_order.inspection), action="task.clock_stop")
    assert stop.after["deadline"] == "2027-01-19" and stop.actor == songkhla.inspector

    assert sla.sweep(bangkok(2027, 1, 12, 9)) == (0, 0)  # past the old due date: the clock stands still
    assert not TaskNotice.objects.filter(task=follow_up).exists()
    client.force_login(songkhla.head)
    page = client.get(reverse("inspection:case", args=[issued_order.inspection_id])).content.decode()
    assert 'data-testid="clock-stopped"' in page and "19 ม.ค. 2570" in page

    assert sla.sweep(bangkok(2027, 1, 20, 9)) == (0, 0)  # the period ended at 08:00: resumed, due later
    follow_up.refresh_from_db()
    assert due.stopped_since(follow_up) is None
    # Stood still from 1 January to the 20th: 13 working days (4–8, 11–15, 18–20), so five working
    # days from the 20th, as if it had opened then: 21, 22, 25, 26, 27 January.
    assert timezone.localtime(follow_up.scheduled) == bangkok(2027, 1, 27, 16, 30)
    moved = AuditEntry.objects.get(chain=audit.chain_key(issued_order.inspection), action="task.due_moved",
                                   after__task=follow_up.pk)  # fmt: skip
    assert moved.after["days"] == 13 and moved.actor is None
    assert sla.sweep(bangkok(2027, 1, 20, 9)) == (0, 0)  # once
    assert sla.sweep(bangkok(2027, 1, 28, 9)) == (0, 1)  # and its clock runs again: overdue after the 27th

    entries = audit.timeline(issued_order.inspection)
    with translation.override("th"):  # the timeline reads the stop and the move without a bare key
        thai = visible(render_to_string("workflows/timeline.html", {"entries": entries}))
    with translation.override("en"):
        english = visible(render_to_string("workflows/timeline.html", {"entries": entries}))
    for key in ("task.", "deadline", "waiting_for", "days", "requirement", "s37"):  # the order's draft's too
        assert key not in thai, key
    assert "หยุดนับเวลา: รอโรงงาน" in thai and "19 ม.ค. 2570" in thai and "เลื่อนวันครบกำหนด" in thai
    assert "นับเวลาต่อ: ระยะเวลาปฏิบัติตามคำสั่งสิ้นสุดแล้ว" in thai  # why the due date moved
    assert "Clock stopped: waiting on the factory" in english and "19 Jan 2570 BE" in english


def test_a_receipt_recorded_after_the_period_ended_moves_the_due_date_at_once(
    songkhla,
    issued_order,
    follow_up,
    time_machine,
):
    time_machine.move_to(bangkok(2027, 1, 25, 9))
    received(issued_order, songkhla.inspector, date(2026, 12, 20))  # the period ended on 19 January
    follow_up.refresh_from_db()
    assert due.stopped_since(follow_up) is None
    assert timezone.localtime(follow_up.scheduled) == bangkok(2027, 1, 27, 16, 30)
    assert sla.sweep(timezone.now()) == (1, 0)  # two working days ahead: reminded, not escalated


def test_a_receipt_within_the_first_period_or_a_clock_stopped_by_hand_changes_nothing(
    songkhla,
    issued_order,
    follow_up,
    time_machine,
):
    time_machine.move_to(bangkok(2027, 1, 5, 9))
    received(issued_order, songkhla.inspector, date(2026, 12, 1))  # the period still ends on 31 December
    follow_up.refresh_from_db()
    assert due.stopped_since(follow_up) is None
    assert timezone.localtime(follow_up.scheduled) == bangkok(2027, 1, 8, 16, 30)

    due.stop_clock(task=follow_up, by=follow_up.owner, reason="ขอผลตรวจวัดเสียง")
    received(issued_order, songkhla.inspector, date(2026, 12, 20))  # corrected: her stop stays hers
    follow_up.refresh_from_db()
    assert due.stopped_since(follow_up)["reason"] == "ขอผลตรวจวัดเสียง" and due.stopped_until(follow_up) is None
    assert sla.sweep(bangkok(2027, 2, 1, 9)) == (0, 0)  # not resumed by the job


def test_a_correction_of_the_receipt_moves_the_end_of_the_wait(songkhla, issued_order, follow_up, time_machine):
    time_machine.move_to(bangkok(2027, 1, 5, 9))
    received(issued_order, songkhla.inspector, date(2026, 12, 20))
    received(issued_order, songkhla.inspector, date(2026, 12, 10))  # a misread date: the period ends on the 9th
    follow_up.refresh_from_db()
    assert due.stopped_until(follow_up) == bangkok(2027, 1, 10, 8, 0)
    time_machine.move_to(bangkok(2027, 1, 11, 9))
    sla.sweep(timezone.now())
    follow_up.refresh_from_db()
    # stood still 1–10 January: 5 working days (4–8); 8 January + 5 working days
    assert timezone.localtime(follow_up.scheduled) == bangkok(2027, 1, 15, 16, 30)
    assert follow_up.scheduled - timedelta(days=7) == bangkok(2027, 1, 8, 16, 30)


def test_a_due_date_moved_on_is_reminded_again_and_its_escalation_shows_only_while_overdue(
    client, songkhla, issued_order, follow_up, time_machine
):
    inbox = reverse("inspection:inbox")

    def escalated_in_inbox() -> bool:
        client.force_login(songkhla.head)
        return 'data-testid="escalations"' in client.get(inbox).content.decode()

    assert sla.sweep(bangkok(2027, 1, 6, 9)) == (1, 0)  # two working days before 8 January
    time_machine.move_to(bangkok(2027, 1, 11, 9))
    assert sla.sweep(timezone.now()) == (0, 1)  # overdue: to the group head
    assert escalated_in_inbox()
    received(issued_order, songkhla.inspector, date(2026, 12, 20))  # the period runs to 19 January
    assert not escalated_in_inbox()  # its clock stands still: not overdue while the factory's period runs

    assert sla.sweep(bangkok(2027, 1, 20, 9)) == (0, 0)  # resumed: due 27 January
    time_machine.move_to(bangkok(2027, 1, 21, 9))
    assert not escalated_in_inbox()
    reminder = Notification.objects.get(kind=NoticeKind.DUE_SOON)
    Notification.objects.filter(pk=reminder.pk).update(read_at=timezone.now(), mailed_at=timezone.now())
    assert sla.sweep(bangkok(2027, 1, 24, 9)) == (0, 0)  # Sunday: three working days ahead
    assert sla.sweep(bangkok(2027, 1, 25, 9)) == (1, 0)  # reminded again, before the new date
    reminder.refresh_from_db()  # written anew: the new date, unread, to be e-mailed
    assert reminder.due == bangkok(2027, 1, 27, 16, 30) and reminder.read_at is None and reminder.mailed_at is None
    assert Notification.objects.filter(kind=NoticeKind.DUE_SOON).count() == 1
    time_machine.move_to(bangkok(2027, 1, 28, 9))
    assert sla.sweep(timezone.now()) == (0, 0)  # escalated once per task
    assert escalated_in_inbox()  # overdue again: back in her inbox


def test_a_receipt_corrected_to_within_the_first_period_lets_the_clock_run_with_no_day_added(
    songkhla, issued_order, follow_up, time_machine
):
    time_machine.move_to(bangkok(2027, 1, 5, 9))
    received(issued_order, songkhla.inspector, date(2026, 12, 20))
    received(issued_order, songkhla.inspector, date(2026, 12, 1))  # the return receipt misread: the 1st
    follow_up.refresh_from_db()
    assert due.stopped_since(follow_up) is None
    assert timezone.localtime(follow_up.scheduled) == bangkok(2027, 1, 8, 16, 30)
    resumed = AuditEntry.objects.get(chain=audit.chain_key(issued_order.inspection), action="task.clock_resume")
    assert resumed.after["days"] == 0
    assert sla.sweep(bangkok(2027, 1, 11, 9)) == (0, 1)  # its clock ran all along: overdue after the 8th


def test_a_receipt_dated_after_the_follow_up_began_is_refused_and_changes_nothing(
    songkhla, issued_order, follow_up, time_machine
):
    """Else anyone who works the case could stop the holder's clock again and again (a later date each
    time), and keep an overdue step from its reminder and escalation."""
    from workflows.inspection.errors import InspectionError

    time_machine.move_to(bangkok(2027, 1, 5, 9))
    with translation.override("th"), pytest.raises(InspectionError, match="1 ม.ค. 2570"):
        received(issued_order, songkhla.officer, date(2027, 1, 5))  # the follow-up began on 1 January
    follow_up.refresh_from_db()
    assert due.stopped_since(follow_up) is None
    assert not AuditEntry.objects.filter(chain=audit.chain_key(issued_order.inspection), action="order.delivered")
    assert sla.sweep(bangkok(2027, 1, 11, 9)) == (0, 1)  # overdue after the 8th: escalated as before


def test_a_clock_is_resumed_by_hand_only_while_its_step_is_open_and_stopped_by_hand(
    songkhla, issued_order, follow_up, time_machine
):
    time_machine.move_to(bangkok(2027, 1, 5, 9))
    received(issued_order, songkhla.inspector, date(2026, 12, 20))  # stopped on its own until the 20th
    follow_up.refresh_from_db()
    with pytest.raises(due.ClockError):
        due.resume_clock(task=follow_up, by=follow_up.owner)  # the SLA job resumes it when the period ends
    assert due.stopped_until(follow_up) == bangkok(2027, 1, 20, 8, 0)

    follow_up.data = {key: value for key, value in follow_up.data.items() if key != due.CLOCK}
    follow_up.save(update_fields=["data"])
    due.stop_clock(task=follow_up, by=follow_up.owner, reason="ขอผลตรวจวัดเสียง")
    follow_up.status = "DONE"
    follow_up.save(update_fields=["status"])
    entries = AuditEntry.objects.count()
    with pytest.raises(due.ClockError):
        due.resume_clock(task=follow_up, by=follow_up.owner)  # the step is over: nothing to resume
    assert AuditEntry.objects.count() == entries
