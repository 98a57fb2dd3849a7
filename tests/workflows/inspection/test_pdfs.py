"""The case's PDFs: the inspection report and the corrective order letter — what they say, who may
open them, and that rendering reads only the Sarabun files and media, never the network."""

import io
import logging
import os
import re
import socket
import subprocess
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw
from weasyprint import HTML

from org import services as org_services
from org.calendar import format_be
from tests.clock import at
from tests.conftest import LOPBURI, staff
from tests.factories import FactoryFactory
from tests.registry.selfreports.factories import SelfReportFactory
from tests.workflows.inspection.conftest import acting_officer
from tests.workflows.inspection.test_flow_paths import checklist_answers, do, start_and_inspect
from workflows import signing
from workflows.inspection import selectors, services
from workflows.inspection.models import AnswerType, ChecklistItem, ChecklistSection, Letterhead
from workflows.pdf import FONT_DIR, PRESCALE_PX, FetchRefused, LocalFileFetcher, prescaled, render_pdf

pytestmark = pytest.mark.django_db

REQUIREMENT = "นำสิ่งของที่กีดขวางทางหนีไฟออกและติดตั้งป้ายบอกทางหนีไฟให้มองเห็นชัดเจน"


def pdf_text(pdf: bytes) -> str:
    """The PDF's text in drawing order (pdftotext -raw: sorting by position would put a tone mark
    after the vowel beside it), with all white space removed (Thai has no spaces between words, so a
    line may break between any two words). Nothing is recomposed: ำ copies out as typed (pdf_fonts)."""
    text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return squash(text)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_tool(tool: str, pdf: bytes, tmp_path: Path) -> list[str]:
    """The table rows printed by poppler's pdffonts or pdfimages -list (header lines dropped)."""
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    args = [tool, "-list", str(path)] if tool == "pdfimages" else [tool, str(path)]
    return subprocess.run(args, capture_output=True, check=True, text=True).stdout.splitlines()[2:]


def png(width=640, height=480) -> bytes:
    image = Image.new("RGB", (width, height), (180, 196, 210))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 120, 580, 470), fill=(120, 84, 60))
    draw.rectangle((250, 200, 390, 470), fill=(40, 160, 70))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def signed_off(client, songkhla, checklist, factory):
    inspection = start_and_inspect(client, songkhla, factory, exit_ok=False)
    do(client, songkhla.head, inspection, "review", {"decision": "approve"})
    do(client, songkhla.officer, inspection, "sign_off", {"confirm": "on"})
    client.logout()
    inspection.refresh_from_db()
    return inspection


@pytest.fixture
def issued_order(client, songkhla, signed_off, rules):
    do(
        client,
        songkhla.officer,
        signed_off,
        "draft_order",
        {"kind": "s37", "requirement": REQUIREMENT, "period_days": "30"},
    )
    do(client, songkhla.officer, signed_off, "approve_order", {"approve": "1"})
    client.logout()
    return services.current_order(signed_off)


def report_url(inspection):
    return reverse("inspection:report_pdf", args=[inspection.pk])


def order_url(order):
    return reverse("inspection:order_pdf", args=[order.inspection_id, order.pk])


@at(2026, 11, 16)
def test_report_of_a_signed_off_case_names_factory_case_date_and_officer(client, songkhla, signed_off, factory):
    client.force_login(songkhla.inspector2)
    response = client.get(report_url(signed_off))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('inline; filename="inspection-report-90-')
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert squash(factory.name) in text
    assert signed_off.ref_no in text
    assert squash(format_be(signed_off.inspected_on, "long")) in text
    assert "2569" in text
    assert squash(f"({songkhla.officer.display_name}) อุตสาหกรรมจังหวัดสงขลา") in text  # name, then position
    assert squash("16 พฤศจิกายน 2569") in text  # the day it was signed off
    assert squash(songkhla.head.display_name) in text and squash(songkhla.inspector.display_name) in text
    assert "ทางหนีไฟไม่ถูกปิดกั้น" in text and "ไม่ผ่าน" in text


