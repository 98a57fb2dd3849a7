"""Budget follow-up, read only: the projects of the offices the caller may see (permissions through
workflows.budget.selectors.visible_projects, i.e. permissions.access on the project's office, the
budget pages' rule), each with its plan against its results (the approved monthly reports) as the
project page computes them (selectors.status_of). A project's detail adds the months."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from workflows.budget import selectors as budget_selectors
from workflows.budget.models import Project, ProjectStatus

from .base import ApiView
from .filters import IdFilter, StrictFilterSet
from .serializers import OfficeSerializer, absolute


class ProjectFilter(StrictFilterSet):
    fiscal_year = django_filters.NumberFilter(label=_("Fiscal year (BE), e.g. 2569"), min_value=2400, max_value=2800)
    office = IdFilter(field_name="office_id", label=_("Office id"))
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices, label=_("Status"))

    class Meta:
        model = Project
        fields = ["fiscal_year", "office", "status"]


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
    status_label = serializers.CharField(source="get_status_display", read_only=True)
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
