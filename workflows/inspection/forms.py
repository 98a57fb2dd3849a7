from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from org.forms import BEDateField
from org.models import Person
from workflows.models.approvals import RoundDecision

from .delivery import MAX_PERIOD_DAYS, MIN_PERIOD_DAYS
from .models import AnswerType, DeliveryMethod, InspectionReason, OrderKind


class StartForm(forms.Form):
    factory = forms.ModelChoiceField(queryset=None, label=_("Factory"))
    reason = forms.ChoiceField(choices=InspectionReason.choices, initial=InspectionReason.ROUTINE, label=_("Reason"))
    planned_on = BEDateField(required=False, label=_("Planned for"))

    def __init__(self, *args, factories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["factory"].queryset = factories


class AssignForm(forms.Form):
    inspector = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Inspector"))

    def __init__(self, *args, inspectors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = inspectors


class MultiplePhotoInput(forms.FileInput):
    """Several photos in one input; on a phone it opens the back camera."""

    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """The files of a MultiplePhotoInput, as a list (empty when none was chosen)."""

    widget = MultiplePhotoInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultiplePhotoField, self).clean(file, initial) for file in files]


def plain(number: Decimal | None) -> str | None:
    """80.000 as "80", 14.500 as "14.5": never "8E+1" (what Decimal.normalize() gives for 80)."""
    return None if number is None else f"{number.normalize():f}"


class ChecklistForm(forms.Form):
    """One field (or two) per checklist item, built from the pinned version: the answer item_<pk>
    (buttons for yes/no and choices), note_<pk>, photos photo_<pk> (several) and their caption_<pk>."""

    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    inspected_on = BEDateField(label=_("Inspected on"), required=False)

    def __init__(self, *args, items, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            answer = answers.get(item.pk)
            name = f"item_{item.pk}"
            if item.answer_type == AnswerType.YES_NO:
                field = forms.ChoiceField(
                    choices=[("yes", _("Yes")), ("no", _("No")), ("na", _("N.A."))],
                    required=False,
                    widget=forms.RadioSelect,
                )
                initial = answer.value if answer else ""
            elif item.answer_type == AnswerType.NUMBER:
                field = forms.DecimalField(
                    required=False, max_digits=14, decimal_places=3,
                    widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
                )  # fmt: skip
                initial = plain(answer.number) if answer else None
            elif item.answer_type == AnswerType.CHOICE:
                field = forms.ChoiceField(
                    choices=[(c, c) for c in item.choices], required=False, widget=forms.RadioSelect
                )
                initial = answer.value if answer else ""
            elif item.answer_type == AnswerType.TEXT:
                field = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
                initial = answer.value if answer else ""
            else:
                field = None
            if field is not None:
                field.label = f"{item.code} {item.question_th}"
                field.initial = initial
                self.fields[name] = field
            self.fields[f"note_{item.pk}"] = forms.CharField(
                required=False, label=_("Note"), initial=answer.note if answer else ""
            )
            self.fields[f"photo_{item.pk}"] = MultiplePhotoField(
                required=False,
                label=_("Photos"),
                widget=MultiplePhotoInput(attrs={"accept": "image/*", "capture": "environment"}),
            )
            self.fields[f"caption_{item.pk}"] = forms.CharField(
                required=False, max_length=200, label=_("Caption of the new photos")
            )

    def answers(self) -> dict[int, dict]:
        result = {}
        for item in self.items:
            if item.answer_type == AnswerType.PHOTO:
                continue
            value = self.cleaned_data.get(f"item_{item.pk}")
            entry = {"note": self.cleaned_data.get(f"note_{item.pk}", "")}
            if item.answer_type == AnswerType.NUMBER:
                entry.update(value="", number=value)
            else:
                entry.update(value=value or "", number=None)
            result[item.pk] = entry
        return result

    def photos(self):
        """(item id, upload, caption) for every photo sent, several per item."""
        for item in self.items:
            caption = self.cleaned_data.get(f"caption_{item.pk}", "")
            for upload in self.cleaned_data.get(f"photo_{item.pk}") or []:
                yield item.pk, upload, caption


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=RoundDecision.choices, widget=forms.RadioSelect, label=_("Decision"))
    comments = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Comments"))


class SignOffForm(forms.Form):
    confirm = forms.BooleanField(label=_("I have read the report and sign it off"))


class OrderForm(forms.Form):
    kind = forms.ChoiceField(choices=OrderKind.choices, label=_("Legal basis"))
    requirement = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("What the factory must do"),
        help_text=_("One action per line."),
    )
    period_days = forms.IntegerField(
        min_value=MIN_PERIOD_DAYS,
        max_value=MAX_PERIOD_DAYS,
        initial=30,
        label=_("Period (days from receipt)"),
        help_text=_("Calendar days counted from the day the factory receives the order."),
    )


class DeliveryForm(forms.Form):
    method = forms.ChoiceField(choices=DeliveryMethod.choices, widget=forms.RadioSelect, label=_("Delivered by"))
    received_on = BEDateField(label=_("Date of receipt"))
    receiver = forms.CharField(required=False, max_length=200, label=_("Received by"))
    tracking_no = forms.CharField(required=False, max_length=20, label=_("Registered mail tracking number"))
    posted_on = BEDateField(required=False, label=_("Mailed on"))
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Note"))


class ApproveForm(forms.Form):
    approve = forms.TypedChoiceField(
        choices=[("1", _("Approve")), ("0", _("Send back"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        label=_("Decision"),
    )
    comments = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Comments"))


class FollowUpForm(forms.Form):
    complied = forms.TypedChoiceField(
        choices=[("1", _("The order was complied with")), ("0", _("The order was not complied with"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        label=_("Result"),
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("What was found"))
