"""Budget follow-up: the projects of the offices the caller may see (permissions through
workflows.budget.selectors.visible_projects, i.e. permissions.access on the project's office, the
budget pages' rule), each with its plan against its results (the approved monthly reports) as the
project page computes them (selectors.status_of). A project's detail adds the months. The monthly
progress reports (list, and filing one through its flow's step: api.steps) and the directives of the
follow-up reviews (read)."""

import django_filters
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import parsers, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from viewflow.workflow.models import Task

from permissions import access
from workflows.budget import selectors as budget_selectors
from workflows.budget.flows import ProgressFlow
from workflows.budget.models import (
    Directive,
    DirectiveStatus,
    DirectiveUpdate,
    FollowUpReview,
    ProgressProcess,
    ProgressReport,
    Project,
    ProjectStatus,
    ReportEvidence,
    ReportStatus,
)

from . import idempotency, steps
from .base import ApiView
from .filters import FiscalYearFilter, IdFilter, StrictFilterSet, UpdatedSinceFilter
from .schema import StepActionSchema
from .serializers import ChoiceLabel, OfficeSerializer, absolute
from .steps import case_tasks
from .task_views import CONFLICTS


def project_changed(since):
    """A project changed since `since`: registered, approved or closed then, moved by its flow (a task of
    it created, assigned or finished), or a monthly report of it approved then, which moves its
    disbursed, remaining and progress. Edits outside the flow (the admin) are not seen: Project keeps no
    updated_at."""
    tasks = Task.objects.filter(process__projectprocess__project=OuterRef("pk")).filter(
        Q(created__gte=since) | Q(assigned__gte=since) | Q(finished__gte=since)
    )
    approved = ProgressReport.objects.filter(project=OuterRef("pk"), approved_at__gte=since)
    moments = Q(created_at__gte=since) | Q(approved_at__gte=since) | Q(closed_at__gte=since)
    return moments | Exists(tasks) | Exists(approved)


class ProjectFilter(StrictFilterSet):
    fiscal_year = FiscalYearFilter(label=_("Fiscal year (BE), e.g. 2569"))
    office = IdFilter(field_name="office_id", label=_("Office id"))
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices, label=_("Status"))
    updated_since = UpdatedSinceFilter(changed=project_changed)

    class Meta:
        model = Project
        fields = ["fiscal_year", "office", "status", "updated_since"]


class MonthSerializer(serializers.Serializer):
    month = serializers.DateField()
    planned = serializers.DecimalField(max_digits=15, decimal_places=2)
    planned_cumulative = serializers.DecimalField(max_digits=15, decimal_places=2)
    planned_pct = serializers.DecimalField(max_digits=7, decimal_places=2)
    planned_progress = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    disbursed = serializers.DecimalField(max_digits=15, decimal_places=2, allow_null=True)
    disbursed_cumulative = serializers.DecimalField(max_digits=15, decimal_places=2, allow_null=True)
    disbursed_pct = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    progress = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)


class ProgressSerializer(serializers.Serializer):
    allocation = serializers.DecimalField(max_digits=15, decimal_places=2)
    disbursed = serializers.DecimalField(max_digits=15, decimal_places=2)
    disbursed_pct = serializers.DecimalField(max_digits=7, decimal_places=2)
    remaining = serializers.DecimalField(max_digits=15, decimal_places=2)
    progress = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)


