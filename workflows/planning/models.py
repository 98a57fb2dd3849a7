"""Risk scores of factories and the quarterly inspection plans of the offices.

Weights and category points are data the process administrator edits (Django admin). Each factory
has one stored score with the points and raw input of every component, so lists sort by risk with
an index and "why is this factory 82?" is one row. A plan is a draft the group head prepares, the
provincial industry officer approves (PlanFlow) and whose items become inspection cases."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from org.models import Unit
from project.links import link
from registry.models import Factory
from workflows.inspection.models import Inspection
from workflows.models.approvals import DecisionRound
from workflows.processes import CaseProcess


class RiskComponent(models.TextChoices):
    LATE_REPORTS = "late_reports", _("Late or missing self-reports")
    DISCREPANCIES = "discrepancies", _("Discrepancies found at inspections")
    OPEN_ORDERS = "open_orders", _("Corrective orders in force")
    IGNORED_ORDERS = "ignored_orders", _("Orders not complied with")
    COMPLAINTS = "complaints", _("Accepted complaints")
    SINCE_INSPECTION = "since_inspection", _("Time since the last inspection")
    FACTORY_TYPE = "factory_type", _("Factory type")
    CATEGORY = "category", _("Factory category")


class RiskWeight(models.Model):
    """How many points one unit of a component is worth, and the most it may give."""

    component = models.CharField(_("component"), max_length=20, choices=RiskComponent.choices, unique=True)
    points_per_unit = models.DecimalField(
        _("points per unit"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0)]
    )
    max_points = models.DecimalField(
        _("maximum points"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0)]
    )
    explanation_th = models.TextField(_("explanation (Thai)"))
    explanation_en = models.TextField(_("explanation (English)"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["component"]
        verbose_name = _("risk weight")
        verbose_name_plural = _("risk weights")

    def __str__(self):
        return self.get_component_display()

    @property
    def explanation(self) -> str:
        if (get_language() or "th").startswith("en") and self.explanation_en:
            return self.explanation_en
        return self.explanation_th


class CategoryRisk(models.Model):
    """Units of the category component for a factory category: an exact code ("52(2)") or a whole
    category number ("52"); the exact code wins."""

    code = models.CharField(_("category code"), max_length=20, unique=True, help_text=_("e.g. 52(2) or 52"))
    units = models.PositiveSmallIntegerField(
        _("risk units"), validators=[MaxValueValidator(10)], help_text=_("Multiplied by the category weight")
    )
    note = models.CharField(_("why"), max_length=255, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("category risk")
        verbose_name_plural = _("category risks")

    def __str__(self):
        return f"{self.code}: {self.units}"


class RiskScore(models.Model):
    """The factory's current score; `components` keeps, per component, the raw input (`units`, plus
    e.g. the last inspection date) and the points it gave, so the score is explained as stored."""

    factory = models.OneToOneField(Factory, models.CASCADE, related_name="risk", verbose_name=_("factory"))
    score = models.DecimalField(_("risk score"), max_digits=5, decimal_places=1, default=0)
    components = models.JSONField(_("components"), default=dict)
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        verbose_name = _("risk score")
        verbose_name_plural = _("risk scores")
        indexes = [models.Index(fields=["-score"])]

    def __str__(self):
        return f"{self.factory_id}: {self.score}"


class OfficeCapacity(models.Model):
    """How many plan cases one inspector of the office takes in a quarter."""

    office = models.OneToOneField(
        Unit, models.CASCADE, related_name="inspection_capacity", verbose_name=_("office"),
        limit_choices_to={"kind": "office"},
    )  # fmt: skip
    cases_per_inspector = models.PositiveSmallIntegerField(
        _("cases per inspector per quarter"), validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("inspection capacity")
        verbose_name_plural = _("inspection capacities")

    def __str__(self):
        return f"{self.office}: {self.cases_per_inspector}"

    @property
    def owning_office_id(self) -> int:
        return self.office_id


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting approval")
    APPROVED = "approved", _("Approved — cases started")


class InspectionPlan(models.Model):
    office = models.ForeignKey(Unit, models.PROTECT, related_name="inspection_plans", verbose_name=_("office"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    inspectors = models.PositiveSmallIntegerField(_("inspectors"))
    cases_per_inspector = models.PositiveSmallIntegerField(_("cases per inspector"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("generated"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    approved_as = models.CharField(_("approved as"), max_length=255, blank=True)

    class Meta:
        ordering = ["-fiscal_year", "-quarter", "office__name_th"]
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        constraints = [
            models.UniqueConstraint(fields=["office", "fiscal_year", "quarter"], name="one_plan_per_office_quarter")
        ]

    def __str__(self):
        return f"{self.office} {self.label}"

    def get_absolute_url(self):
        return link("planning:plan", self.pk)

    @property
    def label(self) -> str:
        return _("Quarter %(quarter)s/%(year)s") % {"quarter": self.quarter, "year": self.fiscal_year}

    @property
    def capacity(self) -> int:
        return self.inspectors * self.cases_per_inspector

    @property
    def owning_office_id(self) -> int:
        return self.office_id

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT


class PlanItem(models.Model):
    plan = models.ForeignKey(InspectionPlan, models.CASCADE, related_name="items")
    factory = models.ForeignKey(Factory, models.PROTECT, related_name="plan_items", verbose_name=_("factory"))
    rank = models.PositiveIntegerField(_("rank"))
    risk_score = models.DecimalField(_("risk score"), max_digits=5, decimal_places=1)
    added_by_hand = models.BooleanField(_("added by hand"), default=False)
    inspection = models.OneToOneField(
        Inspection, models.PROTECT, null=True, blank=True, related_name="plan_item", verbose_name=_("inspection")
    )
    skipped_reason = models.CharField(_("not started because"), max_length=255, blank=True)

    class Meta:
        ordering = ["plan", "rank"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        constraints = [models.UniqueConstraint(fields=["plan", "factory"], name="factory_once_per_plan")]

    def __str__(self):
        return f"{self.plan_id} #{self.rank} {self.factory_id}"


class PlanReview(DecisionRound):
    """One decision of the provincial industry officer on a submitted plan (a return never overwrites)."""

    plan = models.ForeignKey(InspectionPlan, models.CASCADE, related_name="reviews")

    case_field = "plan"
    Meta = DecisionRound.meta(case_field, _("plan review"), _("plan reviews"), unique="one_plan_review_per_round")


class PlanProcess(CaseProcess, Process):
    """The Viewflow process of one plan; the gateway reads its named predicate."""

    plan = models.ForeignKey(InspectionPlan, models.PROTECT, null=True, related_name="processes")

    case_field = "plan"
    case_related = ("office", "created_by")

    class Meta:
        verbose_name = _("plan process")
        verbose_name_plural = _("plan processes")

    @property
    def plan_approved(self) -> bool:
        last = PlanReview.objects.filter(plan_id=self.plan_id).order_by("-number").first()
        return last is not None and last.approved
