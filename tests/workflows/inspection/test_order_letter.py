"""The order letter as หนังสือภายนอก: emblem (or its placeholder), the parts of an official letter,
the actions one per line, the appeal clause from the admin's wording, the signer's lines and the
office's contact block; the closing never alone on a page. PDFs written to KAMKAP_PDF_DIR (when set)
are the ones looked at as PNG."""

import os
import re
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.workflows.inspection.test_pdfs import issued_order, png, signed_off  # noqa: F401 (fixtures)
from workflows.inspection import selectors, services
from workflows.inspection.models import Letterhead, OrderWording
from workflows.pdf import render_pdf

pytestmark = pytest.mark.django_db

ACTIONS = "1. เปิดทางหนีไฟทั้งสองด้านให้ใช้งานได้ 2. หยุดใช้หม้อน้ำจนกว่าจะมีผู้ควบคุมประจำหม้อน้ำ\nติดตั้งป้ายทางออกฉุกเฉิน"


def pdf_text(pdf: bytes) -> str:
    """pdftotext in drawing order (-raw), as a reader copies it (nothing recomposed: workflows.pdf_fonts)."""
    return subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def lines_of(pdf: bytes) -> list[str]:
    """The text's lines, blank ones dropped."""
    return [line.strip() for line in pdf_text(pdf).splitlines() if line.strip()]


def flat(pdf_or_text) -> str:
    """Without any white space: a line may break between any two Thai words."""
    text = pdf_text(pdf_or_text) if isinstance(pdf_or_text, bytes) else pdf_or_text
    return re.sub(r"\s+", "", text)


def pages_of(pdf: bytes) -> list[str]:
    return [flat(page) for page in pdf_text(pdf).split("\f")]


def keep(pdf: bytes, name: str) -> None:
    folder = os.environ.get("KAMKAP_PDF_DIR")
    if folder:
        Path(folder, name).write_bytes(pdf)


def letter(order) -> bytes:
    return render_pdf("pdf/inspection/order.html", selectors.order_letter_context(order))


