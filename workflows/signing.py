"""Electronic signatures of issued documents (PAdES baseline B-B, with pyHanko), made with the key and
certificate of the issuing office and validated against the ministry's certificate authority.

The key store is a folder (settings.SIGNING_DIR, by default MEDIA_ROOT/secret/signing, which no URL
serves): ca.pem (the CA's certificate, the trust root a verifier uses), and per office
office-<code>.pem / office-<code>.key. Production puts there the certificates its own CA issued.
The demo (`manage.py make_demo_ca`, run by load_demo_data) creates a demo CA in that folder, its key
beside it (ca.key), and a certificate per office; with SIGNING_DEMO_CA on (DEBUG by default) a
missing office certificate is issued from the demo CA when first needed. Keys are written 0600 and
never committed. Nothing here opens a network connection: no time-stamp authority, no CRL or OCSP
fetch (B-B: the signing time is the signer's claim)."""

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.utils import timezone

CA_NAME = "Kamkap Demo CA"  # a common name is at most 64 bytes of UTF-8: Thai names go in OU / O
ORGANISATION = "กระทรวงอุตสาหกรรม"
CA_YEARS, OFFICE_YEARS = 10, 3


class SigningUnavailable(RuntimeError):
    """No certificate for the issuing office, and no demo CA may issue one."""


@dataclass(frozen=True)
class Credentials:
    key: Path
    certificate: Path
    ca: Path


def signing_dir() -> Path:
    configured = getattr(settings, "SIGNING_DIR", None)
    return Path(configured) if configured else Path(settings.MEDIA_ROOT) / "secret" / "signing"


def demo_allowed() -> bool:
    return bool(getattr(settings, "SIGNING_DEMO_CA", settings.DEBUG))


def _safe(code: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", code).strip("-") or "office"


def _write(path: Path, data: bytes, *, secret: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if secret else 0o644)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def _key_pem(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def ensure_demo_ca() -> Path:
    """The demo CA's certificate (created with its key on first call)."""
    folder = signing_dir()
    cert_path, key_path = folder / "ca.pem", folder / "ca.key"
    if cert_path.exists() and key_path.exists():
        return cert_path
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "TH"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME),
        ]
    )
    now = timezone.now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )  # key_cert_sign, crl_sign
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write(key_path, _key_pem(key), secret=True)
    _write(cert_path, cert.public_bytes(serialization.Encoding.PEM))
    return cert_path


def issue_office_certificate(office) -> Credentials:
    """A signing certificate for `office` (its Thai name as the subject's unit) from the demo CA."""
    folder = signing_dir()
    ca_path = ensure_demo_ca()
    ca_cert = x509.load_pem_x509_certificate(ca_path.read_bytes())
    ca_key = serialization.load_pem_private_key((folder / "ca.key").read_bytes(), password=None)
    key = ec.generate_private_key(ec.SECP256R1())
    now = timezone.now()
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "TH"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, office.name_th),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{office.code} Kamkap signing"[:64]),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * OFFICE_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )  # digital_signature, non_repudiation (content commitment)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    stem = folder / f"office-{_safe(office.code)}"
    _write(stem.with_suffix(".key"), _key_pem(key), secret=True)
    _write(stem.with_suffix(".pem"), cert.public_bytes(serialization.Encoding.PEM))
    return Credentials(stem.with_suffix(".key"), stem.with_suffix(".pem"), ca_path)


def credentials(office) -> Credentials:
    """The issuing office's key and certificate; issued from the demo CA when allowed and missing."""
    folder = signing_dir()
    stem = folder / f"office-{_safe(office.code)}"
    found = Credentials(stem.with_suffix(".key"), stem.with_suffix(".pem"), folder / "ca.pem")
    if found.key.exists() and found.certificate.exists() and found.ca.exists():
        return found
    if not demo_allowed():
        raise SigningUnavailable(f"No signing certificate for office {office.code} in {folder}")
    return issue_office_certificate(office)


def sign_pdf(pdf: bytes, office, *, reason: str, location: str = "") -> bytes:
    """`pdf` signed (PAdES B-B, SHA-256) by the office's key, its certificate and the CA's embedded."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    found = credentials(office)
    signer = signers.SimpleSigner.load(str(found.key), str(found.certificate), ca_chain_files=(str(found.ca),))
    if signer is None:
        raise SigningUnavailable(f"Unreadable signing key or certificate of office {office.code}")
    metadata = signers.PdfSignatureMetadata(
        field_name="Signature1",
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        name=office.name_th,
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    return signers.PdfSigner(metadata, signer=signer).sign_pdf(writer).getvalue()


@dataclass(frozen=True)
class Validation:
    signed: bool  # the file holds a signature
    intact: bool  # the signed bytes are unchanged and cover the whole file
    trusted: bool  # the signer's certificate chains to the CA
    signer: str = ""
    signed_at: object = None

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.trusted


def validate_pdf(pdf: bytes, ca: Path | None = None) -> Validation:
    """The first signature of `pdf` checked against the CA certificate (no network: no revocation
    fetch). A file pyHanko cannot read is not signed."""
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    data = (ca or signing_dir() / "ca.pem").read_bytes()
    root = asn1_x509.Certificate.load(pem.unarmor(data)[2] if pem.detect(data) else data)
    context = ValidationContext(trust_roots=[root], allow_fetching=False, revocation_mode="soft-fail")
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError):
        return Validation(False, False, False)
    if not signatures:
        return Validation(False, False, False)
    try:
        status = validate_pdf_signature(signatures[0], context)
    except (PdfError, ValueError, KeyError, TypeError):
        return Validation(True, False, False)
    whole = status.coverage is not None and status.coverage.name == "ENTIRE_FILE"
    return Validation(
        signed=True,
        intact=bool(status.intact and status.valid and whole),
        trusted=bool(status.trusted),
        signer=status.signing_cert.subject.human_friendly if status.signing_cert else "",
        signed_at=status.signer_reported_dt,
    )


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_demo_certificates() -> str:
    """The demo CA and a signing certificate for every office that has none (idempotent)."""
    from org.models import Unit, UnitKind

    ensure_demo_ca()
    made = 0
    for office in Unit.objects.filter(kind=UnitKind.OFFICE).only("code", "name_th"):
        stem = signing_dir() / f"office-{_safe(office.code)}"
        if not (stem.with_suffix(".key").exists() and stem.with_suffix(".pem").exists()):
            issue_office_certificate(office)
            made += 1
    return f"{made} office certificates issued by the demo CA in {signing_dir()}"
