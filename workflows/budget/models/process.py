"""The Viewflow processes of budget follow-up; gateways read their named predicates."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from workflows.processes import CaseProcess

from .projects import Project, ProjectStatus
from .reports import ProgressReport, ReportStatus
from .reviews import Directive, DirectiveStatus, Escalation


class ProjectProcess(CaseProcess, Process):
    project = models.ForeignKey(Project, models.PROTECT, null=True, related_name="processes")

    case_field = "project"
    case_related = ("office", "officer")

    class Meta:
        verbose_name = _("project approval process")
        verbose_name_plural = _("project approval processes")

    @property
    def awaits_approval(self) -> bool:
        return Project.objects.filter(pk=self.project_id, status=ProjectStatus.APPROVING).exists()

    @property
    def returned(self) -> bool:
        return Project.objects.filter(pk=self.project_id, status=ProjectStatus.RETURNED).exists()


class ProgressProcess(CaseProcess, Process):
    report = models.ForeignKey(ProgressReport, models.PROTECT, null=True, related_name="processes")

    case_field = "report"
    case_related = ("project__office", "project__officer")
    case_office_path = "project__office"

    class Meta:
        verbose_name = _("progress report process")
        verbose_name_plural = _("progress report processes")

    @property
    def approved(self) -> bool:
        return ProgressReport.objects.filter(pk=self.report_id, status=ReportStatus.APPROVED).exists()


class DirectiveProcess(CaseProcess, Process):
    directive = models.ForeignKey(Directive, models.PROTECT, null=True, related_name="processes")

    case_field = "directive"
    case_related = ("office", "review__reviewer", "assignee")

    class Meta:
        verbose_name = _("directive process")
        verbose_name_plural = _("directive processes")

    @property
    def accepted(self) -> bool:
        return Directive.objects.filter(pk=self.directive_id, status=DirectiveStatus.CLOSED).exists()


class EscalationProcess(CaseProcess, Process):
    escalation = models.ForeignKey(Escalation, models.PROTECT, null=True, related_name="processes")

    case_field = "escalation"
    case_related = ("project__office",)
    case_office_path = "project__office"

    class Meta:
        verbose_name = _("behind-plan escalation process")
        verbose_name_plural = _("behind-plan escalation processes")
