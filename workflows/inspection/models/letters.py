"""What an order letter says per kind of order (data the process administrator edits in the admin)
and how the order reached the factory (recorded by the officer; the compliance period runs from it)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import CorrectiveOrder, OrderKind

# The wording a new database starts with (migration 0010 writes it; OrderWording.for_kind falls back
# to it). Checked on 2 December 2026 against:
# - Administrative Procedure Act B.E. 2539 (พ.ร.บ. วิธีปฏิบัติราชการทางปกครอง) s.40: an order that may be
#   appealed states the case for appeal, where and how to lodge it and the period; an order that omits
#   it gives a new period from when the rules are notified, and a period shorter than one year becomes
#   one year from receipt of the order. s.44: appeal in writing to the official who issued the order
#   within 15 days of notification, where no other law sets a procedure; an appeal does not suspend
#   the order (s.44 para. 3).
# - Factory Act B.E. 2535 (as amended B.E. 2562): orders under s.37 (improve within a period; stop
#   operating, partly or wholly, while improving where the danger is serious) and s.39 (suspend or
#   close) are the permanent secretary's, signed by the provincial industry officer under delegated
#   authority; the Act's own appeal provision (to the Minister within thirty days of learning of the
#   order) is the procedure named below. The appeal section's text itself could not be retrieved with
#   the search tool on that day: the administrator must confirm the period and the authority against
#   the Royal Gazette text and edit the wording in the admin (the letter prints it as stored).
APPEAL = (
    "หากท่านไม่เห็นด้วยกับคำสั่งนี้ ท่านมีสิทธิอุทธรณ์คำสั่งต่อรัฐมนตรีว่าการกระทรวงอุตสาหกรรม "
    "โดยทำเป็นหนังสือระบุข้อโต้แย้งและข้อเท็จจริงหรือข้อกฎหมายที่อ้างอิงประกอบ ยื่นต่อหน่วยงานที่ออกคำสั่งนี้ "
    "ภายในสามสิบวันนับแต่วันที่ได้รับคำสั่งนี้ ทั้งนี้ การอุทธรณ์ไม่เป็นเหตุให้ทุเลาการบังคับตามคำสั่ง"
)
DELEGATED = "ปฏิบัติราชการแทนปลัดกระทรวงอุตสาหกรรม"
DEFAULT_WORDING = {
    OrderKind.S37_IMPROVE: {
        "subject": "คำสั่งให้ปรับปรุงแก้ไขโรงงาน",
        "legal_basis": "อาศัยอำนาจตามความในมาตรา 37 แห่งพระราชบัญญัติโรงงาน พ.ศ. 2535 และที่แก้ไขเพิ่มเติม",
        "appeal": APPEAL,
        "delegated_from": DELEGATED,
    },
    OrderKind.S37_STOP: {
        "subject": "คำสั่งให้หยุดประกอบกิจการโรงงานและปรับปรุงแก้ไขโรงงาน",
        "legal_basis": "อาศัยอำนาจตามความในมาตรา 37 วรรคสอง แห่งพระราชบัญญัติโรงงาน พ.ศ. 2535 และที่แก้ไขเพิ่มเติม",
        "appeal": APPEAL,
        "delegated_from": DELEGATED,
    },
    OrderKind.S39_CLOSE: {
        "subject": "คำสั่งให้หยุดประกอบกิจการโรงงาน",
        "legal_basis": "อาศัยอำนาจตามความในมาตรา 39 แห่งพระราชบัญญัติโรงงาน พ.ศ. 2535 และที่แก้ไขเพิ่มเติม",
        "appeal": APPEAL,
        "delegated_from": DELEGATED,
    },
}


class OrderWording(models.Model):
    """The subject, legal basis, appeal clause and delegation line of one kind of order's letter."""

    kind = models.CharField(_("kind of order"), max_length=10, choices=OrderKind.choices, unique=True)
    subject = models.CharField(_("subject (เรื่อง)"), max_length=200)
    legal_basis = models.TextField(_("legal basis"))
    appeal = models.TextField(
        _("statement of appeal rights"),
        help_text=_(
            "Where, to whom and within how long the order can be appealed (Administrative Procedure Act "
            "B.E. 2539 s.40: a letter without it extends the period to one year)."
        ),
    )
    delegated_from = models.CharField(
        _("signing under delegation"),
        max_length=200,
        blank=True,
        help_text=_("Printed under the signer's title, e.g. ปฏิบัติราชการแทนปลัดกระทรวงอุตสาหกรรม; blank when none."),
    )

    class Meta:
        ordering = ["kind"]
        verbose_name = _("order wording")
        verbose_name_plural = _("order wordings")

    def __str__(self):
        return self.get_kind_display()

    @classmethod
    def for_kind(cls, kind: str) -> "OrderWording":
        """The stored wording of `kind`, else the default one (unsaved)."""
        return cls.objects.filter(kind=kind).first() or cls(kind=kind, **DEFAULT_WORDING[OrderKind(kind)])


class DeliveryMethod(models.TextChoices):
    HANDED = "handed", _("Handed over at the factory")
    MAIL = "mail", _("Registered mail with return receipt")
    POSTED = "posted", _("Posted at the factory premises")


class OrderDelivery(models.Model):
    """How and when an issued order reached the factory; the compliance period runs from `received_on`."""

    order = models.OneToOneField(CorrectiveOrder, models.CASCADE, related_name="delivery")
    method = models.CharField(_("delivered by"), max_length=10, choices=DeliveryMethod.choices)
    received_on = models.DateField(_("date of receipt"))
    receiver = models.CharField(_("received by"), max_length=200, blank=True)
    tracking_no = models.CharField(_("tracking number"), max_length=20, blank=True)
    posted_on = models.DateField(_("mailed on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("order delivery")
        verbose_name_plural = _("order deliveries")

    def __str__(self):
        return f"{self.get_method_display()} {self.received_on}"
