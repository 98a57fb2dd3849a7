"""In a real browser, one inspection case from start to close, each person in a fresh browser context
who logs in through the login form (Thai):

1. the Songkhla group head opens a case for a Songkhla factory and assigns songkhla.inspector1;
2. the inspector, on her phone (390 px), agrees to have her photos stamped with her position (the
   context's geolocation), answers every checklist item (compliant answers, read from the checklist
   itself; numbers typed as "25.0"), attaches two photos to the photo-required item (a small PNG and a
   2400 × 1800 JPEG: both sent as JPEGs resized on the device, the large one to 1600 px), has the factory's
   representative sign their acknowledgement and signs herself (signature pads), saves a draft, finds it
   intact after a reload (numbers as typed, thumbnails, stamps), and submits it for review;
3. the group head returns it with a comment; the inspector finds the comment and her photo on the
   task, resubmits; the group head approves;
4. the provincial industry officer signs off; the case page shows the outcome, the timeline, the photos
   and both signatures, and the report link serves a PDF with the signatures.

Screenshots (inbox, inspect-task, review-task, case-page, signature-pad-390) land in $SCREENSHOT_DIR, by default
test-results/screenshots (`make screenshots` points it at docs/screenshots).

Uploaded photos go to a temporary MEDIA_ROOT, which live_server serves at MEDIA_URL."""

import os
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone, translation
from PIL import Image, ImageDraw
from playwright.sync_api import Locator, Page, expect

from org.models import Person
from registry.models import Factory
from tests.e2e.conftest import PHOTO_SIZE, SCREENSHOTS, draw_signature, shoot, th
from workflows import audit
from workflows.inspection import services
from workflows.inspection.models import AnswerType, Inspection, Outcome

pytestmark = pytest.mark.e2e

HEAD, INSPECTOR, OFFICER = "songkhla.head", "songkhla.inspector1", "songkhla.pio"
SONGKHLA = 90
INBOX_URL = re.compile(r"/inspection/inbox/$")
RETURN_COMMENT = "ภาพหน้าโรงงานไม่เห็นป้ายชื่อ โปรดตรวจสอบและยืนยันอีกครั้ง"
FINDINGS = "โรงงานประกอบกิจการตามที่ได้รับอนุญาต ไม่พบข้อบกพร่อง"
REPRESENTATIVE = "นายประเสริฐ มั่นคง"
PHONE = {"width": 390, "height": 844}
PLACE = {"latitude": 7.0086, "longitude": 100.4747, "accuracy": 12}  # the factory's yard, Hat Yai


# --- helpers --------------------------------------------------------------------------------------


def task_row(page: Page, ref_no: str):
    return page.get_by_test_id("task-row").filter(has_text=ref_no)


def open_task(page: Page, ref_no: str, step: str) -> None:
    """From the inbox, open this case's task `step` (a node of InspectionFlow)."""
    page.goto("/inspection/inbox/")
    link = task_row(page, ref_no).locator(f'a[href*="/{step}/"]')
    expect(link).to_have_count(1)
    link.click()
    expect(page).to_have_url(re.compile(rf"/inspection/flow/\d+/{step}/\d+/execute/$"))
    expect(page.get_by_test_id("case-summary")).to_contain_text(ref_no)


def submit(page: Page) -> None:
    """Press the task form's main button and land back on the inbox."""
    page.locator('form.kk-form button[name="_submit"]').click()
    expect(page).to_have_url(INBOX_URL)


def compliant_answers(inspection: Inspection) -> dict:
    """item -> an answer its own rules judge compliant (None: a photo-only item)."""
    answers = {}
    for item in services._items(inspection).order_by("section__order", "order"):
        bad = item.noncompliant_answers or []
        if item.answer_type == AnswerType.YES_NO:
            answers[item] = "yes" if "yes" not in bad else "no"
        elif item.answer_type == AnswerType.NUMBER:
            low, high = item.compliant_min, item.compliant_max
            value = (low + high) / 2 if low is not None and high is not None else high or (low or 0) + 25
            typed = f"{Decimal(value).normalize():f}"  # then as an inspector types it: 25.0, 14.50
            answers[item] = f"{typed}0" if "." in typed else f"{typed}.0"
        elif item.answer_type == AnswerType.CHOICE:
            answers[item] = next(choice for choice in item.choices if choice not in bad)
        elif item.answer_type == AnswerType.TEXT:
            answers[item] = f"{item.code}: ผลิตตามใบอนุญาต วัตถุดิบและกระบวนการตรงกับที่แจ้งไว้"
        else:
            answers[item] = None
    assert {AnswerType.YES_NO, AnswerType.NUMBER, AnswerType.CHOICE, AnswerType.TEXT} <= {
        item.answer_type for item in answers
    }, "the demo checklist no longer has every kind of answer"
    return answers