def test_report_of_a_case_not_yet_signed_off_is_marked_draft(client, songkhla, checklist, factory):
    inspection = start_and_inspect(client, songkhla, factory, exit_ok=True)
    client.force_login(songkhla.inspector)
    text = pdf_text(client.get(report_url(inspection)).content)
    assert squash("ร่าง — รายงานนี้ยังไม่ได้รับการลงนาม") in text
    assert squash(songkhla.inspector.display_name) in text


def test_the_pdf_embeds_only_the_sarabun_faces(songkhla, signed_off, tmp_path):
    pdf = render_pdf("pdf/inspection/report.html", selectors.report_context(signed_off))
    rows = pdf_tool("pdffonts", pdf, tmp_path)
    assert rows and all("Sarabun" in row.split()[0] for row in rows), rows


def test_evidence_photos_are_embedded_as_thumbnails(songkhla, signed_off, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    exit_item = signed_off.checklist.sections.get().items.get(code="S1")
    upload = SimpleUploadedFile("ทางหนีไฟ ด้านหลัง.png", png(), content_type="image/png")
    services.evidence_add(inspection=signed_off, by=songkhla.inspector, upload=upload, item_id=exit_item.pk)
    pdf = render_pdf("pdf/inspection/report.html", selectors.report_context(signed_off))
    assert squash("ทางหนีไฟ ด้านหลัง.png") in pdf_text(pdf)
    assert len(pdf_tool("pdfimages", pdf, tmp_path)) == 1


def test_order_letter_has_the_parts_of_an_official_letter(client, songkhla, issued_order, factory):
    client.force_login(songkhla.inspector)
    response = client.get(order_url(issued_order))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    for part in ("ที่", "เรื่อง", "เรียน", "อ้างถึง", "ขอแสดงความนับถือ"):
        assert part in text
    assert squash(issued_order.letter_no) in text
    assert "คำสั่งให้ปรับปรุงแก้ไขโรงงาน" in text
    assert squash(factory.name) in text
    assert squash(REQUIREMENT) in text
    assert squash("ภายใน 30 วัน นับแต่วันที่ได้รับคำสั่งนี้") in text  # the period runs from receipt, not a date
    assert squash(format_be(issued_order.issued_on, "long")) in text
    assert squash(songkhla.officer.display_name) in text
    assert squash(issued_order.signed_as) in text


def test_an_acting_officer_signs_with_the_acting_title(client, songkhla, checklist, factory, rules):
    holding = songkhla.officer.holdings.get()
    today = timezone.localdate()
    org_services.end_holding(holding=holding, end=today - timedelta(days=1))
    org_services.appoint_acting(
        position=holding.position, person=songkhla.head, start=today - timedelta(days=1), end=today + timedelta(days=9)
    )
    inspection = start_and_inspect(client, songkhla, factory, exit_ok=False)
    do(client, songkhla.head, inspection, "review", {"decision": "approve"})
    do(client, songkhla.head, inspection, "sign_off", {"confirm": "on"})
    do(client, songkhla.head, inspection, "draft_order", {
        "kind": "s37", "requirement": REQUIREMENT, "period_days": "30",
    })  # fmt: skip
    do(client, songkhla.head, inspection, "approve_order", {"approve": "1"})
    order = services.current_order(inspection)
    acting = squash("รักษาราชการแทน อุตสาหกรรมจังหวัดสงขลา")
    report = pdf_text(client.get(report_url(inspection)).content)
    letter = pdf_text(client.get(order_url(order)).content)
    assert acting in report and acting in letter
    assert squash(songkhla.head.display_name) in letter


@pytest.mark.parametrize("document", ["report", "order"])
@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("other_province", 404), ("same_office", 200)])
def test_pdfs_follow_the_office_scope(client, songkhla, issued_order, document, who, status):
    if who == "other_province":
        client.force_login(staff(LOPBURI, "group_head"))
    elif who == "same_office":
        client.force_login(songkhla.inspector2)
    url = report_url(issued_order.inspection) if document == "report" else order_url(issued_order)
    response = client.get(url)
    assert response.status_code == status
    if who == "anonymous":
        assert "/accounts/login/" in response["Location"]


