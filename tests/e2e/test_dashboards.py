"""In a real browser, the deputy PS follows progress on the demo data (cases in every state, Songkhla's
quarterly plans, FY 2566/2567 budget projects): from the home page to the executive dashboard (the
clusters they oversee), down to Songkhla's cluster, to the Songkhla office (its officers and cases), to
one officer's cases and to a case page; the visit briefing (PDF), the Excel export, and a past fiscal
year with the picker.

Screenshots (dashboard-*.png) land in $SCREENSHOT_DIR (`make screenshots`: docs/screenshots)."""

import re
from datetime import timedelta

import pytest
from django.test.utils import override_settings
from django.utils import timezone
from playwright.sync_api import expect
from viewflow.workflow.models import Task

from dashboards import summary
from org.models import Unit, UnitKind
from tests.e2e.conftest import shoot
from workflows.budget.demo import load_demo_budget
from workflows.inspection.demo_cases import load_demo_cases
from workflows.planning.demo import load_demo_planning

pytestmark = pytest.mark.e2e

DEPUTY = "dps"
SONGKHLA = 90


@pytest.fixture
def full_demo(inspection_demo):
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        assert load_demo_cases() > 0
        load_demo_planning()
        assert load_demo_budget() > 0
    # Two of Songkhla's open inspection tasks ran past their due date.
    late = Task.objects.filter(process__inspectionprocess__inspection__office__province_id=SONGKHLA,
                               status__in=["NEW", "ASSIGNED"], flow_task_type="HUMAN").order_by("pk")[:2]  # fmt: skip
    Task.objects.filter(pk__in=[t.pk for t in late]).update(scheduled=timezone.now() - timedelta(days=2))
    summary.rebuild()  # written around the services: recounted as `manage.py rebuild_dashboards` does
    return inspection_demo


def test_deputy_ps_drills_down_to_songkhla(visit, full_demo):
    songkhla = Unit.objects.get(kind=UnitKind.OFFICE, province_id=SONGKHLA)
    page = visit(DEPUTY)
    page.get_by_test_id("dashboard-link").click()
    expect(page).to_have_url(re.compile(r"/dashboards/$"))
    rows = page.get_by_test_id("dashboard-row")
    expect(rows.first).to_be_visible()
    clusters = Unit.objects.filter(kind=UnitKind.CLUSTER, overseen_by__holdings__person__username=DEPUTY).count()
    expect(rows).to_have_count(clusters)
    expect(page.get_by_test_id("chart-row")).to_have_count(clusters)
    expect(page.get_by_test_id("dashboard-total").get_by_test_id("overdue")).not_to_have_text("0")
    shoot(page, "dashboard-ministry")

    rows.filter(has_text=songkhla.parent.name_th).get_by_test_id("drill").click()
    expect(page).to_have_url(re.compile(rf"/dashboards/cluster/{songkhla.parent_id}/"))
    expect(page.get_by_test_id("dashboard-row")).to_have_count(
        Unit.objects.filter(parent=songkhla.parent, kind=UnitKind.OFFICE).count()
    )
    shoot(page, "dashboard-cluster")

    page.get_by_test_id("dashboard-row").filter(has_text=songkhla.province.name_th).get_by_test_id("drill").click()
    expect(page).to_have_url(re.compile(rf"/dashboards/office/{songkhla.pk}/"))
    expect(page.get_by_test_id("officer-row").first).to_be_visible()
    expect(page.get_by_test_id("officer-overdue").filter(has_text="2")).to_have_count(1)
    cases = page.get_by_test_id("case-row")
    expect(cases.first).to_be_visible()
    expect(page.get_by_test_id("dashboard-total").get_by_test_id("planned")).not_to_have_text("0")
    shoot(page, "dashboard-office")

    briefing = page.request.get(page.get_by_test_id("briefing").get_attribute("href"))
    assert briefing.ok and briefing.headers["content-type"] == "application/pdf"
    assert briefing.body().startswith(b"%PDF")
    xlsx = page.request.get(page.get_by_test_id("xlsx").get_attribute("href"))
    assert xlsx.ok and xlsx.body().startswith(b"PK")

    page.get_by_test_id("officer-cases").first.click()
    expect(page).to_have_url(re.compile(r"officer=\d+"))
    expect(page.get_by_test_id("all-cases")).to_be_visible()
    cases = page.get_by_test_id("case-row")
    expect(cases.first).to_be_visible()
    cases.first.locator('a[href^="/inspection/case/"]').click()
    expect(page).to_have_url(re.compile(r"/inspection/case/\d+/$"))

    page.goto("/dashboards/")
    page.get_by_test_id("fy-picker").locator("select").select_option("2567")
    expect(page).to_have_url(re.compile(r"/dashboards/\?fy=2567"))
    expect(page.get_by_test_id("dashboard-total").get_by_test_id("disbursed")).to_contain_text("%")
    shoot(page, "dashboard-fy2567")
    expect(page.get_by_test_id("tile-plan")).to_be_visible()
    shoot(page, "dashboard-tiles")

    page.get_by_test_id("map-picker").locator("select").select_option("orders")
    expect(page).to_have_url(re.compile(r"figure=orders"))
    expect(page.get_by_test_id("map-province").first).to_be_attached()
    page.get_by_test_id("map-section").scroll_into_view_if_needed()
    shoot(page, "dashboard-map")
    page.locator(f'[data-testid="map-province"][href^="/dashboards/office/{songkhla.pk}/"]').click()
    expect(page).to_have_url(re.compile(rf"/dashboards/office/{songkhla.pk}/"))

    page.get_by_test_id("standard-link").click()
    expect(page).to_have_url(re.compile(r"/dashboards/standard/"))
    expect(page.get_by_test_id("funnel").or_(page.get_by_test_id("standard-empty"))).to_be_visible()
    shoot(page, "dashboard-standard")

    page.set_viewport_size({"width": 390, "height": 844})
    for path in ["/dashboards/?fy=2567", f"/dashboards/office/{songkhla.pk}/?fy=2567", "/dashboards/standard/"]:
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path  # no sideways scrolling
