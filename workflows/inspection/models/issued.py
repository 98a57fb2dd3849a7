"""The issued, electronically signed copy of an official document (an order letter, or the inspection
report once signed off): its public reference number (printed on it with a QR code of
/verify/<reference>/), the signed PDF as stored and its SHA-256, so anyone holding a copy can check it
is the one the office issued."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from org.models import Unit

from .cases import CorrectiveOrder, Inspection, OrderStatus

REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L, U: read aloud and typed by people
REFERENCE_GROUPS, GROUP_SIZE = 3, 4


def new_reference() -> str:
    """KK-XXXX-XXXX-XXXX, random (about 59 bits): a reference cannot be guessed from another one."""
    groups = ("".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(GROUP_SIZE)) for _ in range(REFERENCE_GROUPS))
    return "KK-" + "-".join(groups)


class DocumentStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    SUPERSEDED = "superseded", _("Superseded")
    REVOKED = "revoked", _("Revoked")


class DocumentKind(models.TextChoices):
    ORDER = "order", _("Order letter")
    REPORT = "report", _("Inspection report")


class IssuedDocument(models.Model):
    reference = models.CharField(_("reference number"), max_length=20, unique=True, default=new_reference)
    kind = models.CharField(_("kind of document"), max_length=10, choices=DocumentKind.choices, default="order")
    inspection = models.ForeignKey(Inspection, models.PROTECT, related_name="issued_documents")
    order = models.OneToOneField(
        CorrectiveOrder, models.PROTECT, null=True, blank=True, related_name="issued_document"
    )  # the letter's order; none for the report
    office = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("issuing office"))
    issued_on = models.DateField(_("issued on"))
    file = models.FileField(_("signed PDF"), upload_to="issued/%Y/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    signer = models.CharField(_("signing certificate"), max_length=500, blank=True)
    signed_at = models.DateTimeField(_("signed at"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("signed by")
    )
    signed_as = models.CharField(_("signed as"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        constraints = [
            models.UniqueConstraint(
                fields=["inspection"], condition=Q(kind="report"), name="issued_one_report_per_case"
            ),
            models.CheckConstraint(
                condition=Q(kind="report", order__isnull=True) | Q(kind="order", order__isnull=False),
                name="issued_order_letter_has_its_order",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def status(self) -> str:
        """In force; revoked once its order is withdrawn; superseded by a later letter of the case under
        the same section (`later_orders`, counted by workflows.inspection.issued.public_document: s.37 by
        s.37, s.39 by s.39; an s.39 order does not supersede the s.37 order it enforces). A report stays
        in force (a case is signed off once) unless revoked (issued.revoke, read from the audit trail)."""
        if self.order is None:
            return DocumentStatus.IN_FORCE
        if self.order.status == OrderStatus.WITHDRAWN:
            return DocumentStatus.REVOKED
        if getattr(self, "later_orders", 0):
            return DocumentStatus.SUPERSEDED
        return DocumentStatus.IN_FORCE
