"""The flows of budget follow-up:

ProjectFlow     registered → approval up the chain (resolve_chain, by amount) → returned? revise : approved.
ProgressFlow    the month's report: the officer files → the head of office approves or returns (loop).
DirectiveFlow   a directive of a follow-up review: the assignee reports → the reviewer accepts or returns.
EscalationFlow  a project still behind plan: the head of office (then the assistant PS) answers."""

from datetime import datetime, time

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from viewflow import this
from viewflow.workflow import act

from org.models import PositionKind
from workflows import duties, nodes
from workflows.flows import OFFICE_QUEUE, OVERSEE, KamkapFlow
from workflows.roles import filler_for_office

from . import reviews, services, views
from .models import DirectiveProcess, EscalationProcess, ProgressProcess, ProjectProcess


def _office(process):
    case = process.coerced.case
    return case.office if hasattr(case, "office") else case.project.office


def _case_due(activation):
    """Due at the end of the working day the case itself is due (reminders come from the SLA sweep)."""
    return timezone.make_aware(datetime.combine(activation.process.coerced.case.due_on, time(16, 30)))


class ProjectFlow(KamkapFlow):
    process_class = ProjectProcess
    process_title = _("Budget project")
    process_description = _("Register a budget project and approve it up the chain.")

    start = nodes.StartHandle(this.start_project).Next(this.submit)
    submit = nodes.Function(this.submit_project).Annotation(title=_("Send for approval")).Next(this.approve)
    approve = (
        nodes.Approval(views.ApproveProjectView.as_view(), chain=this.project_chain, never=this.never_approves)
        .Annotation(title=_("Approve the project"))
        .Permission(OVERSEE, obj=_office)
        .Next(this.decided)
    )
    decided = (
        nodes.Switch()
        .Case(this.approve, act.process.awaits_approval)
        .Case(this.revise, act.process.returned)
        .Default(this.end)
    )
    revise = (
        nodes.View(views.ReviseProjectView.as_view())
        .Annotation(title=_("Revise the project"))
        .Assign(this.officer)
        .Permission(OFFICE_QUEUE, obj=_office)
        .Duty(duties.named)
        .Next(this.approve)
    )
    end = nodes.End().Annotation(title=_("Approved"))

    def start_project(self, activation, project):
        activation.process.project = project
        return activation.process

    def submit_project(self, activation):
        services.project_submit(project=activation.process.coerced.project)

    def project_chain(self, process):
        return process.project.approvals

    def never_approves(self, process, step) -> set[int]:
        """A project's own officer never approves it."""
        return {process.project.officer_id}

    def officer(self, activation):
        return activation.process.coerced.case.officer


class ProgressFlow(KamkapFlow):
    process_class = ProgressProcess
    process_title = _("Monthly progress report")
    process_description = _("The officer files the month's progress; the head of office approves or returns it.")

    start = nodes.StartHandle(this.start_report).Next(this.file)
    file = (
        nodes.View(views.FileReportView.as_view())
        .Annotation(title=_("File the progress report"))
        .Assign(this.officer)
        .Permission(OFFICE_QUEUE, obj=_office)
        .Duty(duties.named)
        .Due(_case_due)
        .Next(this.review)
    )
    review = (
        nodes.View(views.ReviewReportView.as_view())
        .Annotation(title=_("Review the progress report"))
        .Assign(this.head_of_office)
        .Permission(OFFICE_QUEUE, obj=_office)
        .Duty(duties.fills(PositionKind.PROVINCIAL_OFFICER, excluding="submitted_by"))
        .Next(this.approved)
    )
    approved = nodes.If(act.process.approved).Annotation(title=_("Approved?")).Then(this.end).Else(this.file)
    end = nodes.End().Annotation(title=_("Approved"))

    def start_report(self, activation, report):
        activation.process.report = report
        return activation.process

    def officer(self, activation):
        return activation.process.coerced.case.project.officer

    def head_of_office(self, activation):
        return filler_for_office(PositionKind.PROVINCIAL_OFFICER, _office(activation.process), timezone.localdate())


class DirectiveFlow(KamkapFlow):
    process_class = DirectiveProcess
    process_title = _("Directive")
    process_description = _("The office reports the action taken on a directive; the reviewer closes or returns it.")

    start = nodes.StartHandle(this.start_directive).Next(this.report_action)
    report_action = (
        nodes.View(views.ReportActionView.as_view())
        .Annotation(title=_("Report the action taken"))
        .Assign(this.assignee)
        .Permission(OFFICE_QUEUE, obj=_office)
        .Duty(duties.named)
        .Due(_case_due)
        .Next(this.check)
    )
    check = (
        nodes.View(views.CheckActionView.as_view())
        .Annotation(title=_("Check the action taken"))
        .Assign(this.reviewer)
        .Permission(OVERSEE, obj=_office)
        .Duty(duties.named_except("assignee", "reporter"))
        .Next(this.accepted)
    )
    accepted = (
        nodes.If(act.process.accepted).Annotation(title=_("Action accepted?")).Then(this.end).Else(this.report_action)
    )
    end = nodes.End().Annotation(title=pgettext_lazy("directive", "Closed"))

    def start_directive(self, activation, directive):
        activation.process.directive = directive
        return activation.process

    def assignee(self, activation):
        return reviews.assignee_of(activation.process.coerced.case)

    def reviewer(self, activation):
        return activation.process.coerced.case.review.reviewer


class EscalationFlow(KamkapFlow):
    process_class = EscalationProcess
    process_title = _("Behind-plan escalation")
    process_description = _("A project stays behind plan: the head of office, then the assistant PS, answers.")

    start = nodes.StartHandle(this.start_escalation).Next(this.answer)
    answer = (
        nodes.View(views.EscalationView.as_view())
        .Annotation(title=_("Answer: project behind plan"))
        .Assign(this.responsible)
        .Permission(OVERSEE, obj=_office)
        .Duty(this.fills_the_level)
        .Next(this.end)
    )
    end = nodes.End().Annotation(title=_("Answered"))

    def start_escalation(self, activation, escalation):
        activation.process.escalation = escalation
        return activation.process

    @staticmethod
    def _kind(escalation) -> str:
        return PositionKind.PROVINCIAL_OFFICER if escalation.level == 1 else PositionKind.ASSISTANT_PS

    def responsible(self, activation):
        escalation = activation.process.coerced.case
        return filler_for_office(self._kind(escalation), escalation.project.office, timezone.localdate())

    def fills_the_level(self, user, task):
        """Whoever holds or acts for the post the escalation's level names (the head of office, then
        the assistant PS over the cluster)."""
        return duties.fills(self._kind(task.process.coerced.case))(user, task)
