"""Demo risk scores and Songkhla's quarterly plans, through the real services and PlanFlow
(idempotent: nothing is added when plans exist). Runs after the demo inspection cases and complaints,
so their orders, discrepancies and complaints count in the scores.

Two Songkhla plans: the current quarter's, approved by the provincial industry officer (its cases
are started and assigned, so its progress shows); the next quarter's, submitted by the group head and
waiting for the officer's approval (log in as songkhla.pio to approve or return it)."""

from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from org.calendar import fiscal_quarter, fiscal_year
from org.models import Person, Unit, UnitKind
from workflows import engine
from workflows.models.approvals import RoundDecision

from . import selectors, services
from .models import InspectionPlan
from .risk import risk_recompute_all

SONGKHLA = 90


def _complete(plan, name, action):
    task = Task.objects.get(
        process__planprocess__plan=plan, flow_task__endswith=f".{name}", status__in=[STATUS.NEW, STATUS.ASSIGNED]
    )
    with engine.activation(task, case=plan) as activation:  # the flow reads the object the services change
        activation.start(None)
        action(task.owner)
        activation.execute()


def load_demo_planning() -> int:
    """Recompute every factory's risk score, then make the Songkhla plans; returns the plans made."""
    risk_recompute_all()
    if InspectionPlan.objects.exists():
        return 0
    office = Unit.objects.get(kind=UnitKind.OFFICE, province_id=SONGKHLA)
    head = Person.objects.get(username="songkhla.head")
    today = timezone.localdate()
    current = services.plan_generate(
        office=office, fiscal_year=fiscal_year(today), quarter=fiscal_quarter(today), by=head
    )
    _complete(current, "prepare", lambda owner: services.plan_submit(plan=current, by=owner))
    _complete(
        current, "approve", lambda owner: services.plan_decide(plan=current, by=owner, decision=RoundDecision.APPROVE)
    )
    year, quarter = selectors.quarter_after(today)
    upcoming = services.plan_generate(office=office, fiscal_year=year, quarter=quarter, by=head)
    _complete(upcoming, "prepare", lambda owner: services.plan_submit(
        plan=upcoming, by=owner, note="เสนอแผนการตรวจตามลำดับคะแนนความเสี่ยง"))  # fmt: skip
    return 2
