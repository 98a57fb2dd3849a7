"""Electronic signatures of issued documents (PAdES baseline B-B, or B-T with a time-stamp authority;
pyHanko), made with the key and certificate of the person who signs (the officer who signs off the
report, the approver who issues the order) and validated against the ministry's certificate authority.

The key store is a folder (settings.SIGNING_DIR, by default MEDIA_ROOT/secret/signing, which no URL
serves): the CA's certificate (the trust root a verifier uses: settings.SIGNING_CA_CERT, by default
ca.pem in the key store), and per signer signer-<username>.pem / signer-<username>.key. Production
points SIGNING_DIR (and SIGNING_CA_CERT) at the key store its own CA filled; where a signer has no
certificate there, the office's (office-<code>.pem / .key) signs for them, and with neither nothing is
signed (SigningUnavailable). The demo (`manage.py make_demo_ca`, run by load_demo_data) creates a demo
CA in that folder, its key beside it (ca.key), a certificate per office and one per person who signs;
with SIGNING_DEMO_CA on (DEBUG by default) a missing signer certificate is issued from the demo CA
when first needed. Keys are written 0600 and never committed.

Time-stamps: with SIGNING_TSA_URL set (an RFC 3161 time-stamp authority the servers reach, e.g. one
inside the ministry's network) every signature carries the authority's time-stamp token (PAdES B-T:
the signing time is the authority's, not the signer's claim), validated against the CA certificate
and SIGNING_TSA_CA_CERT where the authority's chain ends elsewhere; an authority that does not answer
fails the signing (the outbox tries again later), never an unstamped signature instead; so does one
whose stamp the verifier does not trust (TimestampMissing, checked where a document is kept). Without it
(the demo: no authority on a closed network) signatures are B-B, the signing time the signer's claim,
and nothing here opens a network connection. No CRL or OCSP answer is fetched or embedded (no B-LT):
README, "Electronic signatures", says what production needs for that."""

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.utils import timezone

CA_NAME = "Kamkap Demo CA"  # a common name is at most 64 bytes of UTF-8: Thai names go in OU / O
ORGANISATION = "กระทรวงอุตสาหกรรม"
CA_YEARS, OFFICE_YEARS = 10, 3
TSA_TIMEOUT = 10  # seconds to wait for the time-stamp authority
CN_BYTES = 64  # cryptography counts a common name's length in bytes of UTF-8


class SigningUnavailable(RuntimeError):
    """No certificate for the issuing office, and no demo CA may issue one."""


class TimestampUnavailable(ConnectionError):
    """SIGNING_TSA_URL is set and the authority did not answer (or answered with an error): no
    signature is made. A ConnectionError, so the issuing task is tried again with back-off like any
    service out of reach (project.celery.KamkapTask); not SigningUnavailable, which means "no
    certificate" and has the document served unsigned."""


class TimestampMissing(TimestampUnavailable):
    """SIGNING_TSA_URL is set but the signature made carries no time-stamp the verifier trusts (another
    CA's authority, a misconfigured SIGNING_TSA_CA_CERT): nothing is kept, tried again like the above."""


@dataclass(frozen=True)
class Credentials:
    key: Path
    certificate: Path
    ca: Path


def signing_dir() -> Path:
    configured = getattr(settings, "SIGNING_DIR", None)
    return Path(configured) if configured else Path(settings.MEDIA_ROOT) / "secret" / "signing"


def ca_path() -> Path:
    """The CA certificate that signatures are validated against (the demo CA's, or production's)."""
    configured = getattr(settings, "SIGNING_CA_CERT", None)
    return Path(configured) if configured else signing_dir() / "ca.pem"


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
    if not demo_allowed() and cert_path.exists():  # production's CA certificate, and no key: not ours to replace
        raise SigningUnavailable(f"{cert_path} is a CA certificate without its key: not a demo CA")
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


