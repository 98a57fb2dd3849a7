"""Monthly progress reports: opened with a due date, filed by the officer, returned by the head of
office and filed again, approved; cumulative figures; the monthly job; the consolidated view."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from viewflow.workflow.models import Task

from tests.clock import at
from tests.workflows.budget.conftest import do, month_of, register, task_of, task_url
from workflows import audit
from workflows.budget import selectors, services, tasks
from workflows.budget.errors import BudgetError
from workflows.budget.models import Kpi, ProgressReport, Project, ReportStatus
from workflows.models.approvals import RoundDecision

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n" + b"0" * 100


def test_the_report_chain_with_a_return(client, songkhla, approved, fy):
    report = services.report_open(project=approved, month=month_of(fy, 1))
    assert report.due_on == date(month_of(fy, 2).year, month_of(fy, 2).month, 10)
    file_task = task_of("file", progressprocess__report=report)
    assert file_task.owner == songkhla.inspector and timezone.localdate(file_task.scheduled) == report.due_on
    client.force_login(songkhla.inspector)
    assert client.get(task_url(file_task)).status_code == 200
    kpi = approved.kpis.get()
    evidence = SimpleUploadedFile("photo.pdf", PDF, content_type="application/pdf")
    do(client, songkhla.inspector, file_task, {
        "progress_pct": "8", "disbursed": "90000", f"kpi_{kpi.pk}": "5", "problems": "ผู้ประกอบการสมัครช้า",
        "needs": "", "evidence": evidence})  # fmt: skip
    review = task_of("review", progressprocess__report=report)
    assert review.owner == songkhla.officer
    client.force_login(songkhla.officer)
    assert "90,000.00" in client.get(task_url(review)).content.decode()
    do(client, songkhla.officer, review, {"decision": "return", "comments": "แนบหลักฐานการเบิกจ่ายให้ครบ"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and Kpi.objects.get(pk=kpi.pk).actual == 0
    again = task_of("file", progressprocess__report=report)
    assert again.owner == songkhla.inspector
    client.force_login(songkhla.inspector)
    assert "แนบหลักฐานการเบิกจ่ายให้ครบ" in client.get(task_url(again)).content.decode()  # the round is kept
    do(client, songkhla.inspector, again, {"progress_pct": "9", "disbursed": "100000", f"kpi_{kpi.pk}": "6"})
    do(client, songkhla.officer, task_of("review", progressprocess__report=report), {"decision": "approve"})
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and report.evidence.count() == 1
    assert list(report.rounds.values_list("decision", flat=True)) == [RoundDecision.RETURN, RoundDecision.APPROVE]
    assert Kpi.objects.get(pk=kpi.pk).actual == D("6")
    status = selectors.status_of(selectors.with_details(Project.objects).get(pk=approved.pk))
    assert status.disbursed == D("100000") and status.rows[0].disbursed_cumulative == D("100000")
    actions = [e.action for e in audit.timeline(approved)]
    assert actions[-5:] == ["report.open", "report.submit", "report.return", "report.submit", "report.approve"]


def test_cumulative_disbursement_and_progress_rules(songkhla, approved, fy):
    first = services.report_open(project=approved, month=month_of(fy, 1))
    services.report_submit(report=first, by=songkhla.inspector, progress_pct="20", disbursed="700000")
    services.report_review(report=first, by=songkhla.officer, approve=True)
    second = services.report_open(project=approved, month=month_of(fy, 2))
    with pytest.raises(BudgetError) as error:
        services.report_submit(report=second, by=songkhla.inspector, progress_pct="25", disbursed="500000.01")
    assert error.value.field == "disbursed"
    with pytest.raises(BudgetError):
        services.report_submit(report=second, by=songkhla.inspector, progress_pct="19", disbursed="1")
    second = services.report_submit(report=second, by=songkhla.inspector, progress_pct="25", disbursed="500000")
    assert selectors.report_totals(second)["cumulative"] == D("1200000")
    assert selectors.report_totals(second)["cumulative_pct"] == D("100.00")
    # only approved reports count as results
    status = selectors.status_of(selectors.with_details(Project.objects).get(pk=approved.pk))
    assert status.disbursed == D("700000") and status.rows[1].disbursed is None


def test_a_stranger_cannot_file_or_review(client, songkhla, lopburi, approved, fy):
    report = services.report_open(project=approved, month=month_of(fy, 1))
    file_task = task_of("file", progressprocess__report=report)
    client.force_login(lopburi.inspector)
    response = client.post(task_url(file_task), {"progress_pct": "5", "disbursed": "1"})
    assert response.status_code in (403, 404)
    report.refresh_from_db()
    assert report.status == ReportStatus.DUE and report.disbursed is None
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.report_submit(report=report, by=lopburi.inspector, progress_pct="5", disbursed="1")


@at(2027, 2, 15)  # month 5 of FY 2570: January 2027 (month 4) is the last ended month
def test_the_monthly_job_opens_last_months_reports_once(songkhla, approved, fy, client):
    assert fy == 2570
    on = month_of(fy, 3).replace(day=1)  # the first of the third month: month 2 has ended
    assert services.open_due_reports(on=on) == 1
    assert services.open_due_reports(on=on) == 0
    report = ProgressReport.objects.get(project=approved)
    assert report.month == month_of(fy, 2)
    assert Task.objects.filter(process__progressprocess__report=report, flow_task__endswith=".file").count() == 1
    # through Celery (eager): today's last ended month, January 2027, once
    assert tasks.open_monthly_reports.delay().get() == 1
    assert ProgressReport.objects.get(project=approved, month=month_of(fy, 4)).due_on == date(2027, 2, 10)
    assert tasks.open_monthly_reports.delay().get() == 0


@at(2027, 10, 5)  # FY 2571 has begun; the last ended month, September 2027, lies in FY 2570
def test_the_monthly_job_opens_no_report_before_the_projects_first_month_ends(songkhla, approved, fy, client):
    assert fy == 2571
    assert tasks.open_monthly_reports.delay().get() == 0
    assert not ProgressReport.objects.filter(project=approved).exists()


def test_registered_but_unapproved_projects_get_no_report(songkhla, fy):
    project = register(songkhla, fy_be=fy)
    with pytest.raises(BudgetError):
        services.report_open(project=project, month=month_of(fy, 1))
    assert services.open_due_reports(on=month_of(fy, 3)) == 0


def test_the_cluster_view_consolidates_the_offices_of_the_cluster(client, songkhla, lopburi, approved, fy):
    client.force_login(songkhla.aps)
    page = client.get(f"/budget/cluster/?fy={fy}").content.decode()
    assert approved.code in page and songkhla.unit.name_th in page
    client.force_login(lopburi.aps)
    page = client.get(f"/budget/cluster/?fy={fy}").content.decode()
    assert approved.code not in page


def test_the_officer_is_reminded_before_the_report_is_due(
    songkhla, approved, fy, mailoutbox, django_capture_on_commit_callbacks
):
    from datetime import datetime, time, timedelta

    from workflows import sla

    report = services.report_open(project=approved, month=month_of(fy, 1))
    songkhla.inspector.email = "officer@example.com"
    songkhla.inspector.save(update_fields=["email"])
    due = timezone.make_aware(datetime.combine(report.due_on, time(16, 30)))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the e-mails go through the outbox
        reminded, _escalated = sla.sweep(due - timedelta(hours=12))
    assert reminded == 1 and [m.to for m in mailoutbox] == [["officer@example.com"]]
    assert sla.sweep(due - timedelta(hours=6))[0] == 0  # once
