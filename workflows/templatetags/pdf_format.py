"""Filters for documents (templates/pdf/)."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def plain_number(value) -> str:
    """A measured value as people write it: 18.5, 96, 1,250.75 — no trailing zeros, no exponent."""
    if value is None or value == "":
        return ""
    text = format(Decimal(str(value)), ",f")
    return text.rstrip("0").rstrip(".") if "." in text else text
