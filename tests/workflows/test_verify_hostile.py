"""The public verify page under hostile use (security review of issue 18's revocation, time-stamps and
uploads): what a revoked document's page shows, files that are not PDFs or are broken ones, uploads
over the limit. Nothing here reaches an outside host."""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from weasyprint import HTML

from tests.clock import at
from tests.workflows.inspection.conftest import checklist, factory, rules, songkhla  # noqa: F401
from tests.workflows.inspection.test_pdfs import signed_off  # noqa: F401
from tests.workflows.test_signing import serve_time_stamps
from workflows import signing
from workflows.inspection import issued, verify
from workflows.inspection.models import DocumentKind, IssuedDocument
from workflows.inspection.models.issued import new_reference

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo_ca(settings):
    settings.SIGNING_DEMO_CA = True
    return settings


@pytest.fixture
def report(signed_off):  # noqa: F811
    """The case's report as issued (a stored file of a report's size is enough here: the page compares
    uploads with its hash)."""
    document = IssuedDocument(
        kind=DocumentKind.REPORT, inspection=signed_off, office=signed_off.office, issued_on=timezone.localdate(),
        sha256="0" * 64, signed_at=timezone.now(), signed_by=signed_off.signed_off_by,
        signed_as=signed_off.signed_off_as, reference=new_reference(),
    )  # fmt: skip
    document.file.save("report.pdf", ContentFile(b"%PDF-1.7\n" + b"0" * 40_000))
    return document


def verify_url(document) -> str:
    return reverse("verify", args=[document.reference])


def hostile_files(signed: bytes) -> dict[str, bytes]:
    """Files a stranger may upload: nothing, not a PDF, a cut one, and a signed PDF whose compressed
    streams are broken (zlib refuses them) or name a filter no reader knows."""
    streams = [match.end() for match in re.finditer(rb"stream\r?\n", signed)]
    broken = bytearray(signed)
    for start in streams:
        broken[start : start + 2] = b"\x00\x00"  # not a zlib header
    cycle = (
        b"%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[3 0 R]>>>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 1000000000>>endobj\n3 0 obj<</Kids[3 0 R]/FT/Sig>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return {
        "empty": b"",
        "text": "ไม่ใช่ PDF".encode(),
        "header only": b"%PDF-1.7\n",
        "cut in half": signed[: len(signed) // 2],
        "broken streams": bytes(broken),
        "unknown filter": signed.replace(b"/FlateDecode", b"/FlateDEcode"),
        "a field that is its own kid": cycle,
    }


@at(2026, 11, 16)
def test_a_broken_or_hostile_upload_is_answered_not_a_server_error(client, songkhla, report):  # noqa: F811
    signed = signing.sign_pdf(HTML(string="<p>Kamkap</p>").write_pdf(), songkhla.unit, reason="test")
    for name, data in hostile_files(signed).items():
        response = client.post(verify_url(report), {"document": SimpleUploadedFile("x.pdf", data)})
        body = response.content.decode()
        assert response.status_code == 200, name
        assert 'data-testid="mismatch"' in body and 'data-testid="verdict-unsigned"' in body, name


@pytest.fixture
def foreign_time_stamp_authority(demo_ca, monkeypatch, tmp_path):
    """A time-stamp authority that answers, but with a certificate of another CA than the ones the
    verifier trusts (a misconfigured SIGNING_TSA_URL or SIGNING_TSA_CA_CERT, or a stranger on the path)."""
    signing.ensure_demo_ca()  # ours, in the key store, before the foreign one is made elsewhere
    with monkeypatch.context() as patch:
        patch.setattr(signing, "signing_dir", lambda: tmp_path / "foreign")
        found = signing.issue_tsa_certificate("Foreign TSA")
    yield from serve_time_stamps(found)


@at(2026, 11, 16)
def test_an_untrusted_time_stamp_is_no_issued_document(settings, signed_off, foreign_time_stamp_authority):  # noqa: F811
    settings.SIGNING_TSA_URL = foreign_time_stamp_authority
    signed = signing.sign_pdf(HTML(string="<p>Kamkap</p>").write_pdf(), signed_off.office, reason="B-T")
    checked = signing.validate_pdf(signed)
    assert checked.valid and checked.timestamped_at is None  # signed, but its time is nobody's we trust

    # issuing: no document kept without the time-stamp asked for, and not SigningUnavailable either
    # (that one means "no certificate": the task would give up and the views serve an unsigned copy);
    # the outbox tries again
    with pytest.raises(signing.TimestampMissing):
        issued.issue_report(issued.case(signed_off.pk))
    assert not IssuedDocument.objects.filter(inspection=signed_off).exists()
    assert not issubclass(signing.TimestampMissing, signing.SigningUnavailable)


class CountingHandler(FileUploadHandler):
    """Counts the bytes of uploaded files Django reads from a request (and passes them on)."""

    received = 0

    def receive_data_chunk(self, raw_data, start):
        CountingHandler.received += len(raw_data)
        return raw_data

    def file_complete(self, file_size):
        return None


def dense_pdf(fields: int) -> bytes:
    """A well-formed PDF whose form lists `fields` fields: six bytes each, and pyHanko's reader parses
    them one by one (about 2 s of CPU per MB)."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[" + b"3 0 R " * fields + b"]>>>>",
        b"<</Type/Pages/Kids[]/Count 0>>",
        b"<</FT/Tx/T(a)>>",
    ]
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj" % number + body + b"endobj\n"
    xref = len(out)
    out += b"xref\n0 4\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


@at(2026, 11, 16)
def test_a_file_far_larger_than_the_issued_one_is_not_parsed(client, settings, report):
    """The issued report is 40 kB: a 2 MB file is not it, whatever it holds, and is refused before
    pyHanko spends seconds of CPU on its objects (under the general 10 MB limit)."""
    settings.FILE_UPLOAD_HANDLERS = [f"{__name__}.CountingHandler", *settings.FILE_UPLOAD_HANDLERS]
    CountingHandler.received = 0
    dense = dense_pdf(350_000)
    assert 2 * 2**20 < len(dense) < verify.MAX_UPLOAD_BYTES
    response = client.post(verify_url(report), {"document": SimpleUploadedFile("dense.pdf", dense)})
    assert response.status_code == 400 and "ไฟล์มีขนาดเกิน 1.1 เมกะไบต์" in response.content.decode()
    assert CountingHandler.received == 0


@at(2026, 11, 16)
def test_an_upload_over_the_limit_is_refused_before_it_is_read(client, settings, report, monkeypatch):
    """The size is checked on the request's declared length, before anything (the CSRF check included,
    which reads the form) parses the file: a stranger cannot make the server spool gigabytes to disk."""
    settings.FILE_UPLOAD_HANDLERS = [f"{__name__}.CountingHandler", *settings.FILE_UPLOAD_HANDLERS]
    monkeypatch.setattr(verify, "MAX_UPLOAD_BYTES", 100 * 1024)
    CountingHandler.received = 0
    huge = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * (400 * 1024))
    response = client.post(verify_url(report), {"document": huge})
    assert response.status_code == 400 and "ไฟล์มีขนาดเกิน" in response.content.decode()
    assert CountingHandler.received == 0

    # one within the limit is read and checked as before, and the form's CSRF check still holds
    small = SimpleUploadedFile("small.pdf", b"%PDF-1.7\n")
    assert client.post(verify_url(report), {"document": small}).status_code == 200
    assert CountingHandler.received > 0
    strict = Client(enforce_csrf_checks=True)
    small.seek(0)
    assert strict.post(verify_url(report), {"document": small}).status_code == 403
