"""Issued documents, signed once at issue time and kept: the order letter when its last approver issues
it, the inspection report when the provincial industry officer signs it off. Each is rendered with
its reference number, a visible electronic signature block (ลงนามอิเล็กทรอนิกส์: who, as what, when) and
a QR code of the public verify page (/verify/<reference>/), signed with the signer's own certificate
from the ministry's CA (workflows.signing, PAdES B-B), stored with its SHA-256, recorded in the case's
audit trail, and served as stored from then on: every copy the office hands out is byte for byte the
one the verify page knows.

The services queue the signing through the outbox in the transaction that issues (services.order_decide,
services.inspection_sign_off; tasks.py), so it follows the commit in the worker and a failure is
retried by the relay. A download that comes before the worker finished signs the same way (issue_* is
idempotent: one document per order and per report, a race lost keeps the other's).

What the verify page says of a document (`status`): *revoked* once it is withdrawn — `revoke`, an entry
(document.revoke: who, as what, when, why) in its case's audit trail, which is where the page reads it
— or once its order is withdrawn; an order letter is *superseded* by a later letter of its case that
takes its place (SUPERSEDES: a later s.37 letter an earlier s.37 one, a later s.39 letter an earlier
s.39 one; an s.39 order does not replace the s.37 order it enforces, which stays in force); otherwise
it is *in force*. A report is never superseded by another (a case is signed off once): a report found
wrong is revoked, with the reason saying so."""

import logging

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows import audit, signing
from workflows.pdf import render_pdf

from . import selectors
from .models import CorrectiveOrder, DocumentKind, DocumentStatus, Inspection, IssuedDocument, OrderKind
from .models.issued import new_reference
from .selectors import LETTER_STATUSES

logger = logging.getLogger(__name__)

QR_SCALE = 2  # SVG units per module: about 2 cm wide on the page (sized by CSS)
ORDER_TEMPLATE = "pdf/inspection/order.html"
REPORT_TEMPLATE = "pdf/inspection/report.html"
CASE_RELATED = (
    "factory__sub_district", "factory__district", "factory__province", "office", "inspector", "signed_off_by",
    "checklist__template",
)  # fmt: skip


def verify_url(reference: str) -> str:
    return settings.SITE_URL + reverse("verify", args=[reference])


def qr_svg(url: str) -> str:
    """The QR code of `url` as inline SVG (drawn by segno, offline; no file or network fetch)."""
    return segno.make(url, error="m", micro=False).svg_inline(scale=QR_SCALE, border=2, omitsize=True)


def electronic_block(reference: str, signed_at, signer=None, signer_lines=()) -> dict:
    """What the document prints of its signature (templates/pdf/_esign.html): who signed, the lines
    under their name (their position, the post they act for, the authority they sign for), when (Bangkok
    time), the reference and the QR code of the verify page."""
    url = verify_url(reference)
    moment = timezone.localtime(signed_at)
    return {
        "reference": reference,
        "verify_url": url,
        "qr_svg": qr_svg(url),
        "signed_on": timezone.localdate(signed_at),
        "signed_time": moment.strftime("%H:%M"),
        "signer_name": signer.display_name if signer is not None else "",
        "signer_lines": list(signer_lines),
    }


def _keep(document: IssuedDocument, signed: bytes, label) -> IssuedDocument:
    """Stores the signed file and its row, with the audit entry of the signature, unless the same
    document was issued meanwhile (then that one is returned)."""
    checked = signing.validate_pdf(signed)
    if not checked.valid:  # never hand out a document our own verify page would refuse
        raise signing.SigningUnavailable(f"The signature made for {document} does not validate")
    if signing.timestamper() is not None and checked.timestamped_at is None:  # B-T asked, B-B made
        raise signing.TimestampMissing(f"The signature made for {document} carries no trusted time-stamp")
    document.sha256, document.signer = signing.sha256(signed), checked.signer[:500]
    document.file.save(f"{document.reference}.pdf", ContentFile(signed), save=False)
    try:
        with transaction.atomic():
            document.save()
            audit.record(
                subject=document.inspection,
                action="document.sign",
                label=label,
                by=document.signed_by,
                acting_for=document.signed_as,
                comment=document.reference,
                after={"kind": document.kind, "reference": document.reference, "sha256": document.sha256,
                       "certificate": document.signer},
            )  # fmt: skip
    except IntegrityError:  # issued meanwhile (the worker and a download at once): theirs is the issued one
        document.file.delete(save=False)
        found = IssuedDocument.objects.filter(inspection=document.inspection, kind=document.kind)
        return found.get(order=document.order) if document.order_id else found.get()
    logger.info("%s %s issued as %s (sha256 %s)", document.kind, document.inspection_id, document.reference,
                document.sha256)  # fmt: skip
    return document


