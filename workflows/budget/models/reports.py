"""The monthly progress report of a project: physical progress, money disbursed in the month, KPI
actuals, problems and needs, evidence; each review round is kept (a return does not erase it)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from org.calendar import be_year
from workflows.models.approvals import DecisionRound
from workflows.uploads import RandomName

from .projects import Kpi, Project, money, percent


class ReportStatus(models.TextChoices):
    DUE = "due", _("Due")
    SUBMITTED = "submitted", _("Awaiting review")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class ProgressReport(models.Model):
    project = models.ForeignKey(Project, models.CASCADE, related_name="reports", verbose_name=_("project"))
    month = models.DateField(_("month"), help_text=_("The first day of the month reported."))
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DUE)
    progress_pct = percent(_("physical progress (%, cumulative)"), null=True, blank=True)
    disbursed = money(_("disbursed this month (baht)"), null=True, blank=True)
    problems = models.TextField(_("problems"), blank=True)
    needs = models.TextField(_("needs"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta:
        ordering = ["project", "month"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [models.UniqueConstraint(fields=["project", "month"], name="one_report_per_project_month")]

    def __str__(self):  # people read it (lists, task lists, the API): month/BE year
        return f"{self.project.code} {self.month.month:02d}/{be_year(self.month.year)}"

    @property
    def office_id(self) -> int:
        return self.project.office_id


class ReportKpi(models.Model):
    report = models.ForeignKey(ProgressReport, models.CASCADE, related_name="kpi_actuals")
    kpi = models.ForeignKey(Kpi, models.CASCADE, related_name="+")
    actual = models.DecimalField(_("actual"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["report", "kpi"]
        constraints = [models.UniqueConstraint(fields=["report", "kpi"], name="one_actual_per_report_kpi")]

    def __str__(self):
        return f"{self.kpi} = {self.actual}"


class ReportEvidence(models.Model):
    report = models.ForeignKey(ProgressReport, models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=RandomName("budget"))
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self):
        return self.name


class ReportRound(DecisionRound):
    """One review of a report by the head of office: approve or return with comments."""

    report = models.ForeignKey(ProgressReport, models.CASCADE, related_name="rounds")

    case_field = "report"
    Meta = DecisionRound.meta(
        case_field, _("report review round"), _("report review rounds"), unique="one_report_round_per_number"
    )
