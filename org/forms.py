"""Form fields shared by every screen: dates are typed and shown in the Buddhist era."""

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .calendar import BE_OFFSET

_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def parse_be_date(text: str) -> date:
    """`25/03/2567` (day/month/BE year) or ISO `2567-03-25` / `2024-03-25`; a year above 2400 is BE."""
    if match := _DMY.match(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise ValueError(text)
    return date(year - BE_OFFSET if year > 2400 else year, month, day)


class BEDateField(forms.DateField):
    widget = forms.TextInput(attrs={"placeholder": _("dd/mm/yyyy (B.E.)"), "inputmode": "numeric"})
    default_error_messages = {"invalid": _("Write the date as day/month/Buddhist-era year, e.g. 25/03/2567.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value
        try:
            return parse_be_date(str(value))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        if isinstance(value, date):
            return f"{value.day:02d}/{value.month:02d}/{value.year + BE_OFFSET}"
        return value
