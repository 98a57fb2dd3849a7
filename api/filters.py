"""Query filters of the API lists (django-filter); they narrow what permissions.access already allowed.
Every value is checked before it reaches the database: a number out of a 64-bit id's range, a word
where a number or true/false belongs, is a 400 naming the parameter, never a 500 nor silently ignored."""

from datetime import UTC

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from viewflow.workflow.models import Task

from registry.models import Factory, FactoryStatus, SelfReport
from workflows.inspection.models import CorrectiveOrder, Inspection, OrderDelivery, Outcome

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


class WholeNumberFilter(django_filters.NumberFilter):
    """A whole number (`2569.5` is an error, not a filter that finds nothing)."""

    field_class = forms.IntegerField


FISCAL_YEARS = (2400, 2800)  # Buddhist-era years a fiscal-year filter takes


@extend_schema_field({"type": "integer", "minimum": FISCAL_YEARS[0], "maximum": FISCAL_YEARS[1]})
class FiscalYearFilter(WholeNumberFilter):
    def __init__(self, **kwargs):
        super().__init__(min_value=FISCAL_YEARS[0], max_value=FISCAL_YEARS[1], **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 4})
class QuarterFilter(WholeNumberFilter):
    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=4, **kwargs)


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


class InstantField(forms.DateTimeField):
    """An ISO 8601 instant (`2026-12-01T08:00:00+07:00`; without an offset, Bangkok time), within years
    1–9998 so that no conversion to UTC overflows."""

    default_error_messages = {"invalid": _("Enter a date and time in ISO 8601, e.g. 2026-12-01T08:00:00+07:00.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            parsed = parse_datetime(str(value).strip())
        except ValueError:  # well formed, but no such day or hour
            parsed = None
        if parsed is None or not 1 < parsed.year < 9999:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        # In UTC: PostgreSQL refuses an offset past ±15:59 that ISO 8601 allows (-21:17 was a 500)
        return parsed.astimezone(UTC)


@extend_schema_field({"type": "string", "format": "date-time"})
class UpdatedSinceFilter(django_filters.Filter):
    """Rows changed at or after an instant, for incremental sync: each list says what "changed" means."""

    field_class = InstantField

    def __init__(self, *, changed, **kwargs):
        kwargs.setdefault("label", _("Only rows changed at or after this instant (ISO 8601)"))
        super().__init__(**kwargs)
        self.changed = changed  # instant → Q

    def filter(self, queryset, value):
        if value is None:
            return queryset
        return queryset.filter(self.changed(value))


def case_changed(since):
    """A case changed since `since`: created, submitted, signed off or closed, or moved by its flow (a
    task of it created, assigned or finished), or an order drafted. Edits outside the flow (the admin)
    are not seen: Inspection keeps no updated_at."""
    tasks = Task.objects.filter(process__inspectionprocess__inspection=OuterRef("pk")).filter(
        Q(created__gte=since) | Q(assigned__gte=since) | Q(finished__gte=since)
    )
    orders = CorrectiveOrder.objects.filter(inspection=OuterRef("pk"), drafted_at__gte=since)
    return (
        Q(created_at__gte=since) | Q(submitted_at__gte=since) | Q(signed_off_at__gte=since)
        | Q(closed_at__gte=since) | Exists(tasks) | Exists(orders)
    )  # fmt: skip


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
    updated_since = UpdatedSinceFilter(changed=lambda since: Q(updated_at__gte=since))

    class Meta:
        model = Factory
        fields = ["province", "office", "status", "q", "updated_since"]

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
    updated_since = UpdatedSinceFilter(changed=case_changed)

    class Meta:
        model = Inspection
        fields = ["office", "factory", "outcome", "is_open", "updated_since"]


def result_changed(since):
    """A result changed as its factory's operator sees it: signed off or closed, an order issued (the
    flow's wait for its deadline begun), its deadline moved by the delivery record, or the follow-up's
    judgement given. Not the office's steps in between (an order drafted, returned or refused, a task
    assigned): those are not the factory's to learn from a count."""
    tasks = Task.objects.filter(process__inspectionprocess__inspection=OuterRef("pk")).filter(
        Q(flow_task__endswith=".await_deadline", created__gte=since)
        | Q(flow_task__endswith=".follow_up", finished__gte=since)
    )
    delivered = OrderDelivery.objects.filter(order__inspection=OuterRef("pk"), recorded_at__gte=since)
    return Q(signed_off_at__gte=since) | Q(closed_at__gte=since) | Exists(tasks) | Exists(delivered)


class ResultFilter(StrictFilterSet):
    """An operator's results, changed as the operator sees them (result_changed)."""

    updated_since = UpdatedSinceFilter(changed=result_changed)

    class Meta:
        model = Inspection
        fields = ["updated_since"]


class SelfReportFilter(StrictFilterSet):
    factory = IdFilter(field_name="factory_id", label=_("Factory id"))
    kind = django_filters.CharFilter(field_name="kind__code", label=_("Report kind code"))
    updated_since = UpdatedSinceFilter(changed=lambda since: Q(filed_at__gte=since))  # an amendment is filed anew

    class Meta:
        model = SelfReport
        fields = ["factory", "kind", "updated_since"]


class TaskFilter(StrictFilterSet):
    updated_since = UpdatedSinceFilter(
        changed=lambda since: Q(created__gte=since) | Q(assigned__gte=since) | Q(started__gte=since)
    )

    class Meta:
        model = Task
        fields = ["updated_since"]
