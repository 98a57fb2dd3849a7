"""PlanFlow: the group head prepares the generated draft (remove/add factories) and submits it →
the provincial industry officer (or the person acting for the post) approves or returns it (loop)
→ on approval the plan's inspection cases start and are assigned."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import act

from org.models import PositionKind
from workflows import duties, nodes
from workflows.flows import OFFICE_QUEUE, KamkapFlow
from workflows.roles import filler_for_office

from . import services, views
from .models import PlanProcess


def _office(process):
    return process.coerced.case.office


class PlanFlow(KamkapFlow):
    process_class = PlanProcess
    process_title = _("Quarterly inspection plan")
    process_description = _("Prepare the risk-based plan of an office, approve it, start its inspection cases.")

    start = nodes.StartHandle(this.start_plan).Next(this.prepare)
    prepare = (
        nodes.View(views.PrepareView.as_view())
        .Annotation(title=_("Prepare and submit the plan"))
        .Assign(this.preparer)
        .Permission(OFFICE_QUEUE, obj=_office)
        .Duty(duties.named)
        .Next(this.approve)
    )
    approve = (
        nodes.View(views.ApproveView.as_view())
        .Annotation(title=_("Approve the plan"))
        .Assign(this.provincial_officer)
        .Permission(OFFICE_QUEUE, obj=_office)
        .Duty(duties.fills(PositionKind.PROVINCIAL_OFFICER, excluding="created_by"))
        .Next(this.approved)
    )
    approved = (
        nodes.If(act.process.plan_approved).Annotation(title=_("Approved?")).Then(this.start_cases).Else(this.prepare)
    )
    start_cases = (
        nodes.Function(this.start_inspections).Annotation(title=_("Start the inspection cases")).Next(this.end)
    )
    end = nodes.End().Annotation(title=_("Cases started"))

    def start_plan(self, activation, plan):
        activation.process.plan = plan
        return activation.process

    def preparer(self, activation):
        """The person who generated the plan prepares it."""
        return activation.process.coerced.case.created_by

    def provincial_officer(self, activation):
        return filler_for_office(PositionKind.PROVINCIAL_OFFICER, _office(activation.process), timezone.localdate())

    def start_inspections(self, activation):
        services.plan_start_cases(plan=activation.process.coerced.plan)
