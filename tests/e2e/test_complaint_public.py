"""In a real browser, a complaint from the public to the office and back:

1. a member of the public (no login) sends the form with a too-short description: the form says why,
   keeps what was typed, and nothing is stored;
2. they complete it (province, district, the factory by name, a real PNG photo, contact details) and
   get a tracking number; the public status page shows "received" and none of the contact details;
3. the Songkhla group head finds it in the complaint tasks, accepts it (an inspection case opens for
   the factory);
4. the complainant's status page now reads "accepted for inspection".

Screenshots (complaint-form, complaint-submitted, complaint-status, complaint-triage) land in
$SCREENSHOT_DIR (`make screenshots` points it at docs/screenshots)."""

import re

import pytest
from playwright.sync_api import Page, expect

from registry.models import Factory
from tests.e2e.conftest import shoot
from workflows.complaint.models import Complaint, ComplaintStatus
from workflows.inspection.models import Inspection, InspectionReason

pytestmark = pytest.mark.e2e

SONGKHLA = 90
DESCRIPTION = "โรงงานปล่อยน้ำเสียสีดำลงคลองข้างหมู่บ้านทุกคืน มีกลิ่นเหม็นมาก ปลาในคลองตายเป็นจำนวนมาก"
CONTACT = "นางสาวผู้ร้อง ทดสอบระบบ"


def fill_place(page: Page, factory: Factory) -> None:
    page.locator("#id_province").select_option(str(factory.province_id))
    page.locator("#id_district").select_option(str(factory.district_id))
    page.locator("#id_factory_text").fill(factory.name)


def test_complainant_files_and_follows_a_complaint(page: Page, visit, photo, inspection_demo):
    factory = Factory.objects.filter(province_id=SONGKHLA, status="operating").order_by("pk").first()

    page.goto("/complaint/new/")
    page.locator("#id_description").fill("น้ำเสีย")  # too short
    fill_place(page, factory)
    page.locator("#id_contact_name").fill(CONTACT)
    page.get_by_role("button", name="ส่งเรื่องร้องเรียน").click()
    expect(page.locator(".errorlist").first).to_contain_text("ระหว่าง")
    expect(page.locator("#id_contact_name")).to_have_value(CONTACT)  # nothing typed is lost
    assert not Complaint.objects.exists()

    page.locator("#id_description").fill(DESCRIPTION)
    if page.locator("#id_district").input_value() != str(factory.district_id):
        fill_place(page, factory)
    page.locator("#id_photos").set_input_files(str(photo))
    shoot(page, "complaint-form")
    page.get_by_role("button", name="ส่งเรื่องร้องเรียน").click()
    tracking = page.get_by_test_id("tracking-no")
    expect(tracking).to_have_text(re.compile(r"^RC-\d{4}-[2-9A-Z]{6}$"))
    number = tracking.inner_text().strip()
    shoot(page, "complaint-submitted")

    page.get_by_role("link", name="ดูสถานะเรื่อง").click()
    expect(page.get_by_test_id("status")).to_have_text(str(ComplaintStatus.RECEIVED.label))
    expect(page.get_by_test_id("complaint-status")).not_to_contain_text(CONTACT)
    shoot(page, "complaint-status")
    complaint = Complaint.objects.get(tracking_no=number)
    assert complaint.factory == factory and complaint.photos.count() == 1

    head = visit("songkhla.head")
    head.goto("/complaints/list/")
    head.get_by_test_id("complaint-tasks").get_by_role("row").filter(has_text=number).get_by_role("link").nth(1).click()
    expect(head.locator("body")).to_contain_text(factory.name)
    head.locator('input[name="decision"][value="accept"]').check()
    shoot(head, "complaint-triage")
    head.locator('button[name="_submit"]').click()
    expect(head).to_have_url(re.compile(r"/complaints/"))

    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ACCEPTED
    assert Inspection.objects.get(pk=complaint.inspection_id).reason == InspectionReason.COMPLAINT
    page.goto(f"/complaint/status/?no={number}")
    expect(page.get_by_test_id("status")).to_have_text(str(ComplaintStatus.ACCEPTED.label))
