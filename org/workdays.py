"""The working-day calendar every service level counts in: Monday to Friday, less Thai public
holidays with their substitution days (the `holidays` package, country TH) and the closure days the
process administrator enters (org.models.ClosureDay: ministry-wide, or one office's).

`add_working_days(start, n)` is the one way a due date is counted in working days: the n-th working
day after `start` (start itself not counted; n = 0 gives `start` when it is a working day, else the
next one). Holidays are computed once per year and process; closures are read once per year and
cached until one is changed."""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.core.cache import cache

from .models.closures import CACHE_KEY, ClosureDay

SATURDAY = 5


@lru_cache(maxsize=32)
def public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("TH", years=year))


def _closures(year: int) -> tuple[tuple[date, int | None], ...]:
    key = CACHE_KEY.format(year=year)
    rows = cache.get(key)
    if rows is None:
        rows = tuple(ClosureDay.objects.filter(day__year=year).values_list("day", "office_id"))
        cache.set(key, rows, None)
    return rows


def is_working_day(day: date, office_id: int | None = None) -> bool:
    if day.weekday() >= SATURDAY or day in public_holidays(day.year):
        return False
    return not any(closed == day and office in (None, office_id) for closed, office in _closures(day.year))


def add_working_days(start: date, n: int, office_id: int | None = None) -> date:
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    if n == 0:
        while not is_working_day(day, office_id):
            day += timedelta(days=1)
        return day
    while n:
        day += timedelta(days=1)
        if is_working_day(day, office_id):
            n -= 1
    return day


def working_days_between(start: date, end: date, office_id: int | None = None) -> int:
    """Working days after `start` up to and including `end` (negative when `end` comes first)."""
    if end < start:
        return -working_days_between(end, start, office_id)
    return sum(is_working_day(start + timedelta(days=k), office_id) for k in range(1, (end - start).days + 1))
