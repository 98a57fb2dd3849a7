"""Writes to inspection plans and office capacities. Each validates, changes the plan in one
transaction and records the change in the plan's audit trail; PlanFlow and the screens call these."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from org.calendar import fiscal_quarter
from org.calendar import fiscal_year as fiscal_year_of
from org.models import Person, PositionKind, Unit, UnitKind
from permissions import access
from registry.models import Factory, FactoryStatus
from workflows import approvals, audit, engine
from workflows.inspection import services as inspection_services
from workflows.inspection.models import Inspection, InspectionReason
from workflows.models.approvals import RoundDecision
from workflows.roles import signed_as

from . import selectors
from .errors import PlanningError
from .models import InspectionPlan, OfficeCapacity, PlanItem, PlanReview, PlanStatus
from .risk import risk_refresh

PENDING = (PlanStatus.DRAFT, PlanStatus.SUBMITTED)


def may_plan(person: Person, office: Unit) -> bool:
    """May the person plan for the office (group head, provincial industry officer: "change" there)."""
    offices = Unit.objects.filter(pk=office.pk, kind=UnitKind.OFFICE)
    return access.visible(person, offices, office_field="pk", action="change").exists()


@transaction.atomic
def capacity_set(*, office: Unit, cases_per_inspector: int, by: Person) -> OfficeCapacity:
    """The office's plan capacity: cases one inspector takes in a quarter (group head, officer, admin)."""
    if not may_plan(by, office):
        raise PermissionDenied
    if not 1 <= int(cases_per_inspector) <= 200:
        raise PlanningError(_("Cases per inspector must be between 1 and 200."), field="cases_per_inspector")
    row, _created = OfficeCapacity.objects.get_or_create(
        office=office, defaults={"cases_per_inspector": selectors.DEFAULT_CAPACITY}
    )
    before = audit.snapshot(row, ["cases_per_inspector"])
    row.cases_per_inspector, row.updated_by = int(cases_per_inspector), by
    row.save(update_fields=["cases_per_inspector", "updated_by", "updated_at"])
    audit.record_changes(
        subject=row, before=before, after=audit.snapshot(row, ["cases_per_inspector"]), by=by,
        action="capacity.edit", label=_("Inspection capacity changed"),
    )  # fmt: skip
    return row


def _pending_elsewhere(office: Unit, plan: InspectionPlan | None = None) -> list[int]:
    """Factories already in another plan of the office that has not started its cases yet."""
    items = PlanItem.objects.filter(plan__office=office, plan__status__in=PENDING)
    if plan is not None:
        items = items.exclude(plan=plan)
    return list(items.values_list("factory_id", flat=True))


@transaction.atomic
def plan_generate(*, office: Unit, fiscal_year: int, quarter: int, by: Person) -> InspectionPlan:
    """Draft the office's plan for a quarter: the highest-risk operating factories with no open
    inspection (and not in another pending plan), as many as its inspectors can take; then start
    PlanFlow, whose first task is the group head's review of the draft."""
    from .flows import PlanFlow

    if not may_plan(by, office):
        raise PermissionDenied
    if quarter not in (1, 2, 3, 4):
        raise PlanningError(_("Choose a quarter from 1 to 4."), field="quarter")
    today = timezone.localdate()
    if (fiscal_year, quarter) < (fiscal_year_of(today), fiscal_quarter(today)):
        raise PlanningError(_("A plan cannot be made for a past quarter."), field="quarter")
    if InspectionPlan.objects.filter(office=office, fiscal_year=fiscal_year, quarter=quarter).exists():
        raise PlanningError(_("This office already has a plan for that quarter."))
    inspectors = inspection_services.office_inspectors(office).count()
    if not inspectors:
        raise PlanningError(_("The office has no inspectors: appoint them before planning."))
    per_inspector = selectors.capacity_of(office)
    risk_refresh(Factory.objects.filter(office=office).values_list("pk", flat=True))  # scores as of today
    chosen = list(selectors.candidates(office, exclude=_pending_elsewhere(office))[: inspectors * per_inspector])
    plan = InspectionPlan.objects.create(
        office=office, fiscal_year=fiscal_year, quarter=quarter, inspectors=inspectors,
        cases_per_inspector=per_inspector, created_by=by,
    )  # fmt: skip
    PlanItem.objects.bulk_create(
        PlanItem(plan=plan, factory=factory, rank=rank, risk_score=_score(factory))
        for rank, factory in enumerate(chosen, start=1)
    )
    audit.record(
        subject=plan,
        action="plan.generate",
        label=_("Plan generated"),
        by=by,
        acting_for=signed_as(by, PositionKind.GROUP_HEAD, office, timezone.localdate()),
        comment=_("%(n)s factories, highest risk first, for %(capacity)s cases.")
        % {"n": len(chosen), "capacity": plan.capacity},
        after=audit.snapshot(plan, ["fiscal_year", "quarter", "inspectors", "cases_per_inspector"]),
    )
    PlanFlow.start.run(plan=plan)
    return plan