def _issue(stem: Path, unit: str, common_name: str, serial: str = "", *, tsa: bool = False) -> Credentials:
    """A signing certificate from the demo CA for `common_name` of the unit `unit` (Thai), its key
    and certificate written at `stem`.key / `stem`.pem (`tsa`: a time-stamping certificate)."""
    folder = signing_dir()
    ca_file = ensure_demo_ca()
    ca_cert = x509.load_pem_x509_certificate(ca_file.read_bytes())
    ca_key = serialization.load_pem_private_key((folder / "ca.key").read_bytes(), password=None)
    # RSA for a time-stamping key (what time-stamp authorities use, and pyHanko's test authority needs)
    key = rsa.generate_private_key(65537, 3072) if tsa else ec.generate_private_key(ec.SECP256R1())
    now = timezone.now()
    names = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "TH"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit),
        x509.NameAttribute(NameOID.COMMON_NAME, _common_name(common_name, serial)),
    ]
    if serial:
        names.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial[:64]))
    if len(common_name.encode()) > CN_BYTES:  # the whole name, where the common name could not hold it
        names.append(x509.NameAttribute(NameOID.PSEUDONYM, common_name))
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(names))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * OFFICE_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )  # digital_signature, non_repudiation (content commitment)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING if tsa else ExtendedKeyUsageOID.EMAIL_PROTECTION]),
            critical=tsa,  # RFC 3161: a time-stamping certificate has that one purpose, marked critical
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    _write(stem.with_suffix(".key"), _key_pem(key), secret=True)
    _write(stem.with_suffix(".pem"), cert.public_bytes(serialization.Encoding.PEM))
    return Credentials(stem.with_suffix(".key"), stem.with_suffix(".pem"), ca_file)


def issue_tsa_certificate(name: str = "Kamkap Demo TSA") -> Credentials:
    """A time-stamping certificate from the demo CA (tsa-demo.pem / .key in the key store), for an
    authority run by the tests; production's authority has its own."""
    return _issue(signing_dir() / "tsa-demo", ORGANISATION, name, tsa=True)


def _common_name(name: str, fallback: str) -> str:
    """`name` when it fits the common name's 64 bytes of UTF-8 (a Thai character takes 3), else the
    ASCII `fallback` (the user name; the whole name then goes in the pseudonym)."""
    if len(name.encode()) <= CN_BYTES:
        return name
    return (fallback or name.encode()[:CN_BYTES].decode(errors="ignore"))[:CN_BYTES]


def _office_stem(office) -> Path:
    return signing_dir() / f"office-{_safe(office.code)}"


def _signer_stem(person) -> Path:
    return signing_dir() / f"signer-{_safe(person.username)}"


def issue_office_certificate(office) -> Credentials:
    """A signing certificate for `office` (its Thai name as the subject's unit) from the demo CA."""
    return _issue(_office_stem(office), office.name_th, f"{office.code} Kamkap signing")


def issue_signer_certificate(person, office) -> Credentials:
    """A personal signing certificate for `person` (their Thai name as the common name, their user
    name as the subject's serial number, `office` — the unit of their post — as its unit) from the
    demo CA."""
    return _issue(_signer_stem(person), office.name_th, person.display_name, person.username)


def _found(stem: Path) -> Credentials | None:
    found = Credentials(stem.with_suffix(".key"), stem.with_suffix(".pem"), ca_path())
    return found if found.key.exists() and found.certificate.exists() and found.ca.exists() else None


def signer_credentials(person, office) -> Credentials:
    """`person`'s key and certificate in the key store; else, with the demo CA allowed, one issued to
    them now; else the office's; else SigningUnavailable."""
    if person is not None:
        found = _found(_signer_stem(person))
        if found is not None:
            return found
        if demo_allowed():
            return issue_signer_certificate(person, _own_unit(person) or office)
    return credentials(office)


def _own_unit(person):
    """The unit of the post `person` holds today (their own, not the one they act for), if any."""
    from org.models import Holding

    held = Holding.objects.active_on(timezone.localdate()).filter(person=person).select_related("position__unit")
    first = held.order_by("start", "pk").first()
    return first.position.unit if first is not None else None


def credentials(office) -> Credentials:
    """The issuing office's key and certificate; issued from the demo CA when allowed and missing."""
    found = _found(_office_stem(office))
    if found is not None:
        return found
    if not demo_allowed():
        raise SigningUnavailable(f"No signing certificate for office {office.code} in {signing_dir()}")
    return issue_office_certificate(office)


