"""In a real browser: an inspector's task goes overdue (the SLA job runs with the clock past its due
date), and the Songkhla group head — one level up — finds it in her inbox (with a form to hand the step
to another inspector) and under the bell, opens it and lands on the case, whose next-action panel names
the step, its holder with her position and how many working days it is overdue; the notification is
then read. No Content Security Policy violation on the way.

Screenshots (escalation-inbox, notifications) land in $SCREENSHOT_DIR (see test_inspection_flow)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect
from viewflow.workflow.models import Task

from org.models import Person
from registry.models import Factory
from tests.e2e.conftest import shoot
from workflows import engine, sla
from workflows.inspection import services
from workflows.models import NoticeKind, Notification

pytestmark = pytest.mark.e2e
SONGKHLA = 90


def overdue_inspection():
    """A Songkhla case opened and assigned to songkhla.inspector1 five weeks ago (the clock then moved on
    to today), whose inspect step (14 working days) is past due when the job runs today."""
    head = Person.objects.get(username="songkhla.head")
    inspector = Person.objects.get(username="songkhla.inspector1")
    with time_machine.travel(timezone.now() - timedelta(days=35), tick=False):
        inspection = services.inspection_start(
            factory=Factory.objects.filter(province_id=SONGKHLA).order_by("pk").first(), by=head
        )
        assign = Task.objects.get(process__inspectionprocess__inspection=inspection, flow_task__endswith=".assign")
        with engine.activation(assign) as activation:
            activation.start(None)
            services.inspection_assign(inspection=activation.process.case, inspector=inspector, by=head)
            activation.execute()
    inspect = Task.objects.get(process__inspectionprocess__inspection=inspection, flow_task__endswith=".inspect")
    assert inspect.scheduled < timezone.now()
    assert sla.sweep()[1] == 1  # today's run escalates it (and may remind of demo steps due tomorrow)
    return inspection, inspector


def test_the_group_head_finds_an_overdue_inspection_in_her_inbox_and_under_the_bell(visit):
    inspection, inspector = overdue_inspection()
    head = Person.objects.get(username="songkhla.head")
    assert Notification.objects.get(kind=NoticeKind.ESCALATED).person == head
    unread = Notification.objects.of(head).unread().count()
    assert unread == 1  # the escalation: her own assign step is done, so its notice no longer counts

    page = visit("songkhla.head")
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url} {message.location}") if "Content Security" in message.text else None
        ),
    )
    expect(page.get_by_test_id("bell-count")).to_have_text(str(unread))
    page.goto("/inspection/inbox/")
    escalations = page.get_by_test_id("escalations")
    expect(escalations).to_contain_text(inspection.ref_no)
    expect(escalations).to_contain_text(inspector.display_name)
    item = escalations.get_by_test_id("notice").filter(has_text=inspection.ref_no)
    hand_over = item.get_by_test_id("hand-over")  # she assigns the office's cases: she may hand the step over
    expect(hand_over).to_be_visible()
    expect(hand_over.locator("select option")).not_to_have_count(0)
    expect(hand_over.locator(f'option[value="{inspector.pk}"]')).to_have_count(0)  # to another inspector
    expect(item.get_by_test_id("mark-seen")).to_be_visible()
    shoot(page, "escalation-inbox")

    item.locator("button.kk-notice-open").click()
    expect(page).to_have_url(re.compile(rf"/inspection/case/{inspection.pk}/$"))
    expect(page.locator("main")).to_contain_text(inspection.ref_no)
    panel = page.get_by_test_id("next-action")  # the next action: which step, who, due when
    step = panel.get_by_test_id("next-step").filter(has_text="ตรวจโรงงาน")
    expect(step.get_by_test_id("next-holder")).to_contain_text(inspector.display_name)
    expect(step.locator(".kk-overdue")).to_have_count(1)
    expect(step.get_by_test_id("next-due")).to_contain_text(re.compile(r"เกินกำหนด|overdue"))
    shoot(page, "escalation-next-action")
    expect(page.get_by_test_id("bell-count")).to_have_count(0)  # read; nothing else needs her

    page.get_by_test_id("bell").click()
    expect(page).to_have_url(re.compile(r"/notifications/$"))
    escalated = page.locator('[data-testid="notice"][data-kind="escalated"]')
    expect(escalated).to_contain_text(inspection.ref_no)
    expect(escalated).not_to_have_class(re.compile(r"kk-unread"))
    shoot(page, "notifications")
    # the case page's own styles are the CSP work's (tests/e2e/test_csp.py); the bell, inbox and list are clean
    assert [where for where in refused if "/inspection/case/" not in where] == []
