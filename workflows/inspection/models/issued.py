"""The issued, electronically signed copy of an official document (an order letter): its public
reference number (printed on the letter with a QR code of /verify/<reference>/), the signed PDF as
stored and its SHA-256, so anyone holding a copy can check it is the one the office issued."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from org.models import Unit

from .cases import CorrectiveOrder, OrderStatus

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


class IssuedDocument(models.Model):
    reference = models.CharField(_("reference number"), max_length=20, unique=True, default=new_reference)
    order = models.OneToOneField(CorrectiveOrder, models.PROTECT, related_name="issued_document")
    office = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("issuing office"))
    issued_on = models.DateField(_("issued on"))
    file = models.FileField(_("signed PDF"), upload_to="issued/%Y/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    signer = models.CharField(_("signing certificate"), max_length=500, blank=True)
    signed_at = models.DateTimeField(_("signed at"))

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")

    def __str__(self):
        return self.reference

    @property
    def status(self) -> str:
        """In force; revoked once its order is withdrawn; superseded by a later order of the case."""
        if self.order.status == OrderStatus.WITHDRAWN:
            return DocumentStatus.REVOKED
        if getattr(self, "later_orders", 0):
            return DocumentStatus.SUPERSEDED
        return DocumentStatus.IN_FORCE
