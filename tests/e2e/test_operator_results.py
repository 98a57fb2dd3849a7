"""In a real browser: a factory operator opens their inspection results and orders from the home
page and downloads the signed report. Screenshot: operator-results.png in $SCREENSHOT_DIR."""

import pytest
from playwright.sync_api import expect

from registry.models import FactoryOperator
from registry.selfreports.demo import load_demo_operators
from tests.e2e.conftest import shoot
from workflows.inspection.demo_cases import load_demo_cases
from workflows.inspection.models import Inspection

pytestmark = pytest.mark.e2e

OPERATOR = "operator1"


def test_operator_reads_results_and_downloads_the_report(visit):
    load_demo_cases()
    load_demo_operators()
    link = FactoryOperator.objects.get(person__username=OPERATOR)
    signed = Inspection.objects.filter(signed_off_at__isnull=False, office=link.factory.office).first()
    assert signed is not None, "the demo cases include a signed-off one in the operator's province"
    FactoryOperator.objects.create(person=link.person, factory=signed.factory)  # the operator runs that one too
    in_work = Inspection.objects.filter(signed_off_at__isnull=True).exclude(factory=signed.factory).first()

    page = visit(OPERATOR)
    page.get_by_test_id("my-results").click()

    row = page.get_by_test_id(f"result-{signed.pk}")
    expect(row).to_contain_text(signed.ref_no)
    expect(row).to_contain_text(signed.factory.name)
    if in_work is not None:
        expect(page.get_by_text(in_work.ref_no)).to_have_count(0)
    shoot(page, "operator-results")
    href = row.get_by_test_id("report-pdf").get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
