from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ReportKind, ValueType
from .periods import Period, PeriodError

RECENT_PERIODS = {"yearly": 3, "half": 4, "monthly": 12}


def recent_periods(kind: ReportKind, *, on=None) -> list[Period]:
    """The finished periods an operator picks from, latest first."""
    period = Period.containing(kind.frequency, on or timezone.localdate()).previous()
    found = []
    for _i in range(RECENT_PERIODS[kind.frequency]):
        found.append(period)
        period = period.previous()
    return found


class SelfReportForm(forms.Form):
    """Shows one field per figure of the kind; the values are checked by the service (units, ranges),
    whose errors come back onto these fields."""

    period = forms.ChoiceField(label=_("Period"))
    amend = forms.BooleanField(label=_("Amend a period already filed (the earlier version is kept)"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, kind: ReportKind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        periods = recent_periods(kind)
        asked = self.data.get(self.add_prefix("period")) or self.initial.get("period")
        if asked and asked not in {p.code for p in periods}:
            try:  # an older period (e.g. amending it): offered too; the service decides
                periods.append(kind.period(asked))
            except PeriodError:
                pass
        self.fields["period"].choices = [(p.code, p.label()) for p in periods]
        self.value_keys = []
        for field in kind.fields.all():
            label = f"{field.label} ({field.unit})" if field.unit else field.label
            attrs = {"inputmode": "decimal"} if field.value_type != ValueType.TEXT else {}
            self.fields[field.key] = forms.CharField(
                label=label, required=False, widget=forms.TextInput(attrs=attrs), max_length=500
            )
            self.fields[field.key].is_required_figure = field.required
            self.value_keys.append(field.key)
        self.order_fields(["period", *self.value_keys, "note", "amend"])

    def period_value(self) -> Period:
        return self.kind.period(self.cleaned_data["period"])

    def values(self) -> dict:
        return {key: self.cleaned_data.get(key, "") for key in self.value_keys}


class ReportImportForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("Report kind"), queryset=ReportKind.objects.filter(active=True))
    file = forms.FileField(
        label=_("CSV file (UTF-8)"), widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"})
    )
