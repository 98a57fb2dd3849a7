"""The issued order letter, signed once and kept: the letter is rendered with its reference number and
a QR code of the public verify page (/verify/<reference>/), signed with the issuing office's key
(workflows.signing, PAdES B-B), stored with its SHA-256, and served as stored from then on, so every
copy the office hands out is byte for byte the one the verify page knows."""

import logging

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from workflows import signing
from workflows.pdf import render_pdf

from . import selectors
from .models import CorrectiveOrder, IssuedDocument
from .models.issued import new_reference
from .selectors import LETTER_STATUSES

logger = logging.getLogger(__name__)

QR_SCALE = 2  # SVG units per module: about 2 cm wide in the letter (sized by CSS)


def verify_url(reference: str) -> str:
    return settings.SITE_URL + reverse("verify", args=[reference])


def qr_svg(url: str) -> str:
    """The QR code of `url` as inline SVG (drawn by segno, offline; no file or network fetch)."""
    return segno.make(url, error="m", micro=False).svg_inline(scale=QR_SCALE, border=2, omitsize=True)


def electronic_block(reference: str, signed_on) -> dict:
    url = verify_url(reference)
    return {"reference": reference, "verify_url": url, "qr_svg": qr_svg(url), "signed_on": signed_on}


def _render_and_sign(order: CorrectiveOrder, reference: str) -> tuple[bytes, signing.Validation]:
    office = order.inspection.office
    context = selectors.order_letter_context(order)
    context["electronic"] = electronic_block(reference, timezone.localdate())
    pdf = render_pdf("pdf/inspection/order.html", context)
    signed = signing.sign_pdf(pdf, office, reason=f"คำสั่ง {order.letter_no}".strip(), location=office.name_th)
    return signed, signing.validate_pdf(signed)


def order_document(order: CorrectiveOrder) -> IssuedDocument:
    """The signed letter of an issued order, made on first need (the order's `inspection` loaded).
    Raises signing.SigningUnavailable when the office has no certificate (and no demo CA may issue one)."""
    existing = IssuedDocument.objects.filter(order=order).first()
    if existing is not None:
        return existing
    reference = new_reference()
    signed, checked = _render_and_sign(order, reference)
    if not checked.valid:  # never hand out a letter our own verify page would refuse
        raise signing.SigningUnavailable(f"The signature made for order {order.pk} does not validate")
    document = IssuedDocument(
        reference=reference, order=order, office=order.inspection.office,
        issued_on=order.issued_on or timezone.localdate(), sha256=signing.sha256(signed),
        signer=checked.signer[:500], signed_at=timezone.now(),
    )  # fmt: skip
    document.file.save(f"{reference}.pdf", ContentFile(signed), save=False)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:  # another request signed it first: theirs is the issued one
        document.file.delete(save=False)
        return IssuedDocument.objects.get(order=order)
    logger.info("Order %s issued as %s (sha256 %s)", order.pk, reference, document.sha256)
    return document


def order_pdf(order: CorrectiveOrder) -> bytes:
    """The bytes of the signed letter as issued (order_document)."""
    document = order_document(order)
    with document.file.open("rb") as stored:
        return stored.read()


def public_document(reference: str) -> IssuedDocument | None:
    """The document with that reference and only what the verify page shows (its office, kind,
    date, status; no case, factory or person), with the number of later letters of its case."""
    sibling = "order__inspection__orders"
    later = Count(
        sibling, filter=Q(**{f"{sibling}__pk__gt": F("order__pk"), f"{sibling}__status__in": LETTER_STATUSES})
    )
    return (
        IssuedDocument.objects.select_related("office", "order")
        .only("reference", "issued_on", "sha256", "signed_at", "office__name_th", "order__kind", "order__status")
        .annotate(later_orders=later)
        .filter(reference=reference)
        .first()
    )
