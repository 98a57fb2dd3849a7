from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.models.approvals import RoundDecision


class GenerateForm(forms.Form):
    office = forms.ModelChoiceField(queryset=None, label=_("Office"), empty_label=None)
    fiscal_year = forms.IntegerField(label=_("Fiscal year (BE)"), min_value=2500, max_value=2700)
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int, choices=[(q, q) for q in (1, 2, 3, 4)])

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices


class CapacityForm(forms.Form):
    office = forms.ModelChoiceField(queryset=None, label=_("Office"), empty_label=None)
    cases_per_inspector = forms.IntegerField(label=_("Cases per inspector per quarter"), min_value=1, max_value=200)

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices


class AddFactoryForm(forms.Form):
    reg_no = forms.CharField(label=_("Registration number of the factory to add"), max_length=30)


class SubmitForm(forms.Form):
    note = forms.CharField(label=_("Note to the provincial industry officer"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


DECISIONS = [(RoundDecision.APPROVE, _("Approve the plan")), (RoundDecision.RETURN, _("Return for changes"))]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    comments = forms.CharField(
        label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning the plan."),
    )  # fmt: skip