def test_an_order_not_yet_issued_has_no_letter(client, songkhla, signed_off, rules):
    order = services.order_draft(
        inspection=signed_off, by=songkhla.officer, kind="s37", requirement=REQUIREMENT,
        period_days=30,
    )  # fmt: skip
    client.force_login(songkhla.officer)
    assert order.status == "approving" and client.get(order_url(order)).status_code == 404
    services.order_decide(order=order, by=songkhla.officer, approve=False, comments="ระบุกำหนดเวลาใหม่")
    order.refresh_from_db()
    assert order.status == "draft" and client.get(order_url(order)).status_code == 404
    assert client.get(report_url(signed_off)).status_code == 200


def test_an_order_is_only_found_under_its_own_case(client, songkhla, issued_order, checklist):
    other = services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
    client.force_login(songkhla.officer)
    url = reverse("inspection:order_pdf", args=[other.pk, issued_order.pk])
    assert client.get(url).status_code == 404


def test_pdfs_are_served_by_get_only(client, songkhla, issued_order):
    client.force_login(songkhla.officer)
    assert client.post(report_url(issued_order.inspection)).status_code == 405
    assert client.post(order_url(issued_order)).status_code == 405


def test_case_page_links_the_report_and_each_issued_letter(client, songkhla, issued_order):
    client.force_login(songkhla.inspector)
    page = client.get(reverse("inspection:case", args=[issued_order.inspection_id])).content.decode()
    assert f'href="{report_url(issued_order.inspection)}" data-turbo="false"' in page
    assert f'href="{order_url(issued_order)}" data-turbo="false"' in page


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/logo.png",
        "https://example.com/font.ttf",
        "ftp://example.com/a.css",
        "data:image/png;base64,iVBORw0KGgo=",
        "file://example.com/srv/share/a.png",
        "file:///etc/passwd",
    ],
)
def test_the_fetcher_refuses_anything_but_local_fonts_and_media(url):
    with pytest.raises(FetchRefused):
        LocalFileFetcher().fetch(url)


def test_the_fetcher_serves_the_sarabun_files_and_the_documents_own_files_only(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "evidence").mkdir(parents=True)
    (tmp_path / "media" / "evidence" / "photo.png").write_bytes(png(8, 8))
    (tmp_path / "media" / "evidence" / "other-case.png").write_bytes(png(8, 8))
    (tmp_path / "secret.txt").write_text("not for PDFs")
    fetcher = LocalFileFetcher(["evidence/photo.png"])
    assert fetcher.fetch((FONT_DIR / "Sarabun-Regular.ttf").as_uri()).read(4) == b"\x00\x01\x00\x00"
    assert fetcher.fetch((tmp_path / "media" / "evidence" / "photo.png").as_uri()).content_type == "image/png"
    for refused in ("/evidence/other-case.png", "/../secret.txt", "/evidence/../evidence/other-case.png"):
        with pytest.raises(FetchRefused):
            fetcher.fetch((tmp_path / "media").as_uri() + refused)


