"""Reads for the planning screens: "why this score", the plans with their progress, the candidates
of a plan and the factories by risk. A fixed number of queries whatever the number of rows."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from org.calendar import fiscal_quarter, fiscal_year, format_be
from org.models import Unit
from permissions import access
from registry.models import Factory, FactoryStatus
from workflows.inspection.models import Inspection

from . import risk
from .models import InspectionPlan, OfficeCapacity, PlanItem, RiskComponent, RiskScore

DEFAULT_CAPACITY = 6
OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
C = RiskComponent


# --- risk -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComponentLine:
    component: str
    label: str
    explanation: str
    raw: str
    points: Decimal
    max_points: Decimal

    @property
    def percent(self) -> int:
        return int(self.points * 100 / self.max_points) if self.max_points else 0


def raw_text(component: str, data: dict) -> str:
    """The raw input of a component as a person reads it ("2 reports late", "last inspected 3.1 years ago")."""
    n = data.get("units")
    if component == C.LATE_REPORTS:
        if data.get("unavailable"):
            return _("Self-reports are not connected yet")
        return ngettext("%(n)s report late or missing", "%(n)s reports late or missing", n) % {"n": n}
    if component == C.DISCREPANCIES:
        return ngettext(
            "%(n)s discrepancy in the last %(years)s years", "%(n)s discrepancies in the last %(years)s years", n
        ) % {"n": n, "years": risk.LOOKBACK_YEARS}
    if component == C.OPEN_ORDERS:
        return ngettext("%(n)s order in force", "%(n)s orders in force", n) % {"n": n}
    if component == C.IGNORED_ORDERS:
        return ngettext(
            "%(n)s order not complied with in the last %(years)s years",
            "%(n)s orders not complied with in the last %(years)s years", n,
        ) % {"n": n, "years": risk.LOOKBACK_YEARS}  # fmt: skip
    if component == C.COMPLAINTS:
        return ngettext(
            "%(n)s accepted complaint in the last %(years)s years",
            "%(n)s accepted complaints in the last %(years)s years", n,
        ) % {"n": n, "years": risk.LOOKBACK_YEARS}  # fmt: skip
    if component == C.SINCE_INSPECTION:
        if n is None:
            return _("Never inspected")
        last = format_be(date.fromisoformat(data["last"])) if data.get("last") else ""
        return _("Last inspected %(years)s years ago (%(date)s)") % {"years": n, "date": last}
    if component == C.FACTORY_TYPE:
        return _("Type %(type)s") % {"type": data.get("type")}
    if component == C.CATEGORY:
        if not n:
            return _("Category %(code)s: no added risk") % {"code": data.get("code", "")}
        return _("Category %(code)s: %(n)s risk units") % {"code": data.get("code", ""), "n": n}
    return str(n)


def explain(score: RiskScore) -> list[ComponentLine]:
    """Each component of a stored score: what it is, its raw input, its points and its maximum."""
    weights = risk.weights()
    lines = []
    for component in C:
        data = score.components.get(component.value)
        if data is None:
            continue
        weight = weights[component.value]
        lines.append(
            ComponentLine(
                component.value, str(component.label), weight.explanation, raw_text(component.value, data),
                Decimal(data["points"]), weight.max_points,
            )
        )  # fmt: skip
    return lines


def factories_by_risk(user, *, office_id: int | None = None) -> QuerySet[Factory]:
    """The factories the user may see, highest score first (unscored ones last)."""
    factories = access.visible(user, Factory.objects.select_related("risk", "office"))
    if office_id:
        factories = factories.filter(office_id=office_id)
    return factories.order_by(F("risk__score").desc(nulls_last=True), "pk")


# --- capacity and plans -----------------------------------------------------------------------------


def capacity_of(office: Unit) -> int:
    row = OfficeCapacity.objects.filter(office=office).first()
    return row.cases_per_inspector if row else DEFAULT_CAPACITY


def quarter_after(on: date) -> tuple[int, int]:
    """(BE fiscal year, quarter) of the quarter after the one `on` falls in: the one a plan is made for."""
    year, quarter = fiscal_year(on), fiscal_quarter(on)
    return (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def quarter_start(fiscal_year: int, quarter: int) -> date:
    ce = fiscal_year - 543
    return date(ce - 1, 10, 1) if quarter == 1 else date(ce, 1 + 3 * (quarter - 2), 1)


def candidates(office: Unit, *, exclude: list[int] | tuple = ()) -> QuerySet[Factory]:
    """The office's operating factories with no open inspection, highest risk first."""
    open_case = Inspection.objects.filter(factory=OuterRef("pk"), closed_at__isnull=True)
    return (
        Factory.objects.filter(office=office, status=FactoryStatus.OPERATING)
        .exclude(pk__in=list(exclude))
        .annotate(has_open_case=Exists(open_case))
        .filter(has_open_case=False)
        .select_related("risk")
        .order_by(F("risk__score").desc(nulls_last=True), "pk")
    )


def plans_with_progress(user) -> QuerySet[InspectionPlan]:
    """The plans of the offices the user may see, each with planned/started/done counts (one query)."""
    return access.visible(user, InspectionPlan.objects.select_related("office", "created_by")).annotate(
        planned=Count("items"),
        started=Count("items", filter=Q(items__inspection__isnull=False)),
        done=Count("items", filter=Q(items__inspection__signed_off_at__isnull=False)),
    )


def plan_items(plan: InspectionPlan) -> list[PlanItem]:
    return list(plan.items.select_related("factory__risk", "inspection__inspector").order_by("rank", "pk"))


@dataclass(frozen=True)
class Progress:
    planned: int
    started: int
    done: int

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.planned) if self.planned else 0


def progress(items: list[PlanItem]) -> Progress:
    """Done = the inspection report is signed off; started = the case is open."""
    started = [i for i in items if i.inspection_id]
    done = [i for i in started if i.inspection.signed_off_at]
    return Progress(len(items), len(started), len(done))


def open_tasks(plan: InspectionPlan, user) -> list[Task]:
    tasks = list(
        Task.objects.filter(process__planprocess__plan=plan, status__in=OPEN).select_related("owner", "process")
    )
    for task in tasks:
        task.mine = task.owner_id == user.pk
    return tasks


def today() -> date:
    return timezone.localdate()