def issue_order(order: CorrectiveOrder) -> IssuedDocument:
    """The signed letter of an issued order (its `inspection` loaded as case_context reads it, and its
    signer), made once. Raises signing.SigningUnavailable when neither the signer nor the office has
    a certificate (and no demo CA may issue one)."""
    existing = IssuedDocument.objects.filter(order=order).first()
    if existing is not None:
        return existing
    inspection, office = order.inspection, order.inspection.office
    signing.signer_credentials(order.signed_by, office)  # no certificate: nothing rendered in vain
    context = selectors.order_letter_context(order)
    document = IssuedDocument(
        kind=DocumentKind.ORDER, inspection=inspection, order=order, office=office,
        issued_on=order.issued_on or timezone.localdate(), signed_at=timezone.now(),
        signed_by=order.signed_by, signed_as=order.signed_as[:300], reference=new_reference(),
    )  # fmt: skip
    context["electronic"] = electronic_block(
        document.reference, document.signed_at, order.signed_by, context["signer_lines"]
    )
    pdf = render_pdf(ORDER_TEMPLATE, context)
    reason = f"คำสั่ง {order.letter_no}".strip()
    signed = signing.sign_pdf(pdf, office, reason=reason, location=office.name_th, person=order.signed_by)
    return _keep(document, signed, _("Order letter signed electronically"))


def issue_report(inspection: Inspection) -> IssuedDocument | None:
    """The signed report of a case signed off (None before the sign-off: a draft is not issued), made
    once and signed by the officer who signed it off, as they signed it off (acting titles kept)."""
    if inspection.signed_off_at is None:
        return None
    existing = IssuedDocument.objects.filter(inspection=inspection, kind=DocumentKind.REPORT).first()
    if existing is not None:
        return existing
    office, person = inspection.office, inspection.signed_off_by
    signing.signer_credentials(person, office)  # no certificate: nothing rendered in vain
    context = selectors.report_context(inspection)
    document = IssuedDocument(
        kind=DocumentKind.REPORT, inspection=inspection, office=office,
        issued_on=timezone.localdate(inspection.signed_off_at), signed_at=timezone.now(),
        signed_by=person, signed_as=inspection.signed_off_as[:300], reference=new_reference(),
    )  # fmt: skip
    lines = selectors.signer_lines(person, inspection.signed_off_as, document.issued_on)
    context["electronic"] = electronic_block(document.reference, document.signed_at, person, lines)
    pdf = render_pdf(REPORT_TEMPLATE, context)
    reason = f"รายงานผลการตรวจโรงงาน {inspection.ref_no}"
    signed = signing.sign_pdf(pdf, office, reason=reason, location=office.name_th, person=person)
    return _keep(document, signed, _("Inspection report signed electronically"))


def case(pk: int) -> Inspection:
    return Inspection.objects.select_related(*CASE_RELATED).get(pk=pk)


def issue_order_by_pk(order_pk: int) -> IssuedDocument:
    order = CorrectiveOrder.objects.select_related("signed_by").get(pk=order_pk)
    order.inspection = case(order.inspection_id)
    return issue_order(order)


def issue_report_by_pk(inspection_pk: int) -> IssuedDocument | None:
    return issue_report(case(inspection_pk))


def stored(document: IssuedDocument) -> bytes:
    with document.file.open("rb") as kept:
        return kept.read()


def order_pdf(order: CorrectiveOrder) -> bytes:
    """The bytes of the signed letter as issued (issue_order)."""
    return stored(issue_order(order))


