import base64
import binascii
import json
from datetime import datetime
from decimal import Decimal

from django import forms
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from org.forms import BEDateField
from org.models import Person
from workflows.models.approvals import RoundDecision

from .delivery import MAX_PERIOD_DAYS, MIN_PERIOD_DAYS
from .models import AnswerType, DeliveryMethod, InspectionReason, OrderKind, SignerRole
from .services import NO_STAMP, Stamp


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


class StampsField(forms.CharField):
    """The time and place of the photos of each item, as checklist.js writes them (only once the inspector
    has agreed to stamping): JSON {"<item id>": {"taken_at": ISO 8601, "latitude": n, "longitude": n,
    "accuracy": n}}; cleaned to {item id: services.Stamp}. Anything unreadable is no stamp, never an error:
    a photo is not refused for its stamp."""

    widget = forms.HiddenInput

    def clean(self, value):
        try:
            raw = json.loads(value or "{}")
        except ValueError:
            return {}
        stamps = {}
        for key, entry in raw.items() if isinstance(raw, dict) else []:
            if not str(key).isdigit() or not isinstance(entry, dict):
                continue
            stamps[int(key)] = Stamp(
                taken_at=_instant(entry.get("taken_at")),
                latitude=_decimal(entry.get("latitude")),
                longitude=_decimal(entry.get("longitude")),
                accuracy_m=None if _decimal(entry.get("accuracy")) is None else round(_decimal(entry.get("accuracy"))),
            )
        return stamps


def _instant(text) -> datetime | None:
    try:
        instant = parse_datetime(text) if isinstance(text, str) else None
    except ValueError:
        return None
    return instant if instant is None or timezone.is_aware(instant) else None


def _decimal(number) -> Decimal | None:
    if isinstance(number, bool) or not isinstance(number, int | float | str):
        return None
    try:
        found = Decimal(str(number))
    except ArithmeticError:
        return None
    return found if found.is_finite() else None


class SignatureField(forms.CharField):
    """A signature drawn on the signature pad (checklist.js), sent as a data URL of a PNG; cleaned to a
    file (ContentFile) or None when nothing was drawn."""

    widget = forms.HiddenInput
    PREFIX = "data:image/png;base64,"

    def clean(self, value):
        value = (value or "").strip()
        if not value:
            return None
        if not value.startswith(self.PREFIX):
            raise forms.ValidationError(_("A signature must be a PNG image."))
        try:
            data = base64.b64decode(value[len(self.PREFIX) :], validate=True)
        except (binascii.Error, ValueError):
            raise forms.ValidationError(_("A signature must be a PNG image.")) from None
        return ContentFile(data, name="signature.png")


class ChecklistForm(forms.Form):
    """One field (or two) per checklist item, built from the pinned version: the answer item_<pk>
    (buttons for yes/no and choices), note_<pk>, photos photo_<pk> (several) and their caption_<pk>."""

    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    inspected_on = BEDateField(label=_("Inspected on"), required=False)
    stamps = StampsField(required=False)
    representative_name = forms.CharField(
        required=False, max_length=200, label=_("Name of the factory's representative")
    )
    representative_title = forms.CharField(required=False, max_length=200, label=_("Their position"))
    representative_signature = SignatureField(required=False, label=_("Signature of the factory's representative"))
    inspector_signature = SignatureField(required=False, label=_("Inspector's signature"))

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
                initial = (answer.number_shown or None) if answer else None
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

    def clean(self):
        data = super().clean()
        if data.get("representative_signature") and not (data.get("representative_name") or "").strip():
            self.add_error("representative_name", _("Write the name of the factory's representative who signs."))
        return data

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
        """(item id, upload, caption, stamp) for every photo sent, several per item."""
        stamps = self.cleaned_data.get("stamps") or {}
        for item in self.items:
            caption = self.cleaned_data.get(f"caption_{item.pk}", "")
            for upload in self.cleaned_data.get(f"photo_{item.pk}") or []:
                yield item.pk, upload, caption, stamps.get(item.pk, NO_STAMP)

    def signatures(self):
        """(role, image, name, title) for each signature drawn."""
        data = self.cleaned_data
        if data.get("representative_signature"):
            yield (
                SignerRole.REPRESENTATIVE,
                data["representative_signature"],
                data.get("representative_name", ""),
                data.get("representative_title", ""),
            )
        if data.get("inspector_signature"):
            yield SignerRole.INSPECTOR, data["inspector_signature"], "", ""


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
