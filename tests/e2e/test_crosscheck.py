"""In a real browser, the inspector sees the factory's own figures beside the checklist:

1. a Songkhla factory has filed its yearly operations report (120 workers, 300 hp);
2. the inspector opens her inspect task: the reported values stand beside the two figure items, with
   the report they come from;
3. she types 96 workers (20 % fewer): the page says at once that this is beyond the 10 % tolerance;
   302 hp stays within it;
4. she saves the draft: the saved answer carries the discrepancy flag (and only that one).

Screenshot: crosscheck-inspect (in $SCREENSHOT_DIR; `make screenshots` points it at docs/screenshots)."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from org.models import Person
from registry.models import Factory
from registry.selfreports.kinds import ensure_standard_kinds
from registry.selfreports.models import ReportKind
from tests.e2e.conftest import shoot, th
from tests.registry.selfreports.factories import SelfReportFactory
from tests.workflows.inspection.test_flow_paths import open_task
from workflows.inspection import services
from workflows.inspection.models import ChecklistItem, Inspection

pytestmark = pytest.mark.e2e

SONGKHLA = 90


def test_inspector_sees_the_reported_value_and_the_discrepancy(visit, inspection_demo):
    ensure_standard_kinds()
    factory = Factory.objects.filter(province_id=SONGKHLA, office__isnull=False).order_by("pk").first()
    SelfReportFactory(
        factory=factory, kind=ReportKind.objects.get(code="ops"),
        values={"workers": Decimal(120), "machinery_hp": Decimal(300)},
    )  # fmt: skip
    head, inspector = Person.objects.get(username="songkhla.head"), Person.objects.get(username="songkhla.inspector1")
    inspection = services.inspection_start(factory=factory, by=head)
    task = open_task(inspection, "assign")
    with task.activation() as activation:
        activation.start(None)
        services.inspection_assign(inspection=inspection, inspector=inspector, by=head)
        activation.execute()
    items = {i.reported_field: i for i in ChecklistItem.objects.filter(section__version=inspection.checklist_id)}
    workers, hp = items["workers"], items["machinery_hp"]

    page = visit("songkhla.inspector1")
    page.goto("/inspection/inbox/")
    page.get_by_test_id("task-row").filter(has_text=inspection.ref_no).locator('a[href*="/inspect/"]').click()
    expect(page).to_have_url(re.compile(r"/inspect/\d+/execute/$"))
    reported = page.get_by_test_id(f"reported-{workers.code}")
    expect(reported).to_contain_text("120")
    expect(reported).to_contain_text("รายงานประจำปี")
    expect(page.get_by_test_id(f"reported-{hp.code}")).to_contain_text("300")

    page.locator(f'[name="item_{workers.pk}"]').fill("96")
    expect(page.get_by_test_id(f"live-{workers.code}")).to_contain_text("20.0%")
    expect(page.get_by_test_id(f"live-{workers.code}")).to_contain_text(
        th("beyond tolerance: will be flagged as a discrepancy")
    )
    page.locator(f'[name="item_{hp.pk}"]').fill("302")
    expect(page.get_by_test_id(f"live-{hp.code}")).to_contain_text(th("within tolerance"))

    page.locator('button[name="save_draft"]').click()
    expect(page.get_by_test_id(f"discrepancy-{workers.code}")).to_be_visible()
    expect(page.get_by_test_id(f"discrepancy-{hp.code}")).to_have_count(0)
    page.get_by_test_id(f"item-{workers.code}").scroll_into_view_if_needed()
    shoot(page, "crosscheck-inspect")
    saved = Inspection.objects.get(pk=inspection.pk).answers.get(item=workers)
    assert saved.discrepancy and saved.reported_number == 120 and saved.deviation_pct == Decimal("20.0")