def report_pdf(inspection: Inspection) -> bytes | None:
    """The bytes of the signed report as issued (issue_report); None before the sign-off."""
    document = issue_report(inspection)
    return stored(document) if document is not None else None


REVOKE = "document.revoke"
S37 = (OrderKind.S37_IMPROVE, OrderKind.S37_STOP)
SUPERSEDES = (S37, (OrderKind.S39_CLOSE,))  # a later letter of a kind in the same group takes the place


class RevocationError(ValueError):
    """The document cannot be revoked (no reason given, or revoked already)."""


def _later_letters() -> Count:
    """The letters of the document's case that supersede its order's letter: issued (a letter exists:
    LETTER_STATUSES), of a kind in the same SUPERSEDES group, and later — issued on a later day, or on
    the same day as a later order. A draft, an order awaiting approval or a withdrawn one supersedes
    nothing."""
    sibling = "order__inspection__orders"
    mine = Coalesce("order__issued_on", "issued_on")  # the letter's issue date (its order's, once issued)
    later = Q(**{f"{sibling}__issued_on__gt": mine}) | Q(
        **{f"{sibling}__issued_on": mine, f"{sibling}__pk__gt": F("order__pk")}
    )
    same_group = Q()
    for group in SUPERSEDES:
        same_group |= Q(order__kind__in=group, **{f"{sibling}__kind__in": group})
    return Count(sibling, filter=Q(**{f"{sibling}__status__in": LETTER_STATUSES}) & same_group & later)


def public_document(reference: str) -> IssuedDocument | None:
    """The document with that reference and only what the verify page shows (its kind, office, date,
    status; no case, factory or person), with the number of later letters that supersede it
    (`later_orders`, which IssuedDocument.status reads)."""
    return (
        IssuedDocument.objects.select_related("office", "order")
        .only(
            "reference",
            "kind",
            "file",
            "inspection_id",
            "issued_on",
            "sha256",
            "office__name_th",
            "order__kind",
            "order__status",
            "order__issued_on",
        )  # fmt: skip
        .annotate(later_orders=_later_letters())
        .filter(reference=reference)
        .first()
    )


def revocation(document: IssuedDocument):
    """The audit entry that revoked `document` (who, as what, when, why; the verify page shows only
    when), or None."""
    from workflows.models import AuditEntry

    entries = AuditEntry.objects.filter(
        chain=audit.chain_key(Inspection(pk=document.inspection_id)), action=REVOKE,
        after__reference=document.reference,
    )  # fmt: skip
    return entries.order_by("seq").only("at", "actor_name", "acting_for", "comment").first()


def status(document: IssuedDocument, revoked=None) -> str:
    """in_force / superseded / revoked (see the module's docstring); `document` as public_document
    reads it, `revoked` its revocation entry if any."""
    return DocumentStatus.REVOKED if revoked is not None else document.status


@transaction.atomic
def revoke(document: IssuedDocument, *, by, reason: str, acting_for: str = ""):
    """Withdraw an issued document: from now on the verify page says it is revoked and since when
    (who, as what, and why are kept in the case's audit trail, not shown to the public). The signed
    file stays as issued (a copy someone holds still proves what was issued, and the page says it no
    longer stands). The order's own course in the case is not
    changed here. Who may: the document's signer, or whoever manages the case's office (a group head,
    the provincial industry officer: permissions.access "change"); not its inspector, not another
    province. Returns the audit entry."""
    from permissions import access

    reason = reason.strip()
    if not reason:
        raise RevocationError(_("Say why the document is revoked."))
    document = IssuedDocument.objects.select_for_update().select_related("inspection").get(pk=document.pk)
    if document.signed_by_id != by.pk and not access.can(by, "change", document.inspection):
        raise RevocationError(_("Only the signer or an officer who manages the case's office may revoke it."))
    if revocation(document) is not None:
        raise RevocationError(_("This document has already been revoked."))
    return audit.record(
        subject=document.inspection,
        action=REVOKE,
        label=_("Document revoked"),
        by=by,
        acting_for=acting_for,
        comment=reason,
        after={"kind": document.kind, "reference": document.reference, "reason": reason},
    )
