"""Issued order letters are signed (PAdES, pyHanko) with the issuing office's certificate from the demo CA,
carry a reference number and a QR code of the public verify page, and that page tells anyone whether
a copy is the issued one (issue 18, part 3). Nothing here reaches an outside host."""

import re
import shutil
import subprocess
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO, StringIO

import pytest
from asn1crypto import tsp
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from weasyprint import HTML

from tests.clock import at
from tests.workflows.inspection.conftest import checklist, factory, rules, songkhla  # noqa: F401
from tests.workflows.inspection.test_pdfs import issued_order, order_url, pdf_text, signed_off  # noqa: F401
from workflows import audit, signing
from workflows.inspection import issued, verify
from workflows.inspection.models import CorrectiveOrder, IssuedDocument, OrderKind, OrderStatus
from workflows.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo_ca(settings):
    settings.SIGNING_DEMO_CA = True  # media_in_tmp (tests/conftest.py) puts the key store under tmp_path
    return settings


def letter(client, songkhla, order) -> bytes:  # noqa: F811
    client.force_login(songkhla.inspector)
    response = client.get(order_url(order))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    client.logout()
    return response.content


def altered(pdf: bytes) -> bytes:
    """One byte of the letter's text changed, inside the signed range."""
    changed = bytearray(pdf)
    at_ = pdf.index(b"stream", 2000) + 20
    changed[at_] = (changed[at_] + 1) % 256
    return bytes(changed)


@at(2026, 11, 16)
def test_the_issued_letter_is_signed_by_the_office_and_validates_against_the_demo_ca(client, songkhla, issued_order):  # noqa: F811
    pdf = letter(client, songkhla, issued_order)
    document = IssuedDocument.objects.get(order=issued_order)
    assert document.sha256 == signing.sha256(pdf) and document.office == issued_order.inspection.office

    ca = (signing.signing_dir() / "ca.pem").read_bytes()
    from asn1crypto import pem, x509

    root = x509.Certificate.load(pem.unarmor(ca)[2])
    (signature,) = PdfFileReader(BytesIO(pdf)).embedded_signatures
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[root], allow_fetching=False))
    assert status.intact and status.valid and status.trusted and status.coverage.name == "ENTIRE_FILE"
    subject = status.signing_cert.subject.human_friendly
    assert songkhla.unit.name_th in subject and issued_order.signed_by.display_name in subject  # the signer's own
    assert signing.validate_pdf(pdf).valid

    broken = signing.validate_pdf(altered(pdf))
    assert broken.signed and not broken.valid
    # another CA does not vouch for it
    other = signing.signing_dir().parent / "other"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(signing, "signing_dir", lambda: other)
        signing.ensure_demo_ca()
    assert not signing.validate_pdf(pdf, other / "ca.pem").trusted

    # served as issued: the same bytes every time, one document per order
    assert letter(client, songkhla, issued_order) == pdf and IssuedDocument.objects.count() == 1

    if shutil.which("pdfsig"):
        listed = subprocess.run(["pdfsig", "-"], input=pdf, capture_output=True)
        if listed.returncode != 0:  # older poppler reads only files
            path = signing.signing_dir().parent / "letter.pdf"
            path.write_bytes(pdf)
            listed = subprocess.run(["pdfsig", str(path)], capture_output=True)
        out = listed.stdout.decode()
        assert "Signature #1" in out and "Signature is Valid" in out and "Total document signed" in out


@at(2026, 11, 16)
def test_the_letter_prints_its_reference_and_where_to_verify_it(client, songkhla, issued_order):  # noqa: F811
    text = pdf_text(letter(client, songkhla, issued_order))
    document = IssuedDocument.objects.get(order=issued_order)
    assert re.fullmatch(r"KK(-[2-9A-Z]{4}){3}", document.reference)
    assert document.reference in text
    assert "/verify/" + document.reference in text
    assert "ลงนามอิเล็กทรอนิกส์" in text
    assert issued.qr_svg(issued.verify_url(document.reference)).startswith("<svg")


def verify_url(document) -> str:
    return reverse("verify", args=[document.reference])


