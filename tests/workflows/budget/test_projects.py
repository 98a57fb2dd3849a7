"""Projects: registration → approval through the chain resolver (by amount), return and revise,
provisional and on-behalf budgets reported apart, carry-over into the next fiscal year, close-out."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.workflows.budget.conftest import DIP, approve_project, do, month_of, register, task_of
from workflows import audit
from workflows.budget import selectors, services
from workflows.budget.errors import BudgetError
from workflows.budget.models import BudgetSource, Project, ProjectStatus, ReportStatus
from workflows.models import ApprovalRule
from workflows.models.approvals import StepDecision

pytestmark = pytest.mark.django_db


def test_officer_registers_and_head_of_office_approves(client, songkhla, fy):
    project = register(songkhla, fy_be=fy)
    assert project.status == ProjectStatus.APPROVING and project.code == f"90-{fy}-P01"
    task = task_of("approve", projectprocess__project=project)
    assert task.owner == songkhla.officer
    do(client, songkhla.officer, task, {"decision": "approve"})
    project.refresh_from_db()
    assert project.status == ProjectStatus.APPROVED and project.approved_at
    actions = [e.action for e in audit.timeline(project)]
    assert actions == ["project.register", "project.submit", "project.approve"]
    assert audit.verify(audit.chain_key(project)) == []


def test_the_approver_puts_the_project_back_in_the_queue_and_takes_it_again(client, songkhla, fy):
    project = register(songkhla, fy_be=fy)
    task = task_of("approve", projectprocess__project=project)
    args = [task.process_id, task.pk]
    client.force_login(songkhla.officer)
    assert client.post(reverse("budget:project_flow:approve:unassign", args=args)).status_code == 302
    for other in (songkhla.inspector, songkhla.aps):  # only the approver the step names may take it
        client.force_login(other)
        assert client.post(reverse("budget:project_flow:approve:assign", args=args)).status_code == 403
    client.force_login(songkhla.officer)
    assert client.post(reverse("budget:project_flow:approve:assign", args=args)).status_code == 302
    approve_project(client, songkhla, project)
    assert project.status == ProjectStatus.APPROVED


def test_a_large_project_climbs_to_the_assistant_ps_by_rule(client, songkhla, fy):
    ApprovalRule.objects.create(
        subject="budget_project", name="เกิน 5 ล้านบาท", min_amount=D("5000000"),
        levels=["provincial_officer", "assistant_ps"],
    )  # fmt: skip
    small = register(songkhla, fy_be=fy, allocation="4999999.99")
    big = register(songkhla, fy_be=fy, allocation="5000000")
    assert [a.level for a in small.approvals.all()] == ["provincial_officer"]
    assert [a.level for a in big.approvals.all()] == ["provincial_officer", "assistant_ps"]
    approve_project(client, songkhla, big)
    assert big.status == ProjectStatus.APPROVING
    do(client, songkhla.aps, task_of("approve", projectprocess__project=big), {"decision": "approve"})
    big.refresh_from_db()
    assert big.status == ProjectStatus.APPROVED


def test_a_returned_project_is_revised_and_goes_up_again(client, songkhla, fy):
    project = register(songkhla, fy_be=fy)
    response = do(client, songkhla.officer, task_of("approve", projectprocess__project=project),
                  {"decision": "return", "comments": ""}, expect_redirect=False)  # fmt: skip
    assert response.status_code == 200 and Project.objects.get(pk=project.pk).status == ProjectStatus.APPROVING
    do(client, songkhla.officer, task_of("approve", projectprocess__project=project),
       {"decision": "return", "comments": "ระบุกลุ่มเป้าหมายให้ชัดเจน"})  # fmt: skip
    project.refresh_from_db()
    assert project.status == ProjectStatus.RETURNED
    revise = task_of("revise", projectprocess__project=project)
    do(client, songkhla.inspector, revise, {"title": project.title, "objectives": "ผู้ประกอบการ SMEs 40 ราย"})
    project.refresh_from_db()
    assert project.status == ProjectStatus.APPROVING and project.objectives == "ผู้ประกอบการ SMEs 40 ราย"
    approve_project(client, songkhla, project)
    assert project.status == ProjectStatus.APPROVED
    assert list(project.approvals.values_list("round", "decision")) == [
        (1, StepDecision.RETURNED),
        (2, StepDecision.APPROVED),
    ]


def test_registration_needs_work_rights_in_the_office(songkhla, lopburi, fy):
    with pytest.raises(PermissionDenied):
        services.project_register(
            office=songkhla.unit, by=lopburi.head, fiscal_year=fy, title="x", objectives="y",
            lines=[{"allocation": "10"}],
        )  # fmt: skip
    assert not Project.objects.exists()


def test_on_behalf_needs_the_owner_agency_and_plan_may_not_exceed_allocation(songkhla, fy):
    with pytest.raises(BudgetError):
        register(songkhla, fy_be=fy, lines=[{"source": "on_behalf", "allocation": "100"}])
    with pytest.raises(BudgetError):
        register(songkhla, fy_be=fy, allocation="100", plan_rows=[{"month": month_of(fy, 1), "disbursement": "101"}])
    assert not Project.objects.exists()


def test_provisional_and_on_behalf_budgets_are_reported_apart(client, songkhla, fy):
    lines = [
        {"description": "ค่าใช้จ่ายยกระดับศูนย์ปฏิรูปอุตสาหกรรม", "source": "on_behalf", "owner_agency": DIP,
         "reference_no": "อก 0410/123", "provisional": True, "allocation": "800000",
         "disbursing_office": songkhla.unit},
        {"description": "งบดำเนินงานของสำนักงาน", "allocation": "200000"},
    ]  # fmt: skip
    project = approve_project(client, songkhla, register(songkhla, fy_be=fy, lines=lines))
    status = selectors.status_of(selectors.with_details(Project.objects).get(pk=project.pk))
    assert status.allocation == D("1000000") and status.provisional == D("800000")
    assert status.by_source[BudgetSource.ON_BEHALF] == D("800000") and status.by_source[BudgetSource.OWN] == D("200000")
    total = selectors.office_summary([status])
    assert (total["on_behalf"], total["own"], total["provisional"]) == (D("800000"), D("200000"), D("800000"))
    client.force_login(songkhla.aps)
    page = client.get(f"/budget/cluster/?fy={fy}").content.decode()
    assert DIP in page and project.code in page


def test_carry_over_into_the_next_fiscal_year(client, songkhla, approved, fy):
    report = services.report_open(project=approved, month=month_of(fy, 1))
    services.report_submit(report=report, by=songkhla.inspector, progress_pct="10", disbursed="1000000")
    services.report_review(report=report, by=songkhla.officer, approve=True)
    with pytest.raises(BudgetError):
        services.carry_over(project=approved, by=songkhla.inspector, amount="200000.01")
    nxt = services.carry_over(
        project=approved, by=songkhla.inspector, amount="200000",
        plan_rows=[{"month": month_of(fy + 1, 1), "progress_pct": "100", "disbursement": "200000"}],
    )  # fmt: skip
    assert nxt.fiscal_year == fy + 1 and nxt.status == ProjectStatus.APPROVED and nxt.carried_from == approved
    line = nxt.lines.get()
    assert line.source == BudgetSource.CARRY_OVER and line.allocation == D("200000")
    status = selectors.status_of(selectors.with_details(Project.objects).get(pk=nxt.pk))
    assert status.disbursed == 0 and status.rows[0].planned == D("200000")
    old = selectors.status_of(selectors.with_details(Project.objects).get(pk=approved.pk))
    assert old.allocation == D("1200000") and old.disbursed == D("1000000")  # the old year is unchanged
    with pytest.raises(BudgetError):
        services.carry_over(project=approved, by=songkhla.inspector, amount="1")
    client.force_login(songkhla.inspector)  # both timelines render
    for project in (approved, nxt):
        assert client.get(project.get_absolute_url()).status_code == 200


def test_close_out_needs_every_report_approved(client, songkhla, approved, fy):
    report = services.report_open(project=approved, month=month_of(fy, 1))
    with pytest.raises(BudgetError):
        services.project_close(project=approved, by=songkhla.officer, summary="เสร็จสิ้น")
    services.report_submit(report=report, by=songkhla.inspector, progress_pct="100", disbursed="1200000")
    services.report_review(report=report, by=songkhla.officer, approve=True)
    assert report.__class__.objects.get(pk=report.pk).status == ReportStatus.APPROVED
    services.project_close(project=approved, by=songkhla.officer, summary="ดำเนินการครบทุกกิจกรรม")
    approved.refresh_from_db()
    assert approved.status == ProjectStatus.CLOSED and approved.close_summary


def test_carry_over_from_the_project_page(client, songkhla, lopburi, approved, fy):
    client.force_login(lopburi.head)
    assert client.post(f"/budget/project/{approved.pk}/carry-over/", {"amount": "100"}).status_code == 404
    client.force_login(songkhla.inspector)
    assert 'data-testid="carry-over"' in client.get(approved.get_absolute_url()).content.decode()
    response = client.post(f"/budget/project/{approved.pk}/carry-over/", {"amount": "1200000.01"})
    assert response.status_code == 302 and not approved.carried_to.exists()
    response = client.post(f"/budget/project/{approved.pk}/carry-over/", {"amount": "150000"})
    nxt = approved.carried_to.get()
    assert response["Location"] == nxt.get_absolute_url() and nxt.fiscal_year == fy + 1
    assert nxt.lines.get().allocation == D("150000")
    assert 'data-testid="carry-over"' not in client.get(approved.get_absolute_url()).content.decode()