def answer_field(page: Page, item):
    return page.get_by_test_id(f"item-{item.code}").locator(f'[name="item_{item.pk}"]')


def answer_button(page: Page, item, value: str):
    """Yes / no / n.a. and choices are answer buttons (radios)."""
    return page.get_by_test_id(f"item-{item.code}").locator(f'input[name="item_{item.pk}"][value="{value}"]')


def expect_answers(page: Page, answers: dict) -> None:
    for item, value in answers.items():
        if value is None:
            continue
        field = answer_field(page, item)
        if item.answer_type in (AnswerType.YES_NO, AnswerType.CHOICE):
            expect(answer_button(page, item, value)).to_be_checked()
        else:  # a number too, exactly as typed (issue 16, item 5): "25.0" stays "25.0", not "25" or "2.5E+1"
            expect(field).to_have_value(value)


def expect_thumbnails(page: Page, item) -> None:
    """The item's two photos shown on its card as the server's thumbnails (at most 320 px), really loaded by the
    browser; both were sent as JPEGs resized on the device."""
    thumbs = page.get_by_test_id(f"item-{item.code}").locator("img.kk-thumb")
    expect(thumbs).to_have_count(2)
    expect(thumbs.first).to_be_visible()
    thumbs.first.scroll_into_view_if_needed()  # loaded lazily, once near the screen
    expect(thumbs.first).to_have_attribute("alt", "factory-front.jpg")
    expect(thumbs.first).to_have_js_property("naturalWidth", PHOTO_SIZE[0])  # small already: kept at its size
    expect(thumbs.first).to_have_js_property("naturalHeight", PHOTO_SIZE[1])
    expect(thumbs.nth(1)).to_have_attribute("alt", "plant-room.jpg")
    expect(thumbs.nth(1)).to_have_js_property("naturalWidth", 320)  # 2400 × 1800 taken, 1600 × 1200 sent
    expect(page.get_by_test_id(f"item-{item.code}").locator(".kk-stamp")).to_have_count(2)


def big_photo(folder: Path) -> Path:
    """A photo as a phone camera takes it (2400 × 1800 px JPEG)."""
    path = folder / "plant-room.jpg"
    image = Image.new("RGB", (2400, 1800), (120, 120, 110))
    ImageDraw.Draw(image).rectangle((600, 500, 1800, 1400), fill=(40, 70, 140))
    image.save(path, format="JPEG", quality=90)
    return path


def sign(page: Page, who: str) -> None:
    """Draw a signature with the finger (pointer events) on the pad of `who`."""
    expect(page.locator(f'[data-kk-sign="{who}"]')).to_have_attribute("data-kk-sign-ready", "")
    draw_signature(page, f"pad-{who}")
    expect(page.locator(f'input[name="{who}_signature"]')).to_have_value(re.compile(r"^data:image/png;base64,"))