def test_an_image_larger_than_the_page_needs_is_scaled_down_once_per_process(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = tmp_path / "media" / "letterheads"
    folder.mkdir(parents=True)
    (folder / "garuda.png").write_bytes(png(3000, 2000))
    (folder / "small.png").write_bytes(png(80, 60))
    fetcher = LocalFileFetcher(["letterheads/garuda.png", "letterheads/small.png"])
    big = fetcher.fetch((folder / "garuda.png").as_uri())
    with Image.open(io.BytesIO(big.read())) as image:
        assert image.size == (PRESCALE_PX, PRESCALE_PX * 2 // 3)
    hits = prescaled.cache_info().hits
    fetcher.fetch((folder / "garuda.png").as_uri())
    assert prescaled.cache_info().hits == hits + 1  # not decoded again
    (folder / "garuda.png").write_bytes(png(900, 600))  # replaced: read anew
    with Image.open(io.BytesIO(fetcher.fetch((folder / "garuda.png").as_uri()).read())) as image:
        assert image.size == (900, 600)
    small = fetcher.fetch((folder / "small.png").as_uri())
    assert small.read() == (folder / "small.png").read_bytes() and small.content_type == "image/png"


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to resolve a name or open a connection fails the test."""
    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise AssertionError(f"network access during rendering: {args!r}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return calls


def test_rendering_makes_no_network_request(songkhla, signed_off, no_network, caplog):
    assert render_pdf("pdf/inspection/report.html", selectors.report_context(signed_off)).startswith(b"%PDF")
    html = '<link rel="stylesheet" href="https://example.com/a.css"><img src="http://example.com/logo.png">ทดสอบ'
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        HTML(string=html, url_fetcher=LocalFileFetcher()).write_pdf()
    assert no_network == []
    refused = [r for r in caplog.records if "FetchRefused" in r.getMessage()]
    assert len(refused) == 2


@pytest.mark.skipif(not os.environ.get("SAMPLE_PDF_DIR"), reason="writes sample PDFs only when SAMPLE_PDF_DIR is set")
def test_write_sample_pdfs(
    client, songkhla, checklist, rules, settings, tmp_path, kinds, django_capture_on_commit_callbacks
):
    """A realistic case, its report signed off by an acting officer, its s.37 letter and a later s.39
    letter, each signed as issued (demo CA), written to $SAMPLE_PDF_DIR (docs/) as sample-report.pdf,
    sample-order.pdf and sample-order-s39.pdf."""
    out = Path(os.environ["SAMPLE_PDF_DIR"])
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIGNING_DEMO_CA = True
    people = [
        (songkhla.inspector, "นางสาว", "วิภาวดี", "ศรีสุข"),
        (songkhla.head, "นาย", "ธนพล", "แก้วมณี"),
        (songkhla.officer, "นาย", "สุรเชษฐ์", "ทองคำ"),
    ]
    for person, title, first, last in people:
        person.title_th, person.first_name, person.last_name = title, first, last
        person.save(update_fields=["title_th", "first_name", "last_name"])
    section = checklist.sections.get()
    ChecklistItem.objects.create(
        section=section, order=3, code="S3", question_th="ถังดับเพลิงมีจำนวนเพียงพอและได้รับการตรวจสภาพภายใน 6 เดือน",
        answer_type=AnswerType.YES_NO, noncompliant_answers=["no"], severity=2,
    )  # fmt: skip
    env = ChecklistSection.objects.create(version=checklist, order=2, title_th="สิ่งแวดล้อม")
    ChecklistItem.objects.create(
        section=env, order=1, code="E1", question_th="ค่าบีโอดี (BOD) ของน้ำทิ้งก่อนระบายออกนอกโรงงาน",
        answer_type=AnswerType.NUMBER, unit="มก./ล.", compliant_max=20,
    )  # fmt: skip
    ChecklistItem.objects.create(
        section=env, order=2, code="E2", question_th="การจัดการกากอุตสาหกรรม",
        answer_type=AnswerType.CHOICE, choices=["ส่งกำจัดโดยผู้รับอนุญาต", "กองเก็บในพื้นที่โรงงาน"],
        noncompliant_answers=["กองเก็บในพื้นที่โรงงาน"], severity=2,
    )  # fmt: skip
    factory = FactoryFactory(
        name="บริษัท สงขลาน้ำยางข้น จำกัด", operator="บริษัท สงขลาน้ำยางข้น จำกัด", category_code="52(1)",
        address="99/9 หมู่ 4 ถนนกาญจนวนิช", workers=120,
    )  # fmt: skip
    inspection = services.inspection_start(factory=factory, by=songkhla.head, reason="complaint")
    do(client, songkhla.head, inspection, "assign", {"inspector": songkhla.inspector.pk})
    items = {i.code: i for i in services._items(inspection)}
    data = checklist_answers(inspection, exit_ok=False, workers=96)
    data["findings"] = (
        "ทางหนีไฟด้านหลังอาคารผลิตถูกกีดขวางด้วยพาเลทไม้และถังน้ำยาง ป้ายบอกทางหนีไฟชำรุด "
        "จำนวนคนงานที่พบน้อยกว่าที่โรงงานแจ้งไว้ ส่วนระบบบำบัดน้ำเสียและการจัดการกากเป็นไปตามเกณฑ์"
    )
    data.update({
        f"item_{items['S3'].pk}": "yes", f"item_{items['E1'].pk}": "18.5",
        f"item_{items['E2'].pk}": "ส่งกำจัดโดยผู้รับอนุญาต",
        f"note_{items['S1'].pk}": "พาเลทไม้วางขวางประตูหนีไฟบานที่ 2",
        f"note_{items['E1'].pk}": "ผลวิเคราะห์ห้องปฏิบัติการ ลงวันที่ 18 พ.ย. 2569",
        f"photo_{items['S1'].pk}": SimpleUploadedFile("ทางหนีไฟ-ด้านหลัง.png", png(), content_type="image/png"),
    })  # fmt: skip
    inspection.refresh_from_db()
    SelfReportFactory(factory=factory, kind=kinds["ops"], values={"workers": Decimal(120)})  # its own report
    do(client, songkhla.inspector, inspection, "inspect", data)
    do(client, songkhla.head, inspection, "review", {"decision": "return", "comments": "ขอภาพถ่ายทางหนีไฟเพิ่มเติม"})
    data[f"photo_{items['S1'].pk}"] = SimpleUploadedFile("ประตูหนีไฟ-บานที่2.png", png(480, 640), "image/png")
    do(client, songkhla.inspector, inspection, "inspect", data)

    deputy = acting_officer(songkhla)  # the officer has left; a group head acts for the post
    do(client, songkhla.head, inspection, "review", {"decision": "approve", "comments": "เห็นควรออกคำสั่งตามมาตรา 37"})
    with django_capture_on_commit_callbacks(execute=True):  # signed as issued, after the commit
        do(client, deputy, inspection, "sign_off", {"confirm": "on"})
    Letterhead.objects.create(  # no emblem uploaded: the letter shows the placeholder
        unit=songkhla.unit, address="ศาลากลางจังหวัดสงขลา ถนนราชดำเนินนอก\nอำเภอเมืองสงขลา จังหวัดสงขลา 90000",
        section="กลุ่มกำกับและตรวจสอบโรงงาน", phone="0 7431 1105", email="songkhla@industry.go.th",
    )  # fmt: skip
    do(client, deputy, inspection, "draft_order", {
        "kind": "s37", "period_days": "30",
        "requirement": f"{REQUIREMENT}\nจัดให้มีผู้ควบคุมประจำหม้อน้ำตามกฎหมาย\nส่งภาพถ่ายผลการปรับปรุงแก้ไขให้สำนักงานอุตสาหกรรมจังหวัด",
    })  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        do(client, deputy, inspection, "approve_order", {"approve": "1"})
    order = services.current_order(inspection)
    inspection.refresh_from_db()
    closure = services.order_draft(
        inspection=inspection, by=deputy, kind="s39", period_days=30,
        requirement="หยุดประกอบกิจการโรงงานในส่วนอาคารผลิตน้ำยางข้นจนกว่าจะปฏิบัติตามคำสั่งตามมาตรา 37 ครบถ้วน",
    )  # fmt: skip
    names = iter([("นาย", "วิชัย", "ประเสริฐสุข"), ("นาง", "สุนันทา", "วงศ์ไทย"), ("นาย", "ประยูร", "ศรีสมบูรณ์")])
    for approver in {a.approver for a in closure.approvals.all() if a.approver and a.approver != deputy}:
        approver.title_th, approver.first_name, approver.last_name = next(names)
        approver.save(update_fields=["title_th", "first_name", "last_name"])
    with django_capture_on_commit_callbacks(execute=True):
        for approver in [a.approver for a in closure.approvals.order_by("step") if a.approver]:
            services.order_decide(order=closure, by=approver, approve=True)
    closure.refresh_from_db()

    timings = []
    for _attempt in range(3):  # the first in a process also loads the fonts
        started = time.perf_counter()
        report = client.get(report_url(inspection)).content
        timings.append(time.perf_counter() - started)
    letter = client.get(order_url(order)).content
    print(f"\nreport: {len(report) // 1024} KB, served in " + ", ".join(f"{t:.2f}" for t in timings) + " s")
    out.mkdir(parents=True, exist_ok=True)
    (out / "sample-report.pdf").write_bytes(report)
    (out / "sample-order.pdf").write_bytes(letter)
    (out / "sample-order-s39.pdf").write_bytes(client.get(order_url(closure)).content)
    assert squash("รักษาราชการแทน อุตสาหกรรมจังหวัดสงขลา") in pdf_text(report)
    assert signing.validate_pdf(report).valid and signing.validate_pdf(letter).valid
