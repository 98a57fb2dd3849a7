"""Template filters for dates a person reads: always Buddhist era. Loaded as a builtin."""

from django import template

from org.calendar import fiscal_year, format_be

register = template.Library()


@register.filter
def be_date(value, style="short"):
    """{{ d|be_date }} → 25 มี.ค. 2567; {{ d|be_date:"long" }} → 25 มีนาคม 2567."""
    return format_be(value, style)


@register.filter
def be_fiscal_year(value):
    return fiscal_year(value) if value else ""
