"""In a real browser, budget follow-up in Songkhla, each person in a fresh browser context who logs in
through the login form (Thai), on the demo budget data (workflows.budget.demo):

1. the Songkhla officer (songkhla.inspector1) files the October 2566 progress report of the FY 2567
   project: physical progress, baht disbursed, the KPI actual, problems;
2. the provincial industry officer (songkhla.pio) approves it; the project page shows the result;
3. the deputy PS (dps) opens a follow-up review of the Songkhla office and issues a directive to the
   officer; it shows as open on the office's page;
4. the officer reports the action taken; 5. the deputy PS accepts it: the directive is closed.

Screenshots (budget-*.png) land in $SCREENSHOT_DIR (`make screenshots`: docs/screenshots)."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import shoot
from workflows.budget.demo import load_demo_budget
from workflows.budget.models import Directive, DirectiveStatus, ProgressReport, Project, ReportStatus

pytestmark = pytest.mark.e2e

OFFICER, HEAD, DEPUTY = "songkhla.inspector1", "songkhla.pio", "dps"
LIST = "/budget/projects/?fy=2567"
LIST_URL = re.compile(r"/budget/projects/")
DIRECTIVE = "ให้เร่งรัดการรายงานผลผ่านระบบ i-Auditor ให้ครบทุกโรงงานจำพวกที่ 3 ภายในไตรมาสที่ 2"
ACTION = "จัดอบรมเจ้าหน้าที่และกำหนดเป้าหมายรายสัปดาห์แล้ว รายงานครบ 48 โรงงาน"


@pytest.fixture
def budget_demo(inspection_demo):
    assert load_demo_budget() > 0
    return inspection_demo


def open_my_task(page: Page, text: str) -> None:
    page.goto(LIST)
    row = page.get_by_test_id("task-row").filter(has_text=text)
    expect(row).to_have_count(1)
    row.locator("a").first.click()
    expect(page.locator("form.kk-form")).to_be_visible()


def submit(page: Page) -> None:
    page.locator('form.kk-form button[name="_submit"]').click()
    expect(page).to_have_url(LIST_URL)


def test_report_review_directive_to_closure(visit, budget_demo):
    report = ProgressReport.objects.get(status=ReportStatus.DUE, project__office__province_id=90)
    project = report.project
    kpi = project.kpis.get()

    # 1. The officer files the month.
    page = visit(OFFICER)
    open_my_task(page, project.code)
    page.locator('input[name="progress_pct"]').fill("12.5")
    page.locator('input[name="disbursed"]').fill("41000")
    page.locator(f'input[name="kpi_{kpi.pk}"]').fill("18")
    page.locator('textarea[name="problems"]').fill("โรงงานบางแห่งยังไม่มีบัญชีผู้ใช้งานระบบ i-Industry")
    shoot(page, "budget-report-task")
    submit(page)
    page.context.close()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.disbursed == Decimal("41000")

    # 2. The head of office approves it.
    page = visit(HEAD)
    open_my_task(page, project.code)
    expect(page.locator("body")).to_contain_text("41,000.00")
    page.locator('input[name="decision"][value="approve"]').check()
    submit(page)
    page.goto(f"/budget/project/{project.pk}/")
    expect(page.get_by_test_id("plan-vs-result")).to_contain_text("41,000.00")
    shoot(page, "budget-project")
    page.context.close()
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED

    # 3. The deputy PS reviews the office and issues a directive.
    page = visit(DEPUTY)
    page.goto(f"/budget/office/{project.office_id}/?fy=2567")
    page.get_by_test_id("new-review").click()
    page.locator('input[name="meeting_on"]').fill("25/03/2567")
    page.locator(f'input[name="projects"][value="{project.pk}"]').check()
    page.locator('textarea[name="attendees"]').fill("อุตสาหกรรมจังหวัดสงขลา\nเจ้าหน้าที่ สอจ.สงขลา")
    page.locator("form.kk-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/budget/review/\d+/$"))
    form = page.locator("form.kk-form")
    form.locator('textarea[name="text"]').fill(DIRECTIVE)
    officer = project.officer
    form.locator('select[name="assignee"]').select_option(str(officer.pk))
    form.locator('input[name="due_on"]').fill("30/04/2567")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("directive").filter(has_text=DIRECTIVE)).to_have_count(1)
    shoot(page, "budget-review")
    page.goto(f"/budget/office/{project.office_id}/?fy=2567")
    expect(page.get_by_test_id("office-directives")).to_contain_text(DIRECTIVE[:30])
    page.context.close()
    directive = Directive.objects.get(text=DIRECTIVE)

    # 4. The officer reports the action taken.
    page = visit(OFFICER)
    open_my_task(page, DIRECTIVE[:20])
    page.locator('textarea[name="text"]').fill(ACTION)
    shoot(page, "budget-directive-task")
    submit(page)
    page.context.close()

    # 5. The deputy PS accepts it: closed, and no longer open on the office's page.
    page = visit(DEPUTY)
    open_my_task(page, DIRECTIVE[:20])
    expect(page.get_by_test_id("directive-update")).to_contain_text(ACTION)
    page.locator('input[name="decision"][value="approve"]').check()
    submit(page)
    directive.refresh_from_db()
    assert directive.status == DirectiveStatus.CLOSED
    page.goto(f"/budget/office/{project.office_id}/?fy=2567")
    expect(page.get_by_test_id("office-directives")).not_to_contain_text(DIRECTIVE[:30])
    page.goto(f"/budget/review/{directive.review_id}/")
    shoot(page, "budget-directive-closed")
    page.goto("/budget/cluster/?fy=2566")
    expect(page.get_by_test_id("cluster")).to_contain_text("ศูนย์ปฏิรูปอุตสาหกรรม")
    shoot(page, "budget-cluster")
    page.context.close()
    assert Project.objects.get(pk=project.pk).reports.get().status == ReportStatus.APPROVED