@at(2026, 11, 16)
def test_the_verify_page_shows_what_may_be_shown_and_checks_an_upload(client, songkhla, issued_order, factory):  # noqa: F811
    pdf = letter(client, songkhla, issued_order)
    document = IssuedDocument.objects.get(order=issued_order)

    page = client.get(verify_url(document))  # no login
    body = page.content.decode()
    assert page.status_code == 200
    assert "มีการออกเอกสารตามเลขอ้างอิงนี้จริง" in body and "มีผลใช้บังคับ" in body
    assert songkhla.unit.name_th in body and "2569" in body
    assert "มาตรา 37" in body
    # only the kind, the office, the date and the status: nothing about the case, the factory or the people
    for secret in (
        factory.name, issued_order.inspection.ref_no, issued_order.letter_no, songkhla.officer.display_name,
        document.sha256,
    ):  # fmt: skip
        assert secret not in body
    assert "style=" not in body and "<script>" not in body and " onclick" not in body

    genuine = client.post(verify_url(document), {"document": SimpleUploadedFile("a.pdf", pdf, "application/pdf")})
    assert genuine.status_code == 200 and 'data-testid="match"' in genuine.content.decode()
    assert "ถูกต้อง" in genuine.content.decode()

    changed = client.post(verify_url(document), {"document": SimpleUploadedFile("b.pdf", altered(pdf))})
    body = changed.content.decode()
    assert changed.status_code == 200 and 'data-testid="mismatch"' in body and "ไม่ตรงกับเอกสารที่ออก" in body
    assert 'data-testid="verdict-altered"' in body  # its signature no longer covers what it says


def test_an_unknown_reference_is_a_thai_404(client):
    for reference in ("KK-2345-6789-ABCD", "not-a-reference", "KK-' OR 1=1"):
        response = client.get(reverse("verify", args=[reference]))
        assert response.status_code == 404
        assert "ไม่พบเอกสาร" in response.content.decode()


def sibling(order, kind, status=OrderStatus.ISSUED, issued_on=None) -> CorrectiveOrder:
    return CorrectiveOrder.objects.create(
        inspection=order.inspection, kind=kind, requirement="ปิดโรงงาน", status=status,
        issued_on=issued_on or order.issued_on, deadline=timezone.localdate() + timedelta(days=30),
        drafted_by=order.drafted_by,
    )  # fmt: skip


def status_of(client, document) -> str:
    body = client.get(verify_url(document)).content.decode()
    return re.search(r'data-testid="status" class="kk-verify-(\w+)">([^<]*)<', body).groups()


@at(2026, 11, 16)
def test_a_later_letter_of_the_same_section_supersedes(client, songkhla, issued_order):  # noqa: F811
    letter(client, songkhla, issued_order)
    document = IssuedDocument.objects.get(order=issued_order)
    assert status_of(client, document) == ("in_force", "มีผลใช้บังคับ")

    # the s.39 order enforces the s.37 one (suspended until it is complied with): the s.37 letter stands
    closing = sibling(issued_order, OrderKind.S39_CLOSE)
    assert status_of(client, document)[0] == "in_force"
    # a draft, one awaiting approval, a withdrawn one, or one issued before it replaces nothing
    for status in (OrderStatus.DRAFT, OrderStatus.APPROVING, OrderStatus.WITHDRAWN):
        sibling(issued_order, OrderKind.S37_STOP, status=status)
    sibling(issued_order, OrderKind.S37_IMPROVE, issued_on=issued_order.issued_on - timedelta(days=1))
    assert status_of(client, document)[0] == "in_force"
    # a later s.37 letter (here: stop while improving, issued the same day after it) takes its place
    stop = sibling(issued_order, OrderKind.S37_STOP)
    body = client.get(verify_url(document)).content.decode()
    assert status_of(client, document) == ("superseded", "ถูกแทนที่ด้วยฉบับใหม่แล้ว")
    assert 'data-testid="superseded"' in body
    stop.delete()
    # and a later s.39 letter supersedes the s.39 one
    closing_letter = IssuedDocument.objects.create(
        kind="order", inspection=issued_order.inspection, order=closing, office=document.office,
        issued_on=closing.issued_on, file="issued/x.pdf", sha256="0" * 64, signed_at=timezone.now(),
    )  # fmt: skip
    assert status_of(client, closing_letter)[0] == "in_force"
    sibling(issued_order, OrderKind.S39_CLOSE, issued_on=closing.issued_on + timedelta(days=1))
    assert status_of(client, closing_letter)[0] == "superseded"

    assert status_of(client, document)[0] == "in_force"
    CorrectiveOrder.objects.filter(pk=issued_order.pk).update(status=OrderStatus.WITHDRAWN)
    assert status_of(client, document) == ("revoked", "ถูกเพิกถอนแล้ว")


