"""Checking reported values against the field definitions of their kind: types, units, ranges, required.
Messages name the field and its unit, so that an operator (or a CSV row error) knows what to fix."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .models import ReportField, ValueType


def clean_value(field: ReportField, raw) -> Decimal | str | None:
    """One value as stored (Decimal for numbers, str for text, None when left empty); raises ValueError
    with the message to show."""
    if isinstance(raw, str):
        raw = raw.strip().replace(",", "") if field.value_type != ValueType.TEXT else raw.strip()
    if raw is None or raw == "":
        if field.required:
            raise ValueError(_("is required"))
        return None
    if field.value_type == ValueType.TEXT:
        return str(raw)[:500]
    try:
        number = Decimal(str(raw))
    except InvalidOperation:
        raise ValueError(_("must be a number")) from None
    if not number.is_finite():
        raise ValueError(_("must be a number"))
    if field.value_type == ValueType.INTEGER and number != number.to_integral_value():
        raise ValueError(_("must be a whole number"))
    unit = f" {field.unit}" if field.unit else ""
    low, high = field.min_value, field.max_value
    if (low is not None and number < low) or (high is not None and number > high):
        if low is not None and high is not None:
            message = _("must be between %(low)s and %(high)s%(unit)s")
        elif low is not None:
            message = _("must be at least %(low)s%(unit)s")
        else:
            message = _("must be at most %(high)s%(unit)s")
        return _raise(message % {"low": _plain(low), "high": _plain(high), "unit": unit})
    if number.as_tuple().exponent < -4 or abs(number) >= 10**14:
        raise ValueError(_("has too many digits"))
    return number


def _raise(message: str):
    raise ValueError(message)


def _plain(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def clean_values(fields: list[ReportField], values: dict) -> tuple[dict, dict[str, str]]:
    """(cleaned values by key, errors by key). A key the kind does not have is an error too."""
    known = {f.key for f in fields}
    cleaned, errors = {}, {}
    for key in values:
        if key not in known:
            errors[key] = _("is not a field of this report")
    for field in fields:
        try:
            value = clean_value(field, values.get(field.key))
        except ValueError as exc:
            errors[field.key] = f"{field.label}: {exc}"
            continue
        if value is not None:
            cleaned[field.key] = value
    return cleaned, errors
