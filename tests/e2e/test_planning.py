"""In a real browser, a quarterly inspection plan from generation to started cases, each person in a
fresh browser context logged in through the login form (Thai):

1. the Songkhla group head generates the plan for the next quarter (the highest-risk factories, as many
   as two inspectors × 6 cases), opens the prepare task, removes the last factory and submits;
2. the provincial industry officer opens the approve task from the plan page and approves;
3. the plan page shows the started cases and their progress; the first factory's "why this score"
   page lists every component and its points.

Screenshots (plan-page, risk-why) land in $SCREENSHOT_DIR, by default test-results/screenshots."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import shoot
from workflows.planning.models import InspectionPlan, PlanStatus, RiskComponent
from workflows.planning.risk import risk_recompute_all

pytestmark = pytest.mark.e2e

HEAD, OFFICER = "songkhla.head", "songkhla.pio"
PLAN_URL = re.compile(r"/planning/plans/\d+/$")


def test_group_head_plans_officer_approves_and_the_cases_start(inspection_demo, visit):
    risk_recompute_all()
    head = visit(HEAD)
    head.goto("/planning/plans/")
    head.get_by_test_id("generate-plan").click()
    expect(head).to_have_url(PLAN_URL)
    items = head.get_by_test_id("plan-item")
    expect(items).to_have_count(12)

    head.get_by_test_id("open-task").click()
    expect(head).to_have_url(re.compile(r"/planning/flow/\d+/prepare/\d+/execute/$"))
    head.get_by_test_id("remove-item").last.click()
    expect(head.get_by_test_id("plan-item")).to_have_count(11)
    head.locator('form.kk-form button[name="_submit"]').click()
    expect(head).to_have_url(PLAN_URL)
    plan = InspectionPlan.objects.get()
    assert plan.status == PlanStatus.SUBMITTED

    officer = visit(OFFICER)
    officer.goto(plan.get_absolute_url())
    officer.get_by_test_id("open-task").click()
    officer.locator('input[name="decision"][value="approve"]').check()
    officer.locator('form.kk-form button[name="_submit"]').click()
    expect(officer).to_have_url(PLAN_URL)
    expect(officer.get_by_test_id("plan-progress")).to_contain_text("11")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert plan.items.filter(inspection__inspector__isnull=False).count() == 11
    expect(officer.locator('a[href^="/inspection/case/"]')).to_have_count(11)
    shoot(officer, "plan-page")

    officer.get_by_test_id("plan-item").first.locator('a[href^="/planning/risk/"]').click()
    expect(officer.get_by_test_id("risk-component")).to_have_count(len(RiskComponent.values))
    expect(officer.get_by_test_id("risk-score")).to_have_text(str(plan.items.order_by("rank").first().risk_score))
    shoot(officer, "risk-why")
