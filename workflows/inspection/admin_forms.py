"""Admin forms of the checklists: an item's choices and non-compliant answers are typed one per line
(stored as the same JSON lists the inspection reads), checked against each other, with labels that
say what each field is."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import AnswerType, ChecklistItem, ChecklistSection, ChecklistTemplate, ChecklistVersion

YES, NO = "yes", "no"


class LinesField(forms.Field):
    """A list of texts, one per line; blank lines and spaces around a line are dropped."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 30})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(line) for line in value)
        return value

    def to_python(self, value) -> list[str]:
        if isinstance(value, list | tuple):
            return [str(line).strip() for line in value if str(line).strip()]
        return [line.strip() for line in str(value or "").splitlines() if line.strip()]

    def validate(self, value):
        super().validate(value)
        seen = set()
        for line in value:
            if line in seen:
                raise ValidationError(_("“%(line)s” is written twice."), params={"line": line}, code="repeated")
            seen.add(line)


def yes_no_labels() -> dict[str, str]:
    """How a yes/no answer is written here: the words the inspector sees (ใช่ / ไม่ใช่), or yes / no."""
    return {str(_("Yes")): YES, str(_("No")): NO, YES: YES, NO: NO}


class ChecklistItemForm(forms.ModelForm):
    choices = LinesField(
        label=_("choices (one per line)"),
        required=False,
        help_text=_("Only for a choice item: each answer the inspector may pick, one per line, in Thai."),
    )
    noncompliant_answers = LinesField(
        label=_("non-compliant answers (one per line)"),
        required=False,
        help_text=_(
            "The answers that make the item non-compliant, one per line. A yes/no item: ใช่ or ไม่ใช่ "
            "(blank: ไม่ใช่). A choice item: answers copied from its choices. A number item is judged by its "
            "lowest and highest compliant values instead."
        ),
    )

    class Meta:
        model = ChecklistItem
        fields = (
            "order", "code", "question_th", "question_en", "answer_type", "choices", "noncompliant_answers", "unit",
            "compliant_min", "compliant_max", "tolerance_pct", "reported_field", "severity", "weight",
            "photo_required", "legal_ref", "guidance",
        )  # fmt: skip
        labels = {
            "code": _("item code"),
            "unit": _("unit of measure"),
            "question_th": _("question (Thai)"),
            "question_en": _("question (English)"),
        }
        widgets = {
            "question_th": forms.Textarea(attrs={"rows": 2, "cols": 40}),
            "question_en": forms.Textarea(attrs={"rows": 2, "cols": 40}),
            "guidance": forms.Textarea(attrs={"rows": 3, "cols": 40}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        item = self.instance
        if item.pk and item.answer_type == AnswerType.YES_NO and isinstance(item.noncompliant_answers, list):
            words = {code: word for word, code in reversed(yes_no_labels().items())}
            self.initial["noncompliant_answers"] = [words.get(a, a) for a in item.noncompliant_answers]

    def clean(self):
        data = super().clean()
        kind = data.get("answer_type")
        choices, answers = data.get("choices"), data.get("noncompliant_answers")
        if kind is None or choices is None or answers is None:
            return data  # the field's own error is shown
        if kind == AnswerType.CHOICE:
            if not choices:
                self.add_error("choices", _("A choice item needs its choices, one per line."))
            missing = [a for a in answers if a not in choices]
            if choices and missing:
                self.add_error(
                    "noncompliant_answers",
                    _("Not among the choices: %(answers)s. Copy each answer exactly as it is written in the choices.")
                    % {"answers": ", ".join(f"“{a}”" for a in missing)},
                )
        elif choices:
            self.add_error("choices", _("Only a choice item has choices; clear this list or make it a choice item."))
        if kind == AnswerType.YES_NO:
            words = yes_no_labels()
            unknown = [a for a in answers if a not in words and a.lower() not in words]
            if unknown:
                self.add_error(
                    "noncompliant_answers",
                    _("A yes/no item is non-compliant on “%(yes)s” or “%(no)s” only, not on %(answers)s.")
                    % {"yes": _("Yes"), "no": _("No"), "answers": ", ".join(f"“{a}”" for a in unknown)},
                )
            else:
                data["noncompliant_answers"] = [words.get(a, words.get(a.lower())) for a in answers]
        elif kind != AnswerType.CHOICE and answers:
            self.add_error(
                "noncompliant_answers",
                _("Only a yes/no or a choice item has non-compliant answers; clear this list."),
            )
        return data


class ChecklistSectionForm(forms.ModelForm):
    class Meta:
        model = ChecklistSection
        fields = ("version", "order", "title_th", "title_en")
        labels = {
            "version": _("checklist version"),
            "order": _("order in the checklist"),
            "title_th": _("section name (Thai)"),
            "title_en": _("section name (English)"),
        }


class ChecklistTemplateForm(forms.ModelForm):
    class Meta:
        model = ChecklistTemplate
        fields = ("code", "title_th", "title_en", "description")
        labels = {
            "code": _("checklist code"),
            "title_th": _("checklist name (Thai)"),
            "title_en": _("checklist name (English)"),
        }
        help_texts = {"code": _("Short Latin letters, digits or hyphens, e.g. general; it cannot be changed later.")}


class ChecklistVersionForm(forms.ModelForm):
    class Meta:
        model = ChecklistVersion
        fields = ("notes",)
        labels = {
            "template": _("checklist template"),
            "number": _("version number"),
            "notes": _("what changed in this version"),
            "published_by": _("published by"),
        }


def titled_filter(filter_class, title):
    """A list filter of `filter_class` headed `title` (the field's own name is English)."""

    class Titled(filter_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    return Titled
