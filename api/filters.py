"""Query filters of the API lists (django-filter); they narrow what permissions.access already allowed.
Every value is checked before it reaches the database: a number out of a 64-bit id's range, a word
where a number or true/false belongs, is a 400 naming the parameter, never a 500 nor silently ignored."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from registry.models import Factory, FactoryStatus, SelfReport
from workflows.inspection.models import Inspection, Outcome

MAX_ID = 2**63 - 1  # the largest value a primary key (BigAutoField) can hold, on SQLite and PostgreSQL


class IdField(forms.IntegerField):
    """A whole number a primary key can hold (1 to 2⁶³−1): `1e19` or `9223372036854775808` are refused."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    field_class = IdField


class StrictBooleanField(forms.NullBooleanField):
    """`true`/`false` (also `1`/`0`, `True`/`False`); anything else is an error instead of no filter."""

    widget = forms.TextInput
    default_error_messages = {"invalid": _("Enter true or false.")}
    TRUE, FALSE = {"true", "1"}, {"false", "0"}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class StrictFilterSet(django_filters.FilterSet):
    """A filter given with no value (`office=`, `is_open=`) is an error naming it, not "no filter";
    only the text search `q` may be empty."""

    def is_valid(self):
        valid = super().is_valid()
        for name, declared in self.filters.items():
            if isinstance(declared, django_filters.CharFilter) or name not in self.data:
                continue
            if not any(str(value).strip() for value in self.data.getlist(name)):
                self.form.add_error(name, forms.ValidationError(self.form.fields[name].error_messages["required"]))
                valid = False
        return valid


class FactoryFilter(StrictFilterSet):
    province = IdFilter(field_name="province_id", label=_("Province code"))
    office = IdFilter(field_name="office_id", label=_("Office id"))
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


class CaseFilter(StrictFilterSet):
    office = IdFilter(field_name="office_id", label=_("Office id"))
    factory = IdFilter(field_name="factory_id", label=_("Factory id"))
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices, label=_("Outcome"))
    is_open = StrictBooleanFilter(
        field_name="closed_at", lookup_expr="isnull", label=_("Open (true) or closed (false)")
    )

    class Meta:
        model = Inspection
        fields = ["office", "factory", "outcome", "is_open"]


class SelfReportFilter(StrictFilterSet):
    factory = IdFilter(field_name="factory_id", label=_("Factory id"))
    kind = django_filters.CharFilter(field_name="kind__code", label=_("Report kind code"))

    class Meta:
        model = SelfReport
        fields = ["factory", "kind"]