@at(2026, 11, 16)
def test_a_revoked_letter_says_since_when_but_not_who_nor_why(client, songkhla, issued_order):  # noqa: F811
    pdf = letter(client, songkhla, issued_order)
    document = IssuedDocument.objects.get(order=issued_order)
    why = "ออกคำสั่งผิดโรงงาน ยกเลิกและออกฉบับใหม่แทน"
    with pytest.raises(issued.RevocationError):
        issued.revoke(document, by=songkhla.officer, reason="  ")
    call_command(
        "revoke_document", document.reference.lower(), by=songkhla.officer.username, reason=why,
        acting_for="อุตสาหกรรมจังหวัดสงขลา", stdout=StringIO(),
    )  # fmt: skip
    with pytest.raises(CommandError):  # once
        call_command("revoke_document", document.reference, by=songkhla.officer.username, reason=why)

    (entry,) = AuditEntry.objects.filter(chain=f"inspection:{issued_order.inspection_id}", action="document.revoke")
    assert entry.actor == songkhla.officer and entry.comment == why
    assert entry.after == {"kind": "order", "reference": document.reference, "reason": why}
    assert entry.acting_for == "อุตสาหกรรมจังหวัดสงขลา"
    assert audit.verify() == []  # the chain still holds

    body = client.get(verify_url(document)).content.decode()
    assert status_of(client, document) == ("revoked", "ถูกเพิกถอนแล้ว")
    assert "16 พฤศจิกายน 2569" in body.split('data-testid="revoked-at"')[1]
    # not who revoked it (a person) nor the reason typed (free text, here naming the factory): the case's
    # audit trail keeps both, the public page only the status and since when
    assert songkhla.officer.display_name not in body and "อุตสาหกรรมจังหวัดสงขลา)" not in body and why not in body
    # the issued file is still recognised as the one issued (its status says it no longer stands)
    genuine = client.post(verify_url(document), {"document": SimpleUploadedFile("a.pdf", pdf, "application/pdf")})
    assert 'data-testid="match"' in genuine.content.decode() and "ถูกเพิกถอนแล้ว" in genuine.content.decode()


@at(2026, 11, 16)
def test_uploads_are_limited_in_size_and_per_address(client, songkhla, issued_order, monkeypatch):  # noqa: F811
    pdf = letter(client, songkhla, issued_order)
    document = IssuedDocument.objects.get(order=issued_order)
    monkeypatch.setattr(verify, "MAX_UPLOAD_BYTES", len(pdf) - 1)
    big = client.post(verify_url(document), {"document": SimpleUploadedFile("a.pdf", pdf)})
    assert big.status_code == 400 and "ไฟล์มีขนาดเกิน" in big.content.decode()

    monkeypatch.setattr(verify, "MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
    monkeypatch.setattr(verify, "CHECKS_PER_HOUR", 2)
    from django.core.cache import cache

    cache.delete("verify-upload:127.0.0.1")
    answers = [
        client.post(verify_url(document), {"document": SimpleUploadedFile("a.pdf", pdf)}).status_code for _ in range(3)
    ]
    assert answers == [200, 200, 400]
    refused = client.post(verify_url(document), {"document": SimpleUploadedFile("a.pdf", pdf)}).content.decode()
    assert "มากเกินไป" in refused and 'data-testid="match"' not in refused


def test_without_a_certificate_and_no_demo_ca_nothing_is_signed(songkhla, settings):  # noqa: F811
    settings.SIGNING_DEMO_CA = False
    with pytest.raises(signing.SigningUnavailable):
        signing.credentials(songkhla.unit)


def test_a_signer_whose_thai_name_exceeds_the_common_names_64_bytes_gets_a_certificate(songkhla):  # noqa: F811
    from types import SimpleNamespace

    from cryptography import x509 as crypto_x509
    from cryptography.x509.oid import NameOID

    person = SimpleNamespace(display_name="นางสาวพรรณวิภาภรณ์ ศรีสุขสวัสดิ์วงศ์ตระกูล", username="phanwipa.s")
    found = signing.issue_signer_certificate(person, songkhla.unit)
    subject = crypto_x509.load_pem_x509_certificate(found.certificate.read_bytes()).subject
    assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "phanwipa.s"
    assert subject.get_attributes_for_oid(NameOID.PSEUDONYM)[0].value == person.display_name
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)[0].value == songkhla.unit.name_th


