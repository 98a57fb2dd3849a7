"""A complaint from the public: where it happened (and, if known, which factory), what it is about,
optional photos and contact; the office of the place triages it and answers the complainant."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from org.models import District, Province, Unit
from project.links import link
from registry.models import Factory
from workflows.inspection.models import Inspection
from workflows.processes import CaseProcess
from workflows.uploads import RandomName


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("ได้รับเรื่องแล้ว")
    ACCEPTED = "accepted", _("รับเรื่องไว้ตรวจสอบ")
    REJECTED = "rejected", _("ไม่รับเรื่อง")
    ANSWERED = "answered", _("ตอบผู้ร้องเรียนแล้ว")
    CLOSED = "closed", _("ปิดเรื่องแล้ว")


class Complaint(models.Model):
    tracking_no = models.CharField(_("tracking number"), max_length=20, unique=True)
    description = models.TextField(_("description"))
    province = models.ForeignKey(Province, models.PROTECT, related_name="+", verbose_name=_("province"))
    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    factory = models.ForeignKey(
        Factory, models.PROTECT, null=True, blank=True, related_name="complaints", verbose_name=_("factory")
    )
    factory_text = models.CharField(_("factory as written"), max_length=255, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=150, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    office = models.ForeignKey(Unit, models.PROTECT, related_name="complaints", verbose_name=_("office"))
    status = models.CharField(
        _("status"), max_length=10, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED
    )
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    answer = models.TextField(_("answer to the complainant"), blank=True)
    inspection = models.ForeignKey(
        Inspection, models.PROTECT, null=True, blank=True, related_name="complaints", verbose_name=_("inspection")
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    source_ip = models.GenericIPAddressField(_("source address"), null=True, blank=True)  # rate limit only

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [models.Index(fields=["office", "-created_at"]), models.Index(fields=["source_ip", "created_at"])]

    def __str__(self):
        return self.tracking_no

    def get_absolute_url(self):
        return link("complaints:detail", self.pk)

    @property
    def owning_office_id(self) -> int | None:
        return self.office_id

    @property
    def is_answered(self) -> bool:
        return self.status in (ComplaintStatus.ANSWERED, ComplaintStatus.CLOSED)


class ComplaintPhoto(models.Model):
    complaint = models.ForeignKey(Complaint, models.CASCADE, related_name="photos")
    file = models.FileField(_("file"), upload_to=RandomName("complaints"))
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("complaint photo")
        verbose_name_plural = _("complaint photos")

    def __str__(self):
        return self.file.name


class ComplaintProcess(CaseProcess, Process):
    """The Viewflow process of one complaint; gateways read its named predicates."""

    complaint = models.ForeignKey(Complaint, models.PROTECT, null=True, related_name="processes")

    case_field = "complaint"
    case_related = ("office",)

    class Meta:
        verbose_name = _("complaint process")
        verbose_name_plural = _("complaint processes")

    # Named predicates (act.process.accepted reads the property).
    @property
    def accepted(self) -> bool:
        return Complaint.objects.filter(pk=self.complaint_id, status=ComplaintStatus.ACCEPTED).exists()
