"""Filters for budget pages and documents: a month in Buddhist era, amounts in baht, Thai text of amounts."""

from decimal import Decimal

from bahttext import bahttext
from django import template

from org.calendar import MONTHS_EN_SHORT, MONTHS_TH_SHORT, be_year

register = template.Library()


@register.filter
def be_month(value, lang="th") -> str:
    """date(2023, 10, 1) → "ต.ค. 2566" ("Oct 2566" with "en")."""
    if not value:
        return ""
    names = MONTHS_EN_SHORT if str(lang).startswith("en") else MONTHS_TH_SHORT
    return f"{names[value.month - 1]} {be_year(value.year)}"


@register.filter
def baht(value) -> str:
    """1234567.5 → "1,234,567.50"; blank for None."""
    if value is None or value == "":
        return ""
    return f"{Decimal(str(value)):,.2f}"


@register.filter
def baht_text(value) -> str:
    """1234567.5 → "หนึ่งล้านสองแสนสามหมื่นสี่พันห้าร้อยหกสิบเจ็ดบาทห้าสิบสตางค์"."""
    if value is None or value == "":
        return ""
    return bahttext(float(value))
