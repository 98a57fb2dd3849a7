"""The visit briefing's overdue figure and its list come from one selector (dashboards.tracking.overdue_work),
so they never disagree (issue 18: "งานที่เกินกำหนด 2" above "ไม่มีเรื่องที่เกินกำหนด" on one page). The
case that gave it: a case whose own step is not yet due, with an overdue task of another flow about it."""

import re
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from dashboards import tracking
from dashboards.tasks import refresh_summaries
from org.models import District
from workflows.complaint.flows import ComplaintFlow
from workflows.complaint.models import Complaint, ComplaintProcess
from workflows.inspection.models import Inspection
from workflows.pdf import render_pdf

from .conftest import started_case

pytestmark = pytest.mark.django_db


def overdue_complaint_task(office_unit, factory) -> Complaint:
    """A complaint about `factory` whose triage step was due three days ago and is still open."""
    district = District.objects.filter(province_id=office_unit.province_id).first()
    complaint = Complaint.objects.create(
        tracking_no="C-OVERDUE-1", description="น้ำเสียไหลลงคลอง", province_id=office_unit.province_id,
        district=district, office=office_unit, factory=factory, status="new",
    )  # fmt: skip
    process = ComplaintProcess.objects.create(flow_class=ComplaintFlow, complaint=complaint, status=STATUS.NEW)
    Task.objects.create(process=process, flow_task=ComplaintFlow.answer, flow_task_type="HUMAN", status=STATUS.NEW,
                        scheduled=timezone.now() - timedelta(days=3))  # fmt: skip
    return complaint


def flat_text(context) -> str:
    pdf = render_pdf("pdf/dashboards/briefing.html", context)
    text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return re.sub(r"\s+", "", text)


def test_an_overdue_task_on_a_case_not_itself_due_is_counted_and_listed(world):
    not_due = Inspection.objects.get(pk=started_case(world.songkhla, world.people.head, overdue=False).pk)
    complaint = overdue_complaint_task(world.songkhla, not_due.factory)

    context = tracking.briefing(world.people.deputy, world.fy, world.songkhla)
    listed = context["overdue_shown"]
    references = [row.reference for row in listed]
    # the world's two overdue "assign" steps and the complaint's answer step
    assert context["figures"].overdue == len(listed) == 3
    assert complaint.tracking_no in references and world.overdue_case.ref_no in references
    assert not_due.ref_no not in references
    # the ministry dashboard's count agrees with the briefing's list once the worker has passed (the
    # tasks were written here around the services: found by the pass from the task table)
    refresh_summaries()
    dashboard = tracking.figures_by_office(world.people.deputy, world.fy, [world.songkhla.pk], now=timezone.now())
    assert dashboard[world.songkhla.pk].overdue == 3

    text = flat_text(context)
    assert "งานที่เกินกำหนด3" in text
    assert "ไม่มีงานที่เกินกำหนด" not in text and "ไม่มีเรื่องที่เกินกำหนด" not in text
    assert complaint.tracking_no in text and world.overdue_case.ref_no in text


def test_nothing_overdue_says_zero_and_none(world):
    Task.objects.filter(status__in=tracking.OPEN).update(scheduled=timezone.now() + timedelta(days=5))
    context = tracking.briefing(world.people.deputy, world.fy, world.songkhla)
    assert context["figures"].overdue == 0 and context["overdue_shown"] == []
    text = flat_text(context)
    assert "งานที่เกินกำหนด0" in text and "ไม่มีงานที่เกินกำหนด" in text


def test_an_office_out_of_scope_lists_nothing(world):
    assert tracking.overdue_work(world.people.lopburi_pio, world.songkhla, timezone.now()) == tracking.OverdueWork(
        0, []
    )


def test_a_long_overdue_list_shows_the_longest_overdue_and_counts_the_rest(world, monkeypatch):
    complaint = overdue_complaint_task(world.songkhla, world.overdue_case.factory)  # due 3 days ago
    Task.objects.filter(process__complaintprocess__complaint=complaint).update(
        scheduled=timezone.now() - timedelta(days=400)
    )
    monkeypatch.setattr(tracking, "BRIEFING_OVERDUE_ROWS", 2)
    context = tracking.briefing(world.people.deputy, world.fy, world.songkhla)
    assert context["figures"].overdue == 3, "the figure still counts them all"
    assert [row.reference for row in context["overdue_shown"]][0] == complaint.tracking_no, "longest overdue first"
    assert len(context["overdue_shown"]) == 2 and context["overdue_more"] == 1
    text = flat_text(context)
    assert "งานที่เกินกำหนด3" in text and "และอีก1รายการ" in text and complaint.tracking_no in text
