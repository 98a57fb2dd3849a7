"""Forms of the budget screens: fields and widgets only; the rules live in the services."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from org.calendar import MONTHS_TH_SHORT, be_year
from org.forms import BEDateField
from workflows.models.approvals import RoundDecision

from . import plan
from .models import BudgetSource

DECISIONS = [(RoundDecision.APPROVE, _("Approve")), (RoundDecision.RETURN, _("Return for correction"))]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    comments = forms.CharField(
        label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning."),
    )  # fmt: skip

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == RoundDecision.APPROVE


class ReviseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    objectives = forms.CharField(label=_("Objectives"), widget=forms.Textarea(attrs={"rows": 4}))


class ReportForm(forms.Form):
    progress_pct = forms.DecimalField(
        label=_("Physical progress (%, cumulative)"), min_value=0, max_value=100, decimal_places=2
    )
    disbursed = forms.DecimalField(label=_("Disbursed this month (baht)"), min_value=0, decimal_places=2)
    problems = forms.CharField(label=_("Problems"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    needs = forms.CharField(label=_("Needs"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("Evidence file (JPEG, PNG or PDF)"), required=False)

    def __init__(self, *args, kpis=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kpis = list(kpis)
        for kpi in self.kpis:
            self.fields[f"kpi_{kpi.pk}"] = forms.DecimalField(
                label=_("%(kpi)s (%(unit)s), target %(target)s") % {"kpi": kpi.name, "unit": kpi.unit,
                                                                    "target": kpi.target},
                required=False, decimal_places=2,
            )  # fmt: skip

    def kpi_actuals(self) -> dict[int, Decimal]:
        return {
            kpi.pk: self.cleaned_data[f"kpi_{kpi.pk}"]
            for kpi in self.kpis
            if self.cleaned_data.get(f"kpi_{kpi.pk}") is not None
        }


class TextForm(forms.Form):
    text = forms.CharField(label=_("Action taken"), widget=forms.Textarea(attrs={"rows": 4}))


class ResponseForm(forms.Form):
    response = forms.CharField(label=_("What will be done to catch up"), widget=forms.Textarea(attrs={"rows": 4}))


class ProjectForm(forms.Form):
    """The project and the twelve months of its plan; its budget lines and KPIs are the LineFormSet and
    KpiFormSet beside it (as many rows as the project has)."""

    title = forms.CharField(label=_("Title"), max_length=300)
    objectives = forms.CharField(label=_("Objectives"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, fy: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.months = plan.fiscal_months(fy)
        for month in self.months:
            self.fields[f"p_{month:%Y%m}"] = forms.DecimalField(
                required=False, min_value=0, max_value=100, decimal_places=2, label=_("progress %")
            )
            self.fields[f"d_{month:%Y%m}"] = forms.DecimalField(
                required=False, min_value=0, decimal_places=2, label=_("baht")
            )

    def month_rows(self):
        return [
            (f"{MONTHS_TH_SHORT[m.month - 1]} {be_year(m.year)}", self[f"p_{m:%Y%m}"], self[f"d_{m:%Y%m}"])
            for m in self.months
        ]

    def plan_rows(self) -> list[dict]:
        return [
            {"month": month, "progress_pct": self.cleaned_data.get(f"p_{month:%Y%m}") or 0,
             "disbursement": self.cleaned_data.get(f"d_{month:%Y%m}") or 0}
            for month in self.months
        ]  # fmt: skip


class LineForm(forms.Form):
    """One budget line. Carry-over lines come from the previous year's project, not from here."""

    description = forms.CharField(label=_("Budget line"), max_length=300, required=False)
    source = forms.ChoiceField(label=_("Budget source"), choices=BudgetSource.choices[:2], initial=BudgetSource.OWN)
    owner_agency = forms.CharField(label=_("Owner agency (budget on behalf)"), required=False, max_length=300)
    reference_no = forms.CharField(label=_("Reference number"), required=False, max_length=100)
    provisional = forms.BooleanField(label=_("Provisional budget"), required=False)
    allocation = forms.DecimalField(label=_("Allocation (baht)"), min_value=0, decimal_places=2)


class KpiForm(forms.Form):
    name = forms.CharField(label=_("KPI"), max_length=300)
    unit = forms.CharField(label=_("KPI unit"), max_length=50)
    target = forms.DecimalField(label=_("KPI target"), decimal_places=2)


# Blank extra rows are ignored; at least one budget line is required.
LineFormSet = forms.formset_factory(LineForm, extra=3, min_num=1, validate_min=True, max_num=20)
KpiFormSet = forms.formset_factory(KpiForm, extra=3, max_num=20)


class CarryOverForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount reserved for the next fiscal year (baht)"), min_value=0, decimal_places=2
    )


class CloseForm(forms.Form):
    summary = forms.CharField(label=_("Results of the project"), widget=forms.Textarea(attrs={"rows": 4}))


class ReviewForm(forms.Form):
    meeting_on = BEDateField(label=_("Meeting date"))
    projects = forms.ModelMultipleChoiceField(
        label=_("Projects reviewed"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    attendees = forms.CharField(label=_("Attendees"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = projects


class DirectiveForm(forms.Form):
    text = forms.CharField(label=_("Directive"), widget=forms.Textarea(attrs={"rows": 3}))
    assignee = forms.ModelChoiceField(label=_("Assigned to (person)"), queryset=None, required=False)
    position = forms.ModelChoiceField(label=_("or to the position"), queryset=None, required=False)
    due_on = BEDateField(label=_("Due"))

    def __init__(self, *args, people, positions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = people
        self.fields["position"].queryset = positions