def _score(factory: Factory):
    score = getattr(factory, "risk", None)
    return score.score if score is not None else 0


def _editable(plan: InspectionPlan, by: Person) -> InspectionPlan:
    if not access.can(by, "change", plan):
        raise PermissionDenied
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise PlanningError(_("Only a draft plan can be changed."))
    return plan


@transaction.atomic
def plan_item_add(*, plan: InspectionPlan, factory: Factory, by: Person) -> PlanItem:
    plan = _editable(plan, by)
    if factory.office_id != plan.office_id:
        raise PlanningError(_("The factory is not supervised by this office."), field="reg_no")
    if factory.status != FactoryStatus.OPERATING:
        raise PlanningError(_("Only an operating factory can be planned."), field="reg_no")
    if Inspection.objects.filter(factory=factory, closed_at__isnull=True).exists():
        raise PlanningError(_("This factory already has an open inspection."), field="reg_no")
    if plan.items.filter(factory=factory).exists():
        raise PlanningError(_("This factory is already in the plan."), field="reg_no")
    if factory.pk in _pending_elsewhere(plan.office, plan):
        raise PlanningError(_("This factory is already in another plan that has not started."), field="reg_no")
    if plan.items.count() >= plan.capacity:
        raise PlanningError(
            _("The plan is full: %(n)s cases for %(inspectors)s inspectors. Remove a factory first.")
            % {"n": plan.capacity, "inspectors": plan.inspectors}
        )
    risk_refresh([factory.pk])
    score = Factory.objects.select_related("risk").get(pk=factory.pk)
    item = PlanItem.objects.create(
        plan=plan, factory=factory, rank=(plan.items.aggregate(m=Max("rank"))["m"] or 0) + 1,
        risk_score=_score(score), added_by_hand=True,
    )  # fmt: skip
    audit.record(
        subject=plan, action="plan.add", label=_("Factory added to the plan"), by=by,
        comment=f"{factory.reg_no} {factory.name}",
    )  # fmt: skip
    return item


@transaction.atomic
def plan_item_remove(*, plan: InspectionPlan, item: PlanItem, by: Person) -> None:
    plan = _editable(plan, by)
    if item.plan_id != plan.pk:
        raise PermissionDenied
    factory = item.factory
    item.delete()
    audit.record(
        subject=plan, action="plan.remove", label=_("Factory removed from the plan"), by=by,
        comment=f"{factory.reg_no} {factory.name}",
    )  # fmt: skip


@transaction.atomic
def plan_submit(*, plan: InspectionPlan, by: Person, note: str = "") -> InspectionPlan:
    plan = _editable(plan, by)
    if not plan.items.exists():
        raise PlanningError(_("The plan has no factories."))
    plan.status, plan.submitted_at = PlanStatus.SUBMITTED, timezone.now()
    plan.save(update_fields=["status", "submitted_at"])
    audit.record(
        subject=plan, action="plan.submit", label=_("Plan submitted for approval"), by=by,
        acting_for=signed_as(by, PositionKind.GROUP_HEAD, plan.office, timezone.localdate()), comment=note,
    )  # fmt: skip
    return plan


