"""Documents signed when they are issued (issue 18): the order letter when its last approver issues it,
the inspection report when it is signed off — each with its signer's own certificate from the (demo)
CA, a visible ลงนามอิเล็กทรอนิกส์ block (who, as what, when), a reference and the QR code of the verify
page, an audit entry, and served as stored from then on. What pdftotext reads out of the signed
files: the appeal clause, the actions one per line, the signer's acting title, the Thai as typed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from tests.clock import at
from tests.workflows.inspection.conftest import acting_officer
from tests.workflows.inspection.test_flow_paths import do, start_and_inspect
from tests.workflows.inspection.test_order_letter import flat, lines_of
from tests.workflows.inspection.test_pdfs import order_url, report_url, signed_off  # noqa: F401 (fixtures)
from workflows import signing
from workflows.inspection import issued, services
from workflows.inspection.models import IssuedDocument
from workflows.models import AuditEntry

pytestmark = pytest.mark.django_db

ACTING = "รักษาราชการแทน อุตสาหกรรมจังหวัดสงขลา"
ACTIONS = "เปิดทางหนีไฟทั้งสองด้านให้ใช้งานได้\nหยุดใช้หม้อน้ำจนกว่าจะมีผู้ควบคุมประจำหม้อน้ำ\nติดตั้งป้ายทางออกฉุกเฉิน"
FINDINGS = "ทางหนีไฟด้านหลังอาคารผลิตถูกกีดขวางด้วยพาเลทไม้ ป้ายบอกทางหนีไฟชำรุด น้ำทิ้งมีสีคล้ำ"


@pytest.fixture(autouse=True)
def demo_ca(settings, tmp_path):
    settings.SIGNING_DEMO_CA = True  # media_in_tmp (tests/conftest.py) puts the key store under tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


@pytest.fixture
def deputy(songkhla):
    return acting_officer(songkhla)


def altered(pdf: bytes) -> bytes:
    """One byte changed inside the signed range (in the page content, past the header)."""
    changed = bytearray(pdf)
    where = pdf.index(b"stream", 2000) + 20
    changed[where] = (changed[where] + 1) % 256
    return bytes(changed)


def get_pdf(client, person, url) -> bytes:
    client.force_login(person)
    response = client.get(url)
    client.logout()
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    return response.content


def stored(document) -> bytes:
    with document.file.open("rb") as kept:
        return kept.read()


def signed_entries(inspection):
    return AuditEntry.objects.filter(chain=f"inspection:{inspection.pk}", action="document.sign").order_by("seq")


@pytest.fixture
def report_signed(client, songkhla, checklist, factory, deputy, django_capture_on_commit_callbacks):
    inspection = start_and_inspect(client, songkhla, factory, exit_ok=False)
    inspection.findings = FINDINGS
    inspection.save(update_fields=["findings"])
    do(client, songkhla.head, inspection, "review", {"decision": "approve"})
    with django_capture_on_commit_callbacks(execute=True):  # the outbox hands the signing on after the commit
        do(client, deputy, inspection, "sign_off", {"confirm": "on"})
    client.logout()
    inspection.refresh_from_db()
    return inspection


@at(2026, 11, 16)
def test_the_report_is_signed_at_sign_off_by_the_acting_officer_and_served_as_signed(
    client, songkhla, report_signed, deputy, factory
):
    document = IssuedDocument.objects.get(inspection=report_signed, kind="report")  # made by the sign-off itself
    assert document.signed_by == deputy and document.signed_as == ACTING and document.order is None
    (entry,) = signed_entries(report_signed)
    assert entry.actor_id == deputy.pk and entry.acting_for == ACTING and entry.comment == document.reference

    pdf = get_pdf(client, songkhla.inspector, report_url(report_signed))
    assert pdf == stored(document) and signing.sha256(pdf) == document.sha256
    assert get_pdf(client, songkhla.head, report_url(report_signed)) == pdf  # every download: the same bytes

    checked = signing.validate_pdf(pdf)
    assert checked.valid and deputy.display_name in checked.signer  # the signer's own certificate
    assert songkhla.unit.name_th in checked.signer
    broken = signing.validate_pdf(altered(pdf))
    assert broken.signed and not broken.valid

    lines, text = lines_of(pdf), flat(pdf)
    start = lines.index("ลงนามอิเล็กทรอนิกส์")
    assert lines[start + 1 : start + 4] == [f"โดย {deputy.display_name}", "หัวหน้ากลุ่มกำกับและตรวจสอบโรงงาน", ACTING]
    assert lines[start + 4].startswith("เมื่อวันที่ 16 พฤศจิกายน 2569 เวลา ")
    assert f"เลขอ้างอิงเอกสาร {document.reference}" in lines
    assert any(line.endswith(f"/verify/{document.reference}/") for line in lines)
    assert "(ลงนามอิเล็กทรอนิกส์) ผู้รับรองรายงาน" in lines and "ลงชื่อ" not in text
    assert ACTING in lines  # the officer's block: as they signed off
    # the Thai as typed: SARA AM as one character, nothing decomposed
    for typed in (FINDINGS, factory.name, songkhla.unit.name_th, "รายงานผลการตรวจโรงงาน"):
        assert flat(typed) in text, typed
    assert "\u0e4d\u0e32" not in text
    assert "{#" not in text and "#}" not in text and "comment" not in text  # no template comment printed


@at(2026, 11, 16)
def test_the_letter_is_signed_when_the_order_is_issued(
    client,
    songkhla,
    signed_off,  # noqa: F811
    rules,
    django_capture_on_commit_callbacks,
):
    draft = {"kind": "s37", "requirement": ACTIONS, "period_days": "30"}
    do(client, songkhla.officer, signed_off, "draft_order", draft)
    with django_capture_on_commit_callbacks(execute=True):
        do(client, songkhla.officer, signed_off, "approve_order", {"approve": "1"})
    client.logout()
    order = services.current_order(signed_off)
    document = IssuedDocument.objects.get(order=order)  # before any download
    assert document.kind == "order" and document.signed_by == songkhla.officer
    assert [e.comment for e in signed_entries(signed_off)] == [document.reference]

    pdf = get_pdf(client, songkhla.inspector, order_url(order))
    assert pdf == stored(document)
    checked = signing.validate_pdf(pdf)
    assert checked.valid and songkhla.officer.display_name in checked.signer
    assert not signing.validate_pdf(altered(pdf)).valid

    lines, text = lines_of(pdf), flat(pdf)
    numbered = [line for line in lines if line[:2] in ("1.", "2.", "3.")]
    assert numbered[-3:] == [
        "1. เปิดทางหนีไฟทั้งสองด้านให้ใช้งานได้",
        "2. หยุดใช้หม้อน้ำจนกว่าจะมีผู้ควบคุมประจำหม้อน้ำ",
        "3. ติดตั้งป้ายทางออกฉุกเฉิน",
    ]
    assert "มีสิทธิอุทธรณ์" in text and "ภายในสามสิบวันนับแต่วันที่ได้รับคำสั่งนี้" in text  # the appeal clause
    assert "(ลงนามอิเล็กทรอนิกส์)" in lines and "ลงนามอิเล็กทรอนิกส์" in lines
    assert f"โดย {songkhla.officer.display_name}" in lines
    assert f"เลขอ้างอิงเอกสาร {document.reference}" in lines
    assert "\u0e4d\u0e32" not in text


@at(2026, 11, 16)
def test_an_acting_signer_of_a_letter_is_printed_with_the_acting_title(
    client, songkhla, report_signed, rules, deputy, django_capture_on_commit_callbacks
):
    do(client, deputy, report_signed, "draft_order", {"kind": "s37", "requirement": ACTIONS, "period_days": "30"})
    with django_capture_on_commit_callbacks(execute=True):
        do(client, deputy, report_signed, "approve_order", {"approve": "1"})
    order = services.current_order(report_signed)
    document = IssuedDocument.objects.get(order=order)
    assert document.signed_by == deputy and document.signed_as == ACTING
    lines = lines_of(stored(document))
    at_ = lines.index(f"({deputy.display_name})")
    assert lines[at_ + 1 : at_ + 3] == ["หัวหน้ากลุ่มกำกับและตรวจสอบโรงงาน", ACTING]
    start = lines.index("ลงนามอิเล็กทรอนิกส์")
    assert lines[start + 1 : start + 4] == [f"โดย {deputy.display_name}", "หัวหน้ากลุ่มกำกับและตรวจสอบโรงงาน", ACTING]
    assert flat("มาตรา 37") in flat(stored(document)) and "มีสิทธิอุทธรณ์" in flat(stored(document))


@at(2026, 11, 16)
def test_the_verify_page_of_a_report_and_what_an_upload_is_told(client, songkhla, report_signed, factory):
    document = IssuedDocument.objects.get(inspection=report_signed, kind="report")
    url = reverse("verify", args=[document.reference])
    body = client.get(url).content.decode()
    assert "รายงานผลการตรวจโรงงาน" in body and "มีผลใช้บังคับ" in body and songkhla.unit.name_th in body
    for hidden in (document.sha256, factory.name, report_signed.ref_no, report_signed.signed_off_by.display_name):
        assert hidden not in body
    pdf = stored(document)

    def check(data: bytes) -> str:
        return client.post(url, {"document": SimpleUploadedFile("a.pdf", data, "application/pdf")}).content.decode()

    assert 'data-testid="match"' in check(pdf)
    changed = check(altered(pdf))
    assert 'data-testid="mismatch"' in changed and 'data-testid="verdict-altered"' in changed
    assert "ถูกแก้ไขหลังจากลงนาม" in changed
    unsigned = check(b"%PDF-1.7\n%%EOF\n")
    assert 'data-testid="verdict-unsigned"' in unsigned


@at(2026, 11, 16)
def test_a_report_withdrawn_after_it_was_signed_shows_as_revoked_and_when(client, songkhla, report_signed):
    document = IssuedDocument.objects.get(inspection=report_signed, kind="report")
    url = reverse("verify", args=[document.reference])
    why = "พบข้อผิดพลาดในผลการตรวจ ให้ใช้รายงานฉบับแก้ไข"
    issued.revoke(document, by=songkhla.head, reason=why, acting_for="หัวหน้ากลุ่ม")
    with pytest.raises(issued.RevocationError):
        issued.revoke(document, by=songkhla.head, reason=why)
    body = client.get(url).content.decode()
    assert 'class="kk-verify-revoked">ถูกเพิกถอนแล้ว' in body
    # who and why stay in the case's audit trail: a person's name, and free text, are not the public's
    assert songkhla.head.display_name not in body and "(หัวหน้ากลุ่ม)" not in body and why not in body
    assert "16 พฤศจิกายน 2569" in body.split('data-testid="revoked-at"')[1]
    (entry,) = AuditEntry.objects.filter(chain=f"inspection:{report_signed.pk}", action="document.revoke")
    assert entry.actor == songkhla.head and entry.after["reference"] == document.reference
    with translation.override("th"):
        assert entry.title == "เพิกถอนเอกสาร"  # as the case's timeline shows it


@at(2026, 11, 16)
def test_only_the_signer_or_a_manager_of_the_office_may_revoke(songkhla, report_signed, lopburi_head):
    document = IssuedDocument.objects.get(inspection=report_signed, kind="report")
    # the case's inspector; another province's head; the provincial officer who has left the post
    for person in (songkhla.inspector, lopburi_head, songkhla.officer):
        with pytest.raises(issued.RevocationError, match="ผู้ลงนาม"), translation.override("th"):
            issued.revoke(document, by=person, reason="ผิด")
    assert not AuditEntry.objects.filter(action="document.revoke").exists()
    issued.revoke(document, by=songkhla.head, reason="ผิด")  # the group head manages the office
    assert AuditEntry.objects.filter(action="document.revoke").count() == 1


def test_without_any_certificate_a_signed_off_report_is_served_unsigned(
    client, songkhla, checklist, factory, settings, django_capture_on_commit_callbacks
):
    settings.SIGNING_DEMO_CA = False
    inspection = start_and_inspect(client, songkhla, factory, exit_ok=True)
    do(client, songkhla.head, inspection, "review", {"decision": "approve"})
    with django_capture_on_commit_callbacks(execute=True):
        do(client, songkhla.officer, inspection, "sign_off", {"confirm": "on"})  # the sign-off is not refused
    assert not IssuedDocument.objects.exists()
    pdf = get_pdf(client, songkhla.inspector, report_url(inspection))
    assert b"/ByteRange" not in pdf
    assert "ลงชื่อ" in flat(pdf)
