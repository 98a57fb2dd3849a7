"""Query filters of the API lists (django-filter); they narrow what permissions.access already allowed."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registry.models import Factory, FactoryStatus, SelfReport
from workflows.inspection.models import Inspection, Outcome


class FactoryFilter(django_filters.FilterSet):
    province = django_filters.NumberFilter(field_name="province_id", label=_("Province code"))
    office = django_filters.NumberFilter(field_name="office_id", label=_("Office id"))
    status = django_filters.ChoiceFilter(choices=FactoryStatus.choices, label=_("Status"))
    q = django_filters.CharFilter(method="search", label=_("Registration number, name or operator contains"))

    class Meta:
        model = Factory
        fields = ["province", "office", "status", "q"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(reg_no__icontains=value) | Q(name__icontains=value) | Q(operator__icontains=value))


class CaseFilter(django_filters.FilterSet):
    office = django_filters.NumberFilter(field_name="office_id", label=_("Office id"))
    factory = django_filters.NumberFilter(field_name="factory_id", label=_("Factory id"))
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices, label=_("Outcome"))
    is_open = django_filters.BooleanFilter(
        field_name="closed_at", lookup_expr="isnull", label=_("Open (true) or closed (false)")
    )

    class Meta:
        model = Inspection
        fields = ["office", "factory", "outcome", "is_open"]


class SelfReportFilter(django_filters.FilterSet):
    factory = django_filters.NumberFilter(field_name="factory_id", label=_("Factory id"))
    kind = django_filters.CharFilter(field_name="kind__code", label=_("Report kind code"))

    class Meta:
        model = SelfReport
        fields = ["factory", "kind"]
