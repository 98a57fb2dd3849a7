"""A budget project of a provincial office for one fiscal year (BE): its budget lines (own budget,
disbursed on behalf of another agency, provisional, carried over), KPIs and monthly plan; the
fiscal year's quarterly disbursement targets set by the administrator."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from org.models import Unit
from project.links import link
from workflows.models.approvals import ApprovalStep

PCT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def money(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=15, decimal_places=2, **kwargs)


def percent(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=5, decimal_places=2, validators=PCT, **kwargs)


class ProjectStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    APPROVING = "approving", _("Awaiting approval")
    RETURNED = "returned", _("Returned for revision")
    APPROVED = "approved", _("Approved")
    CLOSED = "closed", pgettext_lazy("budget project", "Closed")


class Project(models.Model):
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    office = models.ForeignKey(Unit, models.PROTECT, related_name="budget_projects", verbose_name=_("office"))
    code = models.CharField(_("project code"), max_length=30, unique=True)
    title = models.CharField(_("project title"), max_length=300)
    objectives = models.TextField(_("objectives"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="budget_projects", verbose_name=_("responsible officer")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.REGISTERED
    )
    carried_from = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="carried_to", verbose_name=_("carried over from")
    )
    behind_reason = models.TextField(_("behind plan because"), blank=True)
    behind_since = models.DateField(_("behind plan since"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    close_summary = models.TextField(_("close-out summary"), blank=True)

    class Meta:
        ordering = ["-fiscal_year", "office__name_th", "code"]
        verbose_name = _("budget project")
        verbose_name_plural = _("budget projects")
        indexes = [models.Index(fields=["office", "fiscal_year"])]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return link("budget:project", self.pk)

    @property
    def is_behind(self) -> bool:
        return bool(self.behind_reason)


class BudgetSource(models.TextChoices):
    OWN = "own", _("Own budget")
    ON_BEHALF = "on_behalf", _("Disbursed on behalf of another agency")
    CARRY_OVER = "carry_over", _("Carried over from the previous year")


class BudgetLine(models.Model):
    project = models.ForeignKey(Project, models.CASCADE, related_name="lines", verbose_name=_("project"))
    description = models.CharField(_("budget line"), max_length=300)
    source = models.CharField(_("budget source"), max_length=10, choices=BudgetSource.choices, default=BudgetSource.OWN)
    owner_agency = models.CharField(
        _("owner agency"), max_length=300, blank=True,
        help_text=_("For a budget disbursed on behalf of another agency: whose budget it is."),
    )  # fmt: skip
    disbursing_office = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("disbursing office")
    )
    reference_no = models.CharField(_("reference number"), max_length=100, blank=True)
    provisional = models.BooleanField(_("provisional budget"), default=False)
    carried_from = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("carried over from")
    )
    allocation = money(_("allocation (baht)"))

    class Meta:
        ordering = ["project", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(condition=models.Q(allocation__gte=0), name="budget_line_allocation_not_negative"),
            models.CheckConstraint(
                condition=~models.Q(source="on_behalf") | ~models.Q(owner_agency=""),
                name="budget_line_on_behalf_names_owner",
            ),
        ]

    def __str__(self):
        return self.description


class Kpi(models.Model):
    project = models.ForeignKey(Project, models.CASCADE, related_name="kpis", verbose_name=_("project"))
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit of measure"), max_length=50)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    actual = models.DecimalField(_("actual"), max_digits=12, decimal_places=2, default=Decimal("0"))

    class Meta:
        ordering = ["project", "pk"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")

    def __str__(self):
        return self.name


class MonthlyPlan(models.Model):
    """The plan for one month: cumulative physical progress (%) by its end, baht disbursed in it."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="plan", verbose_name=_("project"))
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    progress_pct = percent(_("planned progress (%, cumulative)"))
    disbursement = money(_("planned disbursement in the month (baht)"))

    class Meta:
        ordering = ["project", "month"]
        verbose_name = _("monthly plan")
        verbose_name_plural = _("monthly plans")
        constraints = [models.UniqueConstraint(fields=["project", "month"], name="one_plan_per_project_month")]

    def __str__(self):
        return f"{self.project_id} {self.month:%Y-%m}"


class FiscalYearTarget(models.Model):
    """The cabinet's quarterly disbursement targets for a fiscal year (cumulative % of allocation),
    and how far behind its monthly plan a project may fall before it is flagged."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"), unique=True)
    q1 = percent(_("Q1 target (%)"))
    q2 = percent(_("Q2 target (%)"))
    q3 = percent(_("Q3 target (%)"))
    q4 = percent(_("Q4 target (%)"), default=Decimal("100"))
    threshold = percent(
        _("behind-plan threshold (percentage points)"), default=Decimal("10"),
        help_text=_("A project is behind when it trails its monthly plan by more than this."),
    )  # fmt: skip
    escalate_after_days = models.PositiveSmallIntegerField(
        _("escalate after (days)"), default=30, validators=[MinValueValidator(1)],
        help_text=_("A project still behind this many days after it was flagged goes to the head of office; "
                    "as long again, to the assistant permanent secretary."),
    )  # fmt: skip
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-fiscal_year"]
        verbose_name = _("fiscal-year disbursement target")
        verbose_name_plural = _("fiscal-year disbursement targets")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(q1__lte=models.F("q2"), q2__lte=models.F("q3"), q3__lte=models.F("q4")),
                name="fy_targets_climb",
            )
        ]

    def __str__(self):
        return str(self.fiscal_year)

    def target(self, quarter: int) -> Decimal:
        return (self.q1, self.q2, self.q3, self.q4)[quarter - 1]


class ProjectApproval(ApprovalStep):
    """One step of a project's approval chain, resolved when the project is submitted (a round each time)."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="approvals")

    case_field = "project"
    Meta = ApprovalStep.meta(
        case_field, _("project approval"), _("project approvals"), unique="one_project_approval_per_step"
    )