class ProjectSerializer(serializers.ModelSerializer):
    office = OfficeSerializer(read_only=True)
    status = serializers.SerializerMethodField()
    status_label = ChoiceLabel("status")
    officer = serializers.SerializerMethodField()
    is_behind = serializers.BooleanField(read_only=True)
    progress = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id", "code", "fiscal_year", "title", "office", "officer", "status", "status_label", "is_behind",
            "behind_reason", "behind_since", "approved_at", "closed_at", "progress", "web_url",
        ]  # fmt: skip

    def plan_status(self, project):
        cached = self.context.setdefault("statuses", {})
        if project.pk not in cached:
            cached[project.pk] = budget_selectors.status_of(project)
        return cached[project.pk]

    # Its values in words, not an enum: two components sharing a "status" enum cannot be named without an
    # ENUM_NAME_OVERRIDES entry in the settings.
    @extend_schema_field({"type": "string", "description": "One of: " + ", ".join(ProjectStatus.values)})
    def get_status(self, project) -> str:
        return project.status

    def get_officer(self, project) -> str | None:
        return project.officer.display_name if project.officer_id else None

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, project):
        return ProgressSerializer(self.plan_status(project)).data

    def get_web_url(self, project) -> str:
        return absolute(self.context.get("request"), project.get_absolute_url())


class ProjectDetailSerializer(ProjectSerializer):
    months = serializers.SerializerMethodField()

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "months"]

    @extend_schema_field(MonthSerializer(many=True))
    def get_months(self, project):
        return MonthSerializer(self.plan_status(project).rows, many=True).data


class ProjectViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """Budget projects of the caller's offices with their disbursement and progress against plan."""

    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter

    def get_serializer_class(self):
        return ProjectDetailSerializer if self.action == "retrieve" else ProjectSerializer

    def get_queryset(self):
        projects = budget_selectors.with_details(budget_selectors.visible_projects(self.request.user))
        return projects.order_by("-fiscal_year", "code", "pk")


# --- monthly progress reports ---------------------------------------------------------------------


def report_changed(since):
    """A report changed since `since`: filed or approved then, or moved by its flow (a task of it
    created, assigned or finished: opened, returned)."""
    tasks = Task.objects.filter(process__progressprocess__report=OuterRef("pk")).filter(
        Q(created__gte=since) | Q(assigned__gte=since) | Q(finished__gte=since)
    )
    return Q(submitted_at__gte=since) | Q(approved_at__gte=since) | Exists(tasks)


class ReportFilter(StrictFilterSet):
    project = IdFilter(field_name="project_id", label=_("Project id"))
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label=_("Status"))
    updated_since = UpdatedSinceFilter(changed=report_changed)

    class Meta:
        model = ProgressReport
        fields = ["project", "status", "updated_since"]


class ProjectRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "code", "title", "fiscal_year"]


class ReportEvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportEvidence
        fields = ["id", "name", "content_type", "size", "uploaded_at"]


class ReportSerializer(serializers.ModelSerializer):
    """A month's progress report as the project page lists it: its figures once filed, its state."""

    project = ProjectRefSerializer(read_only=True)
    office = OfficeSerializer(source="project.office", read_only=True)
    status = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(ReportStatus.values))
    status_label = ChoiceLabel("status")
    kpi_actuals = serializers.SerializerMethodField()
    evidence = ReportEvidenceSerializer(many=True, read_only=True)
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReport
        fields = [
            "id", "project", "office", "month", "due_on", "status", "status_label", "progress_pct", "disbursed",
            "problems", "needs", "kpi_actuals", "evidence", "submitted_at", "approved_at", "web_url",
        ]  # fmt: skip

    @extend_schema_field(
        {"type": "object", "additionalProperties": {"type": "string", "format": "decimal"},
         "description": "The KPI actuals filed, by KPI id"}
    )  # fmt: skip
    def get_kpi_actuals(self, report):
        return {str(row.kpi_id): str(row.actual) for row in report.kpi_actuals.all()}

    def get_web_url(self, report) -> str:
        return absolute(self.context.get("request"), report.project.get_absolute_url())


class ReportViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """The monthly progress reports of the projects the caller may see (the budget pages' rule), due
    first; the project's officer files one (POST …/file/) through the filing step of its flow — the
    report page's form and service (workflows.budget.services.report_submit), its duty (the officer
    named on the step) and lock, as POST /tasks/{id}/complete/ does."""

    serializer_class = ReportSerializer
    filterset_class = ReportFilter
    write_scope = "tasks:write"  # filing is a step of its flow, as a task completion
    parser_classes = [parsers.JSONParser, parsers.MultiPartParser]
    schema = StepActionSchema()
    step_actions = {"file": lambda: ProgressFlow.file}  # the schema documents its payload

    def get_queryset(self):
        reports = ProgressReport.objects.select_related("project__office").prefetch_related("kpi_actuals", "evidence")
        return access.visible(self.request.user, reports, office_field="project__office").order_by(
            "-month", "project__code", "pk"
        )

    @extend_schema(
        parameters=[idempotency.PARAMETER],
        responses={200: ReportSerializer, **CONFLICTS},
        description=(
            "File the month: `progress_pct` (cumulative), `disbursed` (baht this month), `problems`, `needs`, "
            "`kpi_<id>` per KPI, `evidence` (a file; multipart). A returned report is filed again here."
        ),
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    @idempotency.idempotent("budget-report-file")
    def file(self, request, pk=None):
        report = self.get_object()
        steps.complete_case_step(case_tasks(ProgressProcess, report), ProgressFlow.file, request)
        return Response(self.get_serializer(self.get_queryset().get(pk=report.pk)).data)


# --- directives -----------------------------------------------------------------------------------


def directive_changed(since):
    return Q(review__created_at__gte=since) | Q(closed_at__gte=since) | Q(updates__at__gte=since)


class DirectiveFilter(StrictFilterSet):
    office = IdFilter(field_name="office_id", label=_("Office id"))
    status = django_filters.ChoiceFilter(choices=DirectiveStatus.choices, label=_("Status"))
    updated_since = UpdatedSinceFilter(changed=directive_changed)

    class Meta:
        model = Directive
        fields = ["office", "status", "updated_since"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return queryset.distinct() if self.form.cleaned_data.get("updated_since") else queryset


class DirectiveUpdateSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.display_name", read_only=True)
    kind = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(DirectiveUpdate.Kind.values))
    kind_label = ChoiceLabel("kind")

    class Meta:
        model = DirectiveUpdate
        fields = ["kind", "kind_label", "text", "by", "at"]


class ReviewRefSerializer(serializers.ModelSerializer):
    reviewer = serializers.CharField(source="reviewer.display_name", read_only=True)

    class Meta:
        model = FollowUpReview
        fields = ["id", "meeting_on", "reviewer", "reviewer_as"]


class DirectiveSerializer(serializers.ModelSerializer):
    """A directive of a follow-up review (ข้อสั่งการ): to whom, by when, and what was reported on it."""

    review = ReviewRefSerializer(read_only=True)
    office = OfficeSerializer(read_only=True)
    assignee = serializers.SerializerMethodField()
    assignee_position = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(DirectiveStatus.values))
    status_label = ChoiceLabel("status")
    history = DirectiveUpdateSerializer(source="updates", many=True, read_only=True)
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Directive
        fields = [
            "id", "review", "office", "text", "assignee", "assignee_position", "due_on", "status", "status_label",
            "closed_at", "history", "web_url",
        ]  # fmt: skip

    def get_assignee(self, directive) -> str | None:
        return directive.assignee.display_name if directive.assignee_id else None

    def get_assignee_position(self, directive) -> str | None:
        return directive.assignee_position.title_th if directive.assignee_position_id else None

    def get_web_url(self, directive) -> str:
        return absolute(self.context.get("request"), directive.review.get_absolute_url())


class DirectiveViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """Directives of the follow-up reviews of the offices the caller may see (permissions.access on
    the directive's office, as the office page lists them), soonest due first, with their history.
    Their steps (report the action, check it) are tasks: GET /tasks/, POST /tasks/{id}/complete/."""

    serializer_class = DirectiveSerializer
    filterset_class = DirectiveFilter

    def get_queryset(self):
        updates = Prefetch("updates", DirectiveUpdate.objects.select_related("by").order_by("at", "pk"))
        directives = Directive.objects.select_related(
            "office", "assignee", "assignee_position", "review__reviewer"
        ).prefetch_related(updates)
        return access.visible(self.request.user, directives).order_by("due_on", "pk")