@transaction.atomic
def plan_decide(*, plan: InspectionPlan, by: Person, decision: str, comments: str = "") -> PlanReview:
    """The provincial industry officer (or the person acting for the post) approves or returns."""
    on = timezone.localdate()
    acting = signed_as(by, PositionKind.PROVINCIAL_OFFICER, plan.office, on)
    if not acting or not access.can(by, "work", plan):
        raise PermissionDenied
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.SUBMITTED:
        raise PlanningError(_("This plan is not awaiting approval."))
    if decision not in RoundDecision.values:
        raise PlanningError(_("Choose approve or return."), field="decision")
    comments = (comments or "").strip()
    if decision == RoundDecision.RETURN and not comments:
        raise PlanningError(_("Say what must be changed when returning the plan."), field="comments")
    review = approvals.round_record(plan.reviews, by=by, by_as=acting, decision=decision, comments=comments)
    if review.approved:
        plan.status, plan.approved_at = PlanStatus.APPROVED, timezone.now()
        plan.approved_by, plan.approved_as = by, acting
    else:
        plan.status = PlanStatus.DRAFT
    plan.save(update_fields=["status", "approved_at", "approved_by", "approved_as"])
    audit.record(
        subject=plan, action=f"plan.{decision}",
        label=_("Plan approved") if review.approved else _("Plan returned for changes"),
        by=by, acting_for=acting, comment=comments,
    )  # fmt: skip
    return review


@transaction.atomic
def plan_start_cases(*, plan: InspectionPlan) -> list[Inspection]:
    """Start an inspection case (reason "plan") for every item of the approved plan, in rank order, and
    assign each to the least-loaded inspector of the office through the case's own assign task. A
    factory that meanwhile got an open case is skipped, with the reason kept on the item."""
    from workflows.inspection.flows import InspectionFlow

    plan = InspectionPlan.objects.select_for_update().select_related("office").get(pk=plan.pk)
    if plan.status != PlanStatus.APPROVED:
        raise PlanningError(_("Only an approved plan starts its cases."))
    planned_on = max(selectors.quarter_start(plan.fiscal_year, plan.quarter), timezone.localdate())
    started, skipped = [], []
    for item in plan.items.filter(inspection__isnull=True).select_related("factory").order_by("rank", "pk"):
        if Inspection.objects.filter(factory_id=item.factory_id, closed_at__isnull=True).exists():
            item.skipped_reason = _("An inspection of this factory was already open.")
            item.save(update_fields=["skipped_reason"])
            skipped.append(item.factory.reg_no)
            continue
        inspection = inspection_services.inspection_start(  # opened in the name of the approver
            factory=item.factory, by=plan.approved_by, reason=InspectionReason.PLAN, planned_on=planned_on
        )
        item.inspection = inspection
        item.save(update_fields=["inspection"])
        _assign(inspection, InspectionFlow)
        started.append(inspection)
    comment = _("Started: %(cases)s") % {"cases": ", ".join(i.ref_no for i in started) or "—"}
    if skipped:
        comment += "\n" + _("Not started (an inspection was already open): %(factories)s") % {
            "factories": ", ".join(skipped)
        }
    audit.record(subject=plan, action="plan.start", label=_("Inspection cases started"), comment=comment)
    return started


def _assign(inspection: Inspection, flow_class) -> None:
    """Complete the case's assign task as its owner (the group head), choosing the least-loaded
    inspector; with no owner or no inspector the task stays in the office queue."""
    task = Task.objects.filter(
        process__inspectionprocess__inspection=inspection, flow_task=flow_class.assign, status__in=selectors.OPEN
    ).first()
    inspector = inspection_services.suggested_inspector(inspection.office)
    if task is None or task.owner is None or inspector is None or not task.flow_task.can_execute(task.owner, task):
        return
    with engine.activation(task, case=inspection) as activation:  # the flow reads the object the service changes
        activation.start(None)
        inspection_services.inspection_assign(inspection=inspection, inspector=inspector, by=task.owner)
        activation.execute()
