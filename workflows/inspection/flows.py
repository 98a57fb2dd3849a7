"""InspectionFlow: assign → inspect → review (return loop) → sign-off → compliant? close :
order → approval up the chain → issued → follow-up at the deadline → obeyed? close : s.39."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import act, flow

from org.models import PositionKind
from workflows import duties, nodes
from workflows.flows import OFFICE_QUEUE, OVERSEE, KamkapFlow
from workflows.roles import filler_for_office

from . import delivery, services, views
from .models import InspectionProcess


def _office(process):
    return process.coerced.case.office


class InspectionFlow(KamkapFlow):
    process_class = InspectionProcess
    process_title = _("Factory inspection")
    process_description = _("Assign, inspect, review, sign off, order and follow up a factory inspection.")
    # Blocking row lock: the second of two simultaneous submits waits for the first to commit, then
    # finds the task done (a clear message, no retry sleeps). lock_timeout bounds the wait (settings).

    start = nodes.StartHandle(this.start_case).Next(this.assign)

    assign = (
        nodes.View(views.AssignView.as_view())
        .Annotation(title=_("Assign an inspector"))
        .Assign(this.group_head)
        .Permission(OFFICE_QUEUE, obj=_office)
        .Duty(duties.fills(PositionKind.GROUP_HEAD))
        .Next(this.inspect)
    )
    inspect = (
        nodes.View(views.InspectView.as_view())
        .Annotation(title=_("Inspect the factory"))
        .Assign(this.inspector)
        .Permission(OFFICE_QUEUE, obj=_office)
        .Duty(duties.fills(PositionKind.INSPECTOR))
        .onAssign(this.inspector_took)
        .Next(this.review)
    )
    review = (
        nodes.View(views.ReviewView.as_view())
        .Annotation(title=_("Review the report"))
        .Assign(this.group_head)
        .Permission(OFFICE_QUEUE, obj=_office)
        .Duty(duties.fills(PositionKind.GROUP_HEAD, excluding="inspector"))
        .Next(this.review_passed)
    )
    review_passed = (
        nodes.If(act.process.review_approved).Annotation(title=_("Approved?")).Then(this.sign_off).Else(this.inspect)
    )
    sign_off = (
        nodes.View(views.SignOffView.as_view())
        .Annotation(title=_("Sign off the report"))
        .Assign(this.provincial_officer)
        .Permission(OFFICE_QUEUE, obj=_office)
        .Duty(duties.fills(PositionKind.PROVINCIAL_OFFICER, excluding="inspector"))
        .Next(this.compliant)
    )
    compliant = (
        nodes.If(act.process.is_compliant).Annotation(title=_("Compliant?")).Then(this.close).Else(this.draft_order)
    )
    draft_order = (
        nodes.View(views.DraftOrderView.as_view())
        .Annotation(title=_("Draft the corrective order"))
        .Assign(this.provincial_officer)
        .Permission(OFFICE_QUEUE, obj=_office)
        .Duty(duties.fills(PositionKind.PROVINCIAL_OFFICER, excluding="inspector"))
        .Next(this.approve_order)
    )
    approve_order = (
        nodes.Approval(views.ApproveOrderView.as_view(), chain=this.order_chain, never=this.never_approves_order)
        .Annotation(title=_("Approve the order"))
        .Permission(OVERSEE, obj=_office)
        .Next(this.order_decided)
    )
    order_decided = (
        nodes.Switch()
        .Case(this.approve_order, act.process.order_awaits_approval)
        .Case(this.draft_order, act.process.order_sent_back)
        .Default(this.await_deadline)
    )
    await_deadline = flow.Timer(this.order_deadline).Annotation(title=_("Wait for the deadline")).Next(this.follow_up)
    follow_up = (
        nodes.View(views.FollowUpView.as_view())
        .Annotation(title=_("Follow-up inspection"))
        .Assign(this.inspector)
        .Permission(OFFICE_QUEUE, obj=_office)
        .Duty(duties.fills(PositionKind.INSPECTOR))
        .onAssign(this.inspector_took)
        .Next(this.order_obeyed)
    )
    order_obeyed = (
        nodes.If(act.process.order_obeyed).Annotation(title=_("Order obeyed?")).Then(this.close).Else(this.escalate)
    )
    escalate = nodes.Function(this.escalate_case).Annotation(title=_("Escalate: s.39")).Next(this.approve_order)
    close = nodes.Function(this.close_case).Annotation(title=_("Close the case")).Next(this.end)
    end = nodes.End().Annotation(title=_("Closed"))

    def start_case(self, activation, inspection):
        activation.process.inspection = inspection
        return activation.process

    def group_head(self, activation):
        return filler_for_office(PositionKind.GROUP_HEAD, _office(activation.process), timezone.localdate())

    def provincial_officer(self, activation):
        return filler_for_office(PositionKind.PROVINCIAL_OFFICER, _office(activation.process), timezone.localdate())

    def inspector(self, activation):
        return activation.process.case.inspector

    def inspector_took(self, activation):
        """Whoever takes the inspect or follow-up step from the queue is the case's inspector."""
        services.inspector_took(inspection=activation.process.coerced.case, person=activation.task.owner)

    def order_chain(self, process):
        order = services.current_order(process.inspection)
        return order.approvals if order else None

    def never_approves_order(self, process, step) -> set[int]:
        """The case's inspector never approves its order; its drafter approves only at the first
        level (the officer who drafts signs it at their own level)."""
        never = {process.inspection.inspector_id}
        if step.step > 1:
            never.add(step.order.drafted_by_id)
        return never

    def order_deadline(self, activation):
        return delivery.follow_up_at(services.current_order(activation.process.coerced.inspection))

    def escalate_case(self, activation):
        services.escalate_to_closure(inspection=activation.process.coerced.inspection)

    def close_case(self, activation):
        services.inspection_close(inspection=activation.process.coerced.inspection)
