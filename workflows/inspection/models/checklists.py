"""Checklist templates as data (low-code): versioned; a published version is immutable and a case
pins the version it started with. Each item is also the guide for a newly appointed inspector."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class AnswerType(models.TextChoices):
    YES_NO = "yes_no", _("Yes / No / N.A.")
    NUMBER = "number", _("Number with unit")
    CHOICE = "choice", _("Choice")
    TEXT = "text", _("Text")
    PHOTO = "photo", _("Photo")


class Severity(models.IntegerChoices):
    MINOR = 1, _("Minor")
    MAJOR = 2, _("Major")
    CRITICAL = 3, _("Critical — danger to people or the environment")


class ChecklistTemplate(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    title_th = models.CharField(_("title (Thai)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")

    def __str__(self):
        return self.title_th

    def current_version(self) -> "ChecklistVersion | None":
        return self.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()


class ChecklistVersion(models.Model):
    template = models.ForeignKey(ChecklistTemplate, models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    notes = models.TextField(_("what changed"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["template", "-number"]
        verbose_name = _("checklist version")
        verbose_name_plural = _("checklist versions")
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="one_number_per_template")]

    def __str__(self):
        return f"{self.template} v{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT


class ChecklistSection(models.Model):
    version = models.ForeignKey(ChecklistVersion, models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_th = models.CharField(_("title (Thai)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)

    class Meta:
        ordering = ["version", "order", "pk"]
        verbose_name = _("checklist section")
        verbose_name_plural = _("checklist sections")

    def __str__(self):
        return self.title_th


class ChecklistItem(models.Model):
    section = models.ForeignKey(ChecklistSection, models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.CharField(_("code"), max_length=20)
    question_th = models.TextField(_("question (Thai)"))
    question_en = models.TextField(_("question (English)"), blank=True)
    answer_type = models.CharField(_("answer type"), max_length=10, choices=AnswerType.choices)
    unit = models.CharField(_("unit"), max_length=30, blank=True, help_text=_("e.g. mg/l, hp, people"))
    choices = models.JSONField(
        _("choices"), default=list, blank=True, help_text=_('For a choice item: ["value", ...] in Thai.')
    )
    compliant_min = models.DecimalField(
        _("lowest compliant value"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    compliant_max = models.DecimalField(
        _("highest compliant value"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    tolerance_pct = models.DecimalField(
        _("tolerance against the self-report (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("An observed value further than this from the factory's own report is flagged."),
    )
    noncompliant_answers = models.JSONField(
        _("non-compliant answers"),
        default=list,
        blank=True,
        help_text=_('Answers that make the case non-compliant, e.g. ["no"] or a choice value.'),
    )
    severity = models.PositiveSmallIntegerField(_("severity when non-compliant"), choices=Severity.choices, default=1)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=1)
    photo_required = models.BooleanField(_("photo required"), default=False)
    legal_ref = models.CharField(_("legal reference"), max_length=255, blank=True)
    guidance = models.TextField(_("how to check it and what compliant looks like"), blank=True)
    reported_field = models.CharField(
        _("self-reported counterpart"), max_length=50, blank=True, help_text=_("Key of the factory's reported figure")
    )

    class Meta:
        ordering = ["section", "order", "pk"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self):
        return f"{self.code} {self.question_th[:60]}"
