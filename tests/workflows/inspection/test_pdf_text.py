"""What a reader gets out of our PDFs: the Thai as typed when copied (ำ one character, NFC), lines
broken between Thai words only, a code column that holds its code, and an evidence entry kept whole
on one page. PDFs written to KAMKAP_PDF_DIR (when set) are the ones looked at as PNG."""

import os
import re
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.workflows.inspection.test_pdfs import png, signed_off  # noqa: F401 (fixture)
from workflows.inspection import selectors, services
from workflows.inspection.models import ChecklistItem
from workflows.pdf import render_pdf, thai_as_typed

pytestmark = pytest.mark.django_db
LONG = " ห้องหม้อน้ำด้านทิศเหนือของอาคารผลิตหลังที่สอง"

QUESTION = "มีผู้ควบคุมประจำหม้อน้ำและติดตั้งระบบบำบัดอากาศเสียจากห้องรมควันยางแผ่นตามที่กฎหมายกำหนด"


def text_of(pdf: bytes, *args: str) -> str:
    """pdftotext as a reader copies it: nothing recomposed here."""
    return subprocess.run(["pdftotext", *args, "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def keep(pdf: bytes, name: str) -> None:
    folder = os.environ.get("KAMKAP_PDF_DIR")
    if folder:
        Path(folder, name).write_bytes(pdf)


@pytest.fixture
def report(signed_off):  # noqa: F811
    item = ChecklistItem.objects.get(section__version=signed_off.checklist, code="S1")
    item.code, item.question_th = "SAF-01", QUESTION
    item.save(update_fields=["code", "question_th"])
    return signed_off


def test_copied_text_is_the_thai_as_typed(report):
    pdf = render_pdf("pdf/inspection/report.html", selectors.report_context(report))
    text = text_of(pdf, "-raw")
    assert "\u0e4d" not in text  # no NIKHAHIT: every ำ is one character
    assert "สำนักงานอุตสาหกรรมจังหวัดสงขลา" in text
    assert "งำน" not in text and "สำนักงาน" in text  # า after an ำ still copies as า
    assert text == thai_as_typed(text)  # NFC


def test_thai_lines_break_between_words(report):
    pdf = render_pdf("pdf/inspection/report.html", selectors.report_context(report))
    keep(pdf, "report.pdf")
    flat = re.sub(r"\s+", "", text_of(pdf, "-raw"))
    assert re.sub(r"\s+", "", QUESTION) in flat
    lines = [line.strip() for line in text_of(pdf, "-raw").splitlines()]
    for inside in ("ประ|จำ", "หม้อ|น้ำ", "บำ|บัด", "ควบ|คุม"):
        head, tail = inside.split("|")
        assert not any(a.endswith(head) and b.startswith(tail) for a, b in zip(lines, lines[1:], strict=False)), inside


def test_the_code_column_holds_its_code(report):
    pdf = render_pdf("pdf/inspection/report.html", selectors.report_context(report))
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', text_of(pdf, "-bbox")
    )
    code = next((float(x0), float(x1)) for x0, x1, word in words if word == "SAF-01")
    question = min(float(x0) for x0, _x1, word in words if word.startswith("มีผู้ควบคุม"))
    assert code[1] < question  # the code ends before the question's column begins


def test_an_evidence_entry_stays_on_one_page(report, settings, tmp_path, songkhla):
    settings.MEDIA_ROOT = tmp_path / "media"
    item = ChecklistItem.objects.get(section__version=report.checklist, code="SAF-01")
    for n in range(12):  # some names run over several lines: a tall entry meets the foot of a page
        upload = SimpleUploadedFile(
            f"ภาพถ่ายหลักฐาน-{n:02d}{LONG * (n % 4)}.png", png(640, 480), content_type="image/png"
        )
        services.evidence_add(inspection=report, by=songkhla.inspector, upload=upload, item_id=item.pk)
    pdf = render_pdf("pdf/inspection/report.html", selectors.report_context(report))
    keep(pdf, "report-evidence.pdf")
    pages = [re.sub(r"\s+", "", page) for page in text_of(pdf, "-raw").split("\f")]
    assert len(pages) > 2
    for n in range(12):
        name = re.sub(r"\s+", "", f"ภาพถ่ายหลักฐาน-{n:02d}{LONG * (n % 4)}.png")
        page = next(page for page in pages if name in page)
        assert page.index(name) < page.index("รายการSAF-01", page.index(name))  # its item line on the same page