class TimeStampAuthority(BaseHTTPRequestHandler):
    """An RFC 3161 time-stamp authority on the loopback (pyHanko's DummyTimeStamper with a time-stamping
    certificate of the demo CA), as production's would answer inside its network."""

    stamper = None

    def do_POST(self):  # noqa: N802 (http.server's name)
        request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
        reply = self.stamper.request_tsa_response(request).dump()
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


def serve_time_stamps(found):
    """A time-stamp authority on the loopback stamping with the certificate `found` (issue_tsa_certificate):
    yields its URL, stops with the generator."""
    from asn1crypto import keys, pem
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    def der(path):
        return pem.unarmor(path.read_bytes())[2]

    stamper = DummyTimeStamper(
        asn1_x509.Certificate.load(der(found.certificate)), keys.PrivateKeyInfo.load(der(found.key)),
        certs_to_embed=[asn1_x509.Certificate.load(der(found.ca))],
    )  # fmt: skip
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("Authority", (TimeStampAuthority,), {"stamper": stamper}))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def time_stamp_authority(demo_ca):
    yield from serve_time_stamps(signing.issue_tsa_certificate())


def test_with_a_time_stamp_authority_every_signature_carries_its_time(songkhla, settings, time_stamp_authority):  # noqa: F811
    pdf = HTML(string="<p>Kamkap</p>").write_pdf()
    assert signing.validate_pdf(signing.sign_pdf(pdf, songkhla.unit, reason="B-B")).timestamped_at is None

    settings.SIGNING_TSA_URL = time_stamp_authority
    checked = signing.validate_pdf(signing.sign_pdf(pdf, songkhla.unit, reason="B-T"))
    assert checked.valid and checked.timestamped_at is not None
    assert abs(checked.timestamped_at - datetime.now(UTC)) < timedelta(minutes=5)

    settings.SIGNING_TSA_URL = "http://127.0.0.1:9/"  # nobody answers: no signature rather than an unstamped one
    with pytest.raises(signing.TimestampUnavailable) as failed:
        signing.sign_pdf(pdf, songkhla.unit, reason="B-T")
    # a ConnectionError: the issuing task tries again with back-off (project.celery.KamkapTask)
    assert isinstance(failed.value, ConnectionError) and not isinstance(failed.value, signing.SigningUnavailable)


@at(2026, 11, 16)
def test_verify_tells_a_letters_time_stamp(client, songkhla, issued_order, settings, time_stamp_authority):  # noqa: F811
    settings.SIGNING_TSA_URL = time_stamp_authority
    pdf = letter(client, songkhla, issued_order)
    document = IssuedDocument.objects.get(order=issued_order)
    body = client.post(verify_url(document), {"document": SimpleUploadedFile("a.pdf", pdf)}).content.decode()
    assert 'data-testid="match"' in body and 'data-testid="timestamped"' in body
    assert "ลงนามไม่ช้ากว่า" in body


@at(2026, 11, 16)
def test_unsigned_while_the_tsa_is_down_is_a_503(client, songkhla, issued_order, settings, time_stamp_authority):  # noqa: F811
    IssuedDocument.objects.filter(order=issued_order).delete()  # the worker has not signed it yet
    settings.SIGNING_TSA_URL = "http://127.0.0.1:9/"  # nobody answers
    client.force_login(songkhla.inspector)
    response = client.get(order_url(issued_order))
    assert response.status_code == 503 and response["Retry-After"] == "300"
    body = response.content.decode()
    assert "text/html" in response["Content-Type"] and "เอกสารฉบับลงนามยังไม่พร้อม" in body and "document-pending" in body
    assert not IssuedDocument.objects.filter(order=issued_order).exists()  # nothing unsigned kept as issued

    settings.SIGNING_TSA_URL = time_stamp_authority  # back: the same download is the signed, stamped letter
    response = client.get(order_url(issued_order))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert signing.validate_pdf(response.content).timestamped_at is not None