def shoot_element(locator: Locator, name: str) -> None:
    """One part of the page as laid out in the whole page (the sticky save bar stays at the page's end)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    box = locator.bounding_box()
    scroll = locator.page.evaluate("[window.scrollX, window.scrollY]")
    clip = {"x": box["x"] + scroll[0], "y": box["y"] + scroll[1], "width": box["width"], "height": box["height"]}
    locator.page.evaluate("document.fonts.ready.then(() => true)")
    locator.page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True, clip=clip)


# --- the test -------------------------------------------------------------------------------------


def test_inspection_from_start_to_sign_off(visit, photo, tmp_path):
    factory = Factory.objects.filter(province_id=SONGKHLA, office__isnull=False).order_by("pk").first()
    assert factory is not None
    assert not Inspection.objects.filter(factory=factory, closed_at__isnull=True).exists()
    inspector = Person.objects.get(username=INSPECTOR)

    # 1. The group head opens the case and assigns the inspector.
    page = visit(HEAD)
    page.goto("/inspection/new/")
    page.locator('form.kk-form select[name="factory"]').select_option(str(factory.pk))
    page.locator('form.kk-form button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/inspection/case/\d+/$"))
    inspection = Inspection.objects.get(factory=factory, closed_at__isnull=True)
    ref_no = inspection.ref_no
    assert page.url.endswith(f"/inspection/case/{inspection.pk}/")
    summary = page.get_by_test_id("case-summary")
    expect(summary).to_contain_text(ref_no)
    expect(summary).to_contain_text(factory.name)

    open_task(page, ref_no, "assign")
    page.locator('form.kk-form select[name="inspector"]').select_option(str(inspector.pk))
    submit(page)
    expect(task_row(page, ref_no)).to_have_count(0)  # nothing left for the head on this case
    page.context.close()

    # 2. The inspector fills the checklist, saves a draft, reloads, and submits.
    answers = compliant_answers(inspection)
    photo_item = next(item for item in answers if item.photo_required)
    page = visit(INSPECTOR)
    page.set_viewport_size(PHONE)  # on her phone, where she agrees to have her photos stamped with her position
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation(PLACE)
    open_task(page, ref_no, "inspect")
    inspect_url = page.url
    page.get_by_test_id("stamp-consent-box").check()
    expect(page.get_by_test_id("stamp-status")).to_contain_text("7.00860, 100.47470")
    for item, value in answers.items():
        if value is None:
            continue
        if item.answer_type in (AnswerType.YES_NO, AnswerType.CHOICE):
            answer_button(page, item, value).check()
        else:
            answer_field(page, item).fill(value)
    progress = page.get_by_test_id("checklist-progress")  # counted as the inspector answers
    expect(progress).to_have_text(f"{len(answers) - 1} / {len(answers)}")  # the photo is still missing
    photo_card = page.get_by_test_id(f"item-{photo_item.code}")
    photo_card.locator(f'input[name="photo_{photo_item.pk}"]').set_input_files([photo, big_photo(tmp_path)])
    expect(progress).to_have_text(f"{len(answers)} / {len(answers)}")
    expect(photo_card.locator("[data-kk-cl-previews] img")).to_have_count(2)  # resized on the device
    # The factory's representative acknowledges the inspection, then the inspector signs.
    page.get_by_test_id("signatures-card").locator("summary").click()
    page.locator('input[name="representative_name"]').fill(REPRESENTATIVE)
    page.locator('input[name="representative_title"]').fill("ผู้จัดการโรงงาน")
    sign(page, "representative")
    sign(page, "inspector")
    shoot_element(page.get_by_test_id("signatures-card"), "signature-pad-390")
    page.locator('textarea[name="findings"]').fill(FINDINGS)
    inspected_on = timezone.localdate()
    page.locator('input[name="inspected_on"]').fill(f"{inspected_on:%d/%m/}{inspected_on.year + 543}")
    page.locator('button[name="save_draft"]').click()
    expect(page.get_by_text(th("Draft saved. You can come back to it from your inbox."))).to_be_visible()
    assert page.url == inspect_url

    page.reload()
    expect_answers(page, answers)
    expect(page.locator('textarea[name="findings"]')).to_have_value(FINDINGS)
    expect_thumbnails(page, photo_item)
    shoot_element(page.get_by_test_id(f"item-{photo_item.code}"), "checklist-photos-390")
    inspection.refresh_from_db()
    assert inspection.submitted_at is None, "a draft must not be submitted"
    photos = list(inspection.evidence.filter(item=photo_item).order_by("pk"))
    assert [(p.original_name, p.content_type) for p in photos] == [
        ("factory-front.jpg", "image/jpeg"),
        ("plant-room.jpg", "image/jpeg"),
    ]
    with Image.open(photos[1].file.path) as sent:
        assert sent.size == (1600, 1200)  # resized on the device before it was sent
    assert {(p.latitude, p.longitude, p.accuracy_m) for p in photos} == {
        (Decimal("7.008600"), Decimal("100.474700"), 12)
    }
    assert all(p.taken_at is not None for p in photos)
    signatures = dict(inspection.evidence.filter(kind="signature").values_list("signer_role", "signer_name"))
    assert signatures == {"representative": REPRESENTATIVE, "inspector": inspector.display_name}
    submit(page)
    expect(page.get_by_text(th("Sent to the group head for review."))).to_be_visible()
    page.context.close()

    # 3. The group head returns it with a comment ...
    page = visit(HEAD)
    open_task(page, ref_no, "review")
    page.locator('input[name="decision"][value="return"]').check()
    page.locator('textarea[name="comments"]').fill(RETURN_COMMENT)
    shoot(page, "review-task")
    submit(page)
    page.context.close()

    # ... the inspector finds it back, with the comment and her photo, and resubmits ...
    page = visit(INSPECTOR)
    page.goto("/inspection/inbox/")
    expect(task_row(page, ref_no).locator('a[href*="/inspect/"]')).to_have_count(1)
    shoot(page, "inbox")
    open_task(page, ref_no, "inspect")
    expect(page.get_by_test_id("case-summary").locator("em")).to_have_text(RETURN_COMMENT)
    expect_answers(page, answers)
    expect_thumbnails(page, photo_item)
    shoot(page, "inspect-task")
    submit(page)
    page.context.close()

    # ... and the group head approves.
    page = visit(HEAD)
    open_task(page, ref_no, "review")
    page.locator('input[name="decision"][value="approve"]').check()
    submit(page)
    page.context.close()

    # 4. The provincial industry officer signs off; the case closes as compliant.
    page = visit(OFFICER)
    open_task(page, ref_no, "sign_off")
    page.locator('input[name="confirm"]').check()
    submit(page)
    expect(task_row(page, ref_no)).to_have_count(0)

    page.goto(f"/inspection/case/{inspection.pk}/")
    with translation.override("th"):
        compliant = str(Outcome.COMPLIANT.label)
    expect(page.get_by_test_id("case-summary").locator(".kk-badge")).to_have_text(compliant)
    timeline = page.locator("ol.kk-timeline")
    for label in ("Case opened", "Submitted for review", "Report signed off", "Case closed"):
        expect(timeline.locator(".kk-timeline-what").filter(has_text=th(label))).not_to_have_count(0)
    expect(timeline.locator(".kk-timeline-comment")).to_contain_text([RETURN_COMMENT])
    expect(timeline.locator(".kk-timeline-item")).to_have_count(audit.timeline(inspection).count())
    shoot(page, "case-page")
    expect(page.get_by_test_id("signature-representative")).to_contain_text(REPRESENTATIVE)
    expect(page.get_by_test_id("signature-inspector")).to_contain_text(inspector.display_name)
    expect(page.get_by_test_id("signature-representative").locator("img")).not_to_have_js_property("naturalWidth", 0)
    expect(page.get_by_test_id("case-answers").locator("img.kk-thumb")).to_have_count(2)

    href = page.get_by_test_id("report-pdf").get_attribute("href")
    assert href == f"/inspection/case/{inspection.pk}/report.pdf"
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    report = subprocess.run(["pdftotext", "-", "-"], input=response.body(), capture_output=True, check=True)
    assert f"({REPRESENTATIVE})" in report.stdout.decode() and "ผู้แทนโรงงาน รับทราบผลการตรวจ" in report.stdout.decode()
    if os.environ.get("SCREENSHOT_DIR"):  # `make screenshots`: the report with its signature block, to look at
        (SCREENSHOTS / "inspection-report.pdf").write_bytes(response.body())

    inspection.refresh_from_db()
    assert inspection.outcome == Outcome.COMPLIANT and inspection.closed_at is not None
    assert inspection.signed_off_by == Person.objects.get(username=OFFICER)
    assert list(inspection.reviews.values_list("number", "decision", "comments")) == [
        (1, "return", RETURN_COMMENT),
        (2, "approve", ""),
    ]
