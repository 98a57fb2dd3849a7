"""Self-report models (app `registry`): report kinds and their fields are data edited in the admin;
a filed report keeps every revision (an amendment supersedes, never overwrites); operators are
people tied to the factories they report for."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from project.links import link

from ..models import Factory, FactoryType, ImportJob
from .periods import Frequency, Period


def _factory_types_valid(value):
    if not isinstance(value, list) or any(t not in FactoryType.values for t in value):
        raise ValidationError(_("List the factory types as numbers 1, 2 or 3, e.g. [2, 3]."))


class ReportKind(models.Model):
    """A kind of self-report (e.g. รว. pollutant discharge): its period, due rule, who must file it."""

    code = models.SlugField(_("code"), max_length=20, unique=True, help_text=_("e.g. ops, rw, hazmat, waste"))
    form_ref = models.CharField(_("form"), max_length=30, blank=True, help_text=_("Official form, e.g. รว. or สก.3"))
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    frequency = models.CharField(_("period"), max_length=10, choices=Frequency.choices)
    due_days = models.PositiveSmallIntegerField(
        _("due (days after the period ends)"), default=60, help_text=_("Filed on the due date itself is on time.")
    )
    factory_types = models.JSONField(
        _("factory types that must file"),
        default=list,
        blank=True,
        validators=[_factory_types_valid],
        help_text=_("e.g. [3]; empty: every factory type"),
    )
    active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("report kind")
        verbose_name_plural = _("report kinds")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "th").startswith("en") else self.name_th

    def applies_to(self, factory: Factory) -> bool:
        return not self.factory_types or factory.factory_type in self.factory_types

    def period(self, text: str) -> Period:
        return Period.parse(self.frequency, text)


class ValueType(models.TextChoices):
    NUMBER = "number", _("Number")
    INTEGER = "integer", _("Whole number")
    TEXT = "text", _("Text")


class ReportField(models.Model):
    """One figure of a report kind. The key is a contract: inspections compare their observed figures
    with the latest reported value of the same key (e.g. `workers`, `bod`)."""

    kind = models.ForeignKey(ReportKind, models.CASCADE, related_name="fields", verbose_name=_("report kind"))
    key = models.CharField(
        _("key"), max_length=50, validators=[RegexValidator(r"^[a-z][a-z0-9_]*$")], help_text=_("e.g. bod, workers")
    )
    label_th = models.CharField(_("label (Thai)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    unit = models.CharField(_("unit"), max_length=30, blank=True, help_text=_("e.g. mg/L, m³/day, hp"))
    value_type = models.CharField(_("type"), max_length=10, choices=ValueType.choices, default=ValueType.NUMBER)
    min_value = models.DecimalField(_("lowest allowed"), max_digits=18, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField(_("highest allowed"), max_digits=18, decimal_places=4, null=True, blank=True)
    required = models.BooleanField(_("required"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["kind", "order", "pk"]
        verbose_name = _("report field")
        verbose_name_plural = _("report fields")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="report_field_key_once_per_kind")]

    def __str__(self):
        return f"{self.label} ({self.key})"

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "th").startswith("en") else self.label_th


class Channel(models.TextChoices):
    FORM = "form", _("Web form")
    CSV = "csv", _("CSV file")
    API = "api", _("API")


class SelfReport(models.Model):
    """One revision of a factory's report for one kind and period. Exactly one revision per factory,
    kind and period is current; an amendment adds the next revision and keeps the earlier ones."""

    factory = models.ForeignKey(Factory, models.PROTECT, related_name="self_reports", verbose_name=_("factory"))
    kind = models.ForeignKey(ReportKind, models.PROTECT, related_name="reports", verbose_name=_("report kind"))
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    is_current = models.BooleanField(_("current"), default=True)
    first_filed_at = models.DateTimeField(_("first filed"))
    filed_at = models.DateTimeField(_("filed"))
    filed_by = models.ForeignKey("org.Person", models.PROTECT, related_name="+", verbose_name=_("filed by"))
    channel = models.CharField(_("channel"), max_length=4, choices=Channel.choices, default=Channel.FORM)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-period_start", "kind__order", "-revision"]
        verbose_name = _("self-report")
        verbose_name_plural = _("self-reports")
        constraints = [
            models.UniqueConstraint(
                fields=["factory", "kind", "period_start"],
                condition=models.Q(is_current=True),
                name="selfreport_one_current_per_period",
            ),
            models.UniqueConstraint(
                fields=["factory", "kind", "period_start", "revision"], name="selfreport_revision_once"
            ),
        ]
        indexes = [models.Index(fields=["kind", "period_start", "first_filed_at"], name="selfreport_on_time")]

    def __str__(self):
        return f"{self.kind} {self.period.label()} — {self.factory.name}"

    def get_absolute_url(self):
        return link("registry:selfreports:detail", self.pk)

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.kind.frequency)

    @property
    def due_on(self):
        return self.period.due(self.kind.due_days)

    @property
    def was_late(self) -> bool:
        from django.utils import timezone

        return timezone.localdate(self.first_filed_at) > self.due_on


class ReportValue(models.Model):
    report = models.ForeignKey(SelfReport, models.CASCADE, related_name="values", verbose_name=_("report"))
    key = models.CharField(_("key"), max_length=50)
    number = models.DecimalField(_("number"), max_digits=18, decimal_places=4, null=True, blank=True)
    text = models.CharField(_("text"), max_length=500, blank=True)
    unit = models.CharField(_("unit"), max_length=30, blank=True)

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("reported value")
        verbose_name_plural = _("reported values")
        constraints = [models.UniqueConstraint(fields=["report", "key"], name="report_value_key_once")]
        indexes = [models.Index(fields=["key", "report"], name="report_value_by_key")]

    def __str__(self):
        return f"{self.key}={self.display}"

    @property
    def display(self) -> str:
        if self.number is None:
            return self.text
        return f"{self.number.normalize():f}"


class FactoryOperator(models.Model):
    """A person who files the reports of a factory (ผู้ประกอบการ or their staff). Operators are not members
    of the organisation: they see only the factories tied to them here."""

    person = models.ForeignKey("org.Person", models.CASCADE, related_name="operated", verbose_name=_("person"))
    factory = models.ForeignKey(Factory, models.CASCADE, related_name="operators", verbose_name=_("factory"))
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["factory", "person"]
        verbose_name = _("factory operator")
        verbose_name_plural = _("factory operators")
        constraints = [models.UniqueConstraint(fields=["person", "factory"], name="factory_operator_once")]

    def __str__(self):
        return f"{self.person} — {self.factory.name}"


class ReportImport(ImportJob):
    """One CSV upload of reports of one kind: all rows are filed in one transaction, or none."""

    file = models.FileField(_("file"), upload_to="report-imports/%Y/%m/")
    kind = models.ForeignKey(ReportKind, models.PROTECT, related_name="+", verbose_name=_("report kind"))
    created_count = models.PositiveIntegerField(_("reports filed"), default=0)

    class Meta(ImportJob.Meta):
        verbose_name = _("report import")
        verbose_name_plural = _("report imports")

    def get_absolute_url(self):
        return link("registry:selfreports:import_detail", self.pk)