def sign_pdf(pdf: bytes, office, *, reason: str, location: str = "", person=None) -> bytes:
    """`pdf` signed (PAdES B-B, SHA-256) by `person`'s key (signer_credentials: the office's where
    they have none), its certificate and the CA's embedded."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    found = signer_credentials(person, office)
    signer = signers.SimpleSigner.load(str(found.key), str(found.certificate), ca_chain_files=(str(found.ca),))
    if signer is None:
        raise SigningUnavailable(f"Unreadable signing key or certificate ({found.certificate.name})")
    metadata = signers.PdfSignatureMetadata(
        field_name="Signature1",
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        name=person.display_name if person is not None else office.name_th,
    )
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError

    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    try:
        return signers.PdfSigner(metadata, signer=signer, timestamper=timestamper()).sign_pdf(writer).getvalue()
    except TimestampRequestError as error:  # an OSError, which the tasks would not try again
        raise TimestampUnavailable(f"The time-stamp authority did not answer: {error}") from error


def timestamper():
    """The time-stamp authority's client when SIGNING_TSA_URL is set, else None (B-B)."""
    url = getattr(settings, "SIGNING_TSA_URL", "") or ""
    if not url:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(url, timeout=TSA_TIMEOUT)


@dataclass(frozen=True)
class Validation:
    signed: bool  # the file holds a signature
    intact: bool  # the signed bytes are unchanged and cover the whole file
    trusted: bool  # the signer's certificate chains to the CA
    signer: str = ""
    signed_at: object = None
    timestamped_at: object = None  # the authority's time, when a valid, trusted time-stamp is attached

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.trusted


def validate_pdf(pdf: bytes, ca: Path | None = None) -> Validation:
    """The first signature of `pdf` checked against the CA certificate (no network: no revocation
    fetch). A file pyHanko cannot read is not signed."""
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    def certificate(path: Path):
        data = path.read_bytes()
        return asn1_x509.Certificate.load(pem.unarmor(data)[2] if pem.detect(data) else data)

    roots = [certificate(ca or ca_path())]
    tsa_ca = getattr(settings, "SIGNING_TSA_CA_CERT", None)
    if tsa_ca:
        roots.append(certificate(Path(tsa_ca)))
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    # Any file may come from the public verify page: whatever a broken or hostile one makes the reader
    # raise (zlib.error, NotImplementedError for an unknown filter, AttributeError, RecursionError...)
    # means it is not a document we can vouch for, never a server error.
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001 (see above)
        return Validation(False, False, False)
    if not signatures:
        return Validation(False, False, False)
    try:
        status = validate_pdf_signature(signatures[0], context)
    except Exception:  # noqa: BLE001 (see above)
        return Validation(True, False, False)
    whole = status.coverage is not None and status.coverage.name == "ENTIRE_FILE"
    stamp = status.timestamp_validity
    return Validation(
        signed=True,
        intact=bool(status.intact and status.valid and whole),
        trusted=bool(status.trusted),
        signer=status.signing_cert.subject.human_friendly if status.signing_cert else "",
        signed_at=status.signer_reported_dt,
        timestamped_at=stamp.timestamp if stamp is not None and stamp.valid and stamp.trusted else None,
    )


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_demo_certificates() -> str:
    """The demo CA, a signing certificate for every office and one for every person who holds a post
    in an office, where they have none (idempotent)."""
    from org.models import Holding, Unit, UnitKind

    ensure_demo_ca()
    offices = made = signers = 0
    for office in Unit.objects.filter(kind=UnitKind.OFFICE).only("code", "name_th"):
        if _found(_office_stem(office)) is None:
            issue_office_certificate(office)
            offices += 1
    holdings = Holding.objects.active_on(timezone.localdate()).select_related("person", "position__unit")
    seen = set()
    for holding in holdings.order_by("person_id", "start", "pk"):
        person = holding.person
        if person.pk in seen:
            continue
        seen.add(person.pk)
        if _found(_signer_stem(person)) is None:
            issue_signer_certificate(person, holding.position.unit)
            signers += 1
        made += 1
    return (
        f"{offices} office and {signers} signer certificates issued by the demo CA in {signing_dir()} "
        f"({made} people who hold a post)"
    )
