"""Quarterly inspection plans, read only: the plans of the offices the caller may see (permissions.access
on the plan's office, the plan pages' rule: workflows.planning.selectors.plans_with_progress), each with
how many of its factories were planned, started and done; a plan's detail adds its factories by rank
with their risk score and their case. Plans are prepared and approved on their pages and tasks."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from workflows.planning import selectors as planning_selectors
from workflows.planning.models import InspectionPlan, PlanItem, PlanStatus

from .base import ApiView
from .filters import FiscalYearFilter, IdFilter, QuarterFilter, StrictFilterSet, UpdatedSinceFilter
from .serializers import ChoiceLabel, FactoryRefSerializer, OfficeSerializer, absolute


class PlanFilter(StrictFilterSet):
    office = IdFilter(field_name="office_id", label=_("Office id"))
    fiscal_year = FiscalYearFilter(label=_("Fiscal year (BE), e.g. 2570"))
    quarter = QuarterFilter(label=_("Quarter of the fiscal year, 1 to 4"))
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices, label=_("Status"))
    updated_since = UpdatedSinceFilter(
        changed=lambda since: Q(created_at__gte=since) | Q(submitted_at__gte=since) | Q(approved_at__gte=since)
    )

    class Meta:
        model = InspectionPlan
        fields = ["office", "fiscal_year", "quarter", "status", "updated_since"]


class PlanCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    ref_no = serializers.CharField()
    inspector = serializers.CharField(allow_null=True)
    signed_off_at = serializers.DateTimeField(allow_null=True)


class PlanItemSerializer(serializers.ModelSerializer):
    factory = FactoryRefSerializer(read_only=True)
    case = serializers.SerializerMethodField()

    class Meta:
        model = PlanItem
        fields = ["rank", "factory", "risk_score", "added_by_hand", "case", "skipped_reason"]

    @extend_schema_field(PlanCaseSerializer(allow_null=True))
    def get_case(self, item):
        inspection = item.inspection
        if inspection is None:
            return None
        inspector = inspection.inspector.display_name if inspection.inspector_id else None
        return {"id": inspection.pk, "ref_no": inspection.ref_no, "inspector": inspector,
                "signed_off_at": inspection.signed_off_at}  # fmt: skip


class PlanSerializer(serializers.ModelSerializer):
    office = OfficeSerializer(read_only=True)
    label = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(PlanStatus.values))
    status_label = ChoiceLabel("status")
    capacity = serializers.IntegerField(read_only=True)
    planned = serializers.IntegerField(read_only=True, help_text=_("Factories in the plan"))
    started = serializers.IntegerField(read_only=True, help_text=_("Of them, with a case opened"))
    done = serializers.IntegerField(read_only=True, help_text=_("Of them, with the report signed off"))
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = InspectionPlan
        fields = [
            "id", "office", "fiscal_year", "quarter", "label", "status", "status_label", "inspectors",
            "cases_per_inspector", "capacity", "planned", "started", "done", "created_at", "submitted_at",
            "approved_at", "approved_as", "web_url",
        ]  # fmt: skip

    def get_web_url(self, plan) -> str:
        return absolute(self.context.get("request"), plan.get_absolute_url())


class PlanDetailSerializer(PlanSerializer):
    items = serializers.SerializerMethodField()

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "items"]

    @extend_schema_field(PlanItemSerializer(many=True))
    def get_items(self, plan):
        return PlanItemSerializer(planning_selectors.plan_items(plan), many=True, context=self.context).data


class PlanViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """The inspection plans of the caller's offices, newest quarter first, with their progress."""

    filterset_class = PlanFilter

    def get_serializer_class(self):
        return PlanDetailSerializer if self.action == "retrieve" else PlanSerializer

    def get_queryset(self):
        plans = planning_selectors.plans_with_progress(self.request.user)
        return plans.order_by("-fiscal_year", "-quarter", "office__code", "pk")
