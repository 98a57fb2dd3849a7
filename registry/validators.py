"""Factory registration numbers: 14 digits; the first names the issuing body."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ISSUERS = {
    "1": _("Department of Industrial Works"),
    "2": _("Provincial industry office"),
    "7": _("Industrial Estate Authority of Thailand"),
}


def normalise_registration_number(value: str) -> str:
    """Drop the separators people type (`2-90-1-00123-2564` style) and spaces."""
    return "".join(ch for ch in str(value or "") if ch not in " -/.")


def validate_registration_number(value: str) -> None:
    number = normalise_registration_number(value)
    if len(number) != 14 or not number.isascii() or not number.isdigit():
        raise ValidationError(
            _("A factory registration number has exactly 14 digits (got “%(value)s”)."),
            code="reg_no_format",
            params={"value": value},
        )
    if number[0] not in ISSUERS:
        raise ValidationError(
            _("The first digit of a registration number names the issuer: 1, 2 or 7 (got %(digit)s)."),
            code="reg_no_issuer",
            params={"digit": number[0]},
        )