@pytest.fixture
def letterheads(songkhla, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ministry = songkhla.unit.ancestors()[-1]
    emblem = SimpleUploadedFile("garuda.png", png(300, 330), content_type="image/png")
    Letterhead.objects.create(unit=ministry, emblem=emblem)
    return Letterhead.objects.create(
        unit=songkhla.unit,
        address="ศาลากลางจังหวัดสงขลา ถนนราชดำเนินนอก\nอำเภอเมืองสงขลา จังหวัดสงขลา 90000",
        section="กลุ่มกำกับและตรวจสอบโรงงาน",
        phone="0 7431 1105",
        fax="0 7431 2211",
        email="songkhla@industry.go.th",
    )


def test_the_letter_has_every_part_of_an_external_letter(songkhla, issued_order, letterheads):  # noqa: F811
    pdf = letter(issued_order)
    keep(pdf, "order-s37.pdf")
    lines, text = lines_of(pdf), flat(pdf)
    assert lines[0].startswith("ที่ อก ")  # the number beside the sender, under the emblem
    for part in ("เรื่อง", "เรียน", "อ้างถึง", "สิ่งที่ส่งมาด้วย", "ขอแสดงความนับถือ"):
        assert any(line.startswith(part) for line in lines), part
    for part in (
        "ศาลากลางจังหวัดสงขลา ถนนราชดำเนินนอก",
        "อาศัยอำนาจตามความในมาตรา 37 แห่งพระราชบัญญัติโรงงาน",
        "ภายใน 30 วัน นับแต่วันที่ได้รับคำสั่งนี้",
        f"({songkhla.officer.display_name})",
    ):
        assert flat(part) in text, part
    for line in ("กลุ่มกำกับและตรวจสอบโรงงาน", "โทร. 0 7431 1105", "ไปรษณีย์อิเล็กทรอนิกส์ songkhla@industry.go.th"):
        assert line in lines, line
    assert "ปฏิบัติราชการแทนปลัดกระทรวงอุตสาหกรรม" in lines
    assert b"/Subtype /Image" in pdf  # the uploaded emblem, not the placeholder
    assert "ยังไม่ได้อัปโหลด" not in text


def test_actions_are_numbered_one_per_line(songkhla, issued_order, letterheads):  # noqa: F811
    issued_order.requirement = ACTIONS
    lines = lines_of(letter(issued_order))
    numbered = [line for line in lines if line[:2] in ("1.", "2.", "3.")]
    assert numbered[-3:] == [
        "1. เปิดทางหนีไฟทั้งสองด้านให้ใช้งานได้",
        "2. หยุดใช้หม้อน้ำจนกว่าจะมีผู้ควบคุมประจำหม้อน้ำ",
        "3. ติดตั้งป้ายทางออกฉุกเฉิน",
    ]


def test_the_appeal_clause_is_the_administrators_wording(songkhla, issued_order, letterheads):  # noqa: F811
    default = flat(letter(issued_order))
    assert "มีสิทธิอุทธรณ์" in default and "ภายในสามสิบวันนับแต่วันที่ได้รับคำสั่งนี้" in default
    OrderWording.objects.filter(kind="s37").update(appeal="ท่านอาจอุทธรณ์คำสั่งนี้ต่อผู้ทดสอบภายในสิบห้าวัน")
    edited = flat(letter(issued_order))
    assert "ท่านอาจอุทธรณ์คำสั่งนี้ต่อผู้ทดสอบภายในสิบห้าวัน" in edited and "มีสิทธิอุทธรณ์" not in edited


def test_without_an_uploaded_emblem_the_letter_shows_a_placeholder(songkhla, issued_order):  # noqa: F811
    text = flat(letter(issued_order))
    assert "ตราครุฑ(ยังไม่ได้อัปโหลด)" in text


def test_an_acting_signer_shows_own_position_and_the_acting_title(songkhla, issued_order, letterheads):  # noqa: F811
    issued_order.signed_by = songkhla.head
    issued_order.signed_as = "รักษาราชการแทน อุตสาหกรรมจังหวัดสงขลา"
    lines = lines_of(letter(issued_order))
    at = lines.index(f"({songkhla.head.display_name})")
    own = songkhla.head.holdings.get().position.title_th
    assert lines[at + 1 : at + 4] == [own, "รักษาราชการแทน อุตสาหกรรมจังหวัดสงขลา", "ปฏิบัติราชการแทนปลัดกระทรวงอุตสาหกรรม"]


def test_the_closing_and_signature_stay_with_the_last_paragraph(songkhla, issued_order, letterheads):  # noqa: F811
    for n in (4, 8, 12, 16, 20):  # longer and longer findings push the end across the page
        issued_order.inspection.findings = "พบการจัดเก็บวัตถุไวไฟใกล้แหล่งความร้อน " * n
        pdf = letter(issued_order)
        for page in pages_of(pdf):
            if "ขอแสดงความนับถือ" in page:
                assert "จึงเรียนมาเพื่อทราบและดำเนินการต่อไป" in page
                assert flat(songkhla.officer.display_name) in page and "โทร.074311105" in page
        if n == 20:
            keep(pdf, "order-s37-long.pdf")
    assert len(pages_of(pdf)) > 2  # the last case did run onto a second page


def test_an_s39_letter_names_section_39(songkhla, signed_off, letterheads, rules):  # noqa: F811
    order = services.order_draft(
        inspection=signed_off, by=songkhla.officer, kind="s39", requirement="หยุดประกอบกิจการโรงงานทั้งหมด", period_days=30
    )
    for approver in [a.approver for a in order.approvals.order_by("step") if a.approver]:
        services.order_decide(order=order, by=approver, approve=True)
    order.refresh_from_db()
    assert order.status == "issued" and order.issued_on == timezone.localdate()
    pdf = letter(order)
    keep(pdf, "order-s39.pdf")
    text = flat(pdf)
    assert "คำสั่งให้หยุดประกอบกิจการโรงงาน" in text and "มาตรา39" in text
