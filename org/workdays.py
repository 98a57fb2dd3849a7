"""The working-day calendar every service level counts in: Monday to Friday, less Thai public
holidays with their substitution days (the `holidays` package, country TH) and the closure days the
process administrator enters (org.models.ClosureDay: ministry-wide, or one office's).

`add_working_days(start, n)` is the one way a due date is counted in working days: the n-th working
day after `start` (start itself not counted; n = 0 gives `start` when it is a working day, else the
next one). Holidays are computed once per year and process; closures are read once per year and
cached until one is changed, and read from the cache once per year a count crosses."""

from datetime import date, timedelta
from functools import lru_cache

import holidays

from project import memo

from .models.closures import CACHE_KEY, ClosureDay

SATURDAY = 5


@lru_cache(maxsize=32)
def public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("TH", years=year))


def _closures(year: int) -> tuple[tuple[date, int | None], ...]:
    return memo.cached(
        CACHE_KEY.format(year=year),
        lambda: tuple(ClosureDay.objects.filter(day__year=year).values_list("day", "office_id")),
        None,
    )


def _working_days_of(office_id: int | None):
    """`is_working_day` for one office, each year's closures read from the cache once: a due date counts
    up to a few weeks of days, and with a shared cache (Redis) each read is a round trip."""
    closed: dict[int, frozenset[date]] = {}

    def working(day: date) -> bool:
        if day.weekday() >= SATURDAY or day in public_holidays(day.year):
            return False
        if day.year not in closed:
            closed[day.year] = frozenset(on for on, office in _closures(day.year) if office in (None, office_id))
        return day not in closed[day.year]

    return working


def is_working_day(day: date, office_id: int | None = None) -> bool:
    return _working_days_of(office_id)(day)


def add_working_days(start: date, n: int, office_id: int | None = None) -> date:
    if n < 0:
        raise ValueError("n must not be negative")
    working, day = _working_days_of(office_id), start
    if n == 0:
        while not working(day):
            day += timedelta(days=1)
        return day
    while n:
        day += timedelta(days=1)
        if working(day):
            n -= 1
    return day


def working_days_between(start: date, end: date, office_id: int | None = None) -> int:
    """Working days after `start` up to and including `end` (negative when `end` comes first)."""
    if end < start:
        return -working_days_between(end, start, office_id)
    working = _working_days_of(office_id)
    return sum(working(start + timedelta(days=k)) for k in range(1, (end - start).days + 1))
