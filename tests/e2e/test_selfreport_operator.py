"""In a real browser: a factory operator (demo login operator1) logs in, sees only their factory, opens the
รว. form of the half year still to file, is told what is wrong with an out-of-range pH, corrects it and
files; the report page shows the figures. Thai screenshots of the form and the filed report land in
$SCREENSHOT_DIR (`make screenshots` points it at docs/screenshots/)."""

import re

import pytest
from playwright.sync_api import Page, expect

from org.models import Person
from registry.models import FactoryOperator, SelfReport
from registry.selfreports.demo import load_demo_reports
from tests.e2e.conftest import HOME_URL, shoot

pytestmark = pytest.mark.e2e

OPERATOR = "operator1"
FIGURES = {"wastewater_m3_per_day": "150", "bod": "22", "cod": "80", "tss": "35", "ph": "15"}


def test_operator_files_a_pollutant_report(page: Page, demo):
    load_demo_reports(by=Person.objects.get(username="admin"))
    link = FactoryOperator.objects.select_related("factory").get(person__username=OPERATOR)
    others = FactoryOperator.objects.exclude(pk=link.pk).select_related("factory")
    filed_before = SelfReport.objects.filter(factory=link.factory).count()

    page.goto("/accounts/login/")
    form = page.locator("form.vf-form")
    form.locator('input[name="username"]').fill(OPERATOR)
    form.locator('input[name="password"]').fill(demo.password)
    form.locator('button[type="submit"]').click()
    expect(page).to_have_url(HOME_URL)

    page.goto("/registry/selfreports/")
    mine = page.get_by_test_id("my-factories")
    expect(mine).to_contain_text(link.factory.name)
    for other in others:
        expect(page.get_by_text(other.factory.name)).to_have_count(0)
    page.get_by_test_id(f"file-{link.factory.pk}-rw").click()

    report_form = page.get_by_test_id("report-form")
    expect(report_form).to_be_visible()
    expect(report_form).to_contain_text("บีโอดี (BOD)")
    period = report_form.locator('select[name="period"]')
    expect(period.locator("option").first).to_have_text(re.compile(r"^ครึ่งปี(แรก|หลัง) 25\d\d$"))
    for key, value in FIGURES.items():
        report_form.locator(f'input[name="{key}"]').fill(value)
    page.get_by_test_id("submit-report").click()
    expect(page.get_by_test_id("error-ph")).to_be_visible()  # pH 15: out of range, nothing filed
    assert SelfReport.objects.filter(factory=link.factory).count() == filed_before
    shoot(page, "selfreport-form")

    page.get_by_test_id("report-form").locator('input[name="ph"]').fill("7.3")
    page.get_by_test_id("submit-report").click()

    expect(page).to_have_url(re.compile(r"/registry/selfreports/\d+/$"))
    expect(page.get_by_test_id("report-title")).to_contain_text("ครึ่งปี")
    expect(page.get_by_test_id("value-bod")).to_have_text(re.compile(r"^22 มก./ล.$"))
    expect(page.get_by_test_id("value-ph")).to_have_text(re.compile(r"^7.3\s*$"))
    expect(page.get_by_test_id("amend")).to_be_visible()
    shoot(page, "selfreport-filed")
    report = SelfReport.objects.filter(factory=link.factory, is_current=True).order_by("-filed_at").first()
    assert report.filed_by.username == OPERATOR and report.revision == 1 and report.kind.code == "rw"
    assert SelfReport.objects.filter(factory=link.factory).count() == filed_before + 1
