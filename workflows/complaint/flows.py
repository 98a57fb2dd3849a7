"""ComplaintFlow: received → triage by the office of the place (or of the factory) → accepted?
answer once the inspection case is closed : answer with the reason for rejection → close."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import act

from org.models import PositionKind
from workflows import duties, nodes
from workflows.flows import OFFICE_QUEUE, KamkapFlow
from workflows.roles import filler_for_office

from . import services, views
from .models import ComplaintProcess


def _office(process):
    return process.coerced.case.office


class ComplaintFlow(KamkapFlow):
    process_class = ComplaintProcess
    process_title = _("Complaint")
    process_description = _("Triage a complaint from the public, inspect the factory if accepted, answer, close.")

    start = nodes.StartHandle(this.start_complaint).Next(this.triage)
    triage = (
        nodes.View(views.TriageView.as_view())
        .Annotation(title=_("Triage the complaint"))
        .Assign(this.group_head)
        .Permission(OFFICE_QUEUE, obj=_office)
        .Duty(duties.fills(PositionKind.GROUP_HEAD))
        .Next(this.is_accepted)
    )
    is_accepted = (
        nodes.If(act.process.accepted).Annotation(title=_("Accepted?")).Then(this.answer).Else(this.answer_rejection)
    )
    # Waiting for the inspection: the simplest honest option. The answer task opens at once, but
    # services.complaint_answer refuses to complete it until the linked inspection case is closed
    # (the task page says so). A Timer polling loop would add a node and a periodic job for the same.
    answer = (
        nodes.View(views.AnswerView.as_view())
        .Annotation(title=_("Answer the complainant"))
        .Assign(this.group_head)
        .Permission(OFFICE_QUEUE, obj=_office)
        .Duty(duties.fills(PositionKind.GROUP_HEAD))
        .Next(this.close)
    )
    answer_rejection = (
        nodes.View(views.AnswerRejectionView.as_view())
        .Annotation(title=_("Tell the complainant why"))
        .Assign(this.group_head)
        .Permission(OFFICE_QUEUE, obj=_office)
        .Duty(duties.fills(PositionKind.GROUP_HEAD))
        .Next(this.close)
    )
    close = nodes.Function(this.close_complaint).Annotation(title=_("Close the complaint")).Next(this.end)
    end = nodes.End().Annotation(title=_("Closed"))

    def start_complaint(self, activation, complaint):
        activation.process.complaint = complaint
        return activation.process

    def group_head(self, activation):
        return filler_for_office(PositionKind.GROUP_HEAD, _office(activation.process), timezone.localdate())

    def close_complaint(self, activation):
        services.complaint_close(complaint=activation.process.coerced.complaint)
