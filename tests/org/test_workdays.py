"""The working-day calendar: weekends, Thai public holidays with their substitution days, and the
closure days the process administrator enters (ministry-wide or one office's)."""

from datetime import date

import pytest

from org.models import ClosureDay
from org.workdays import add_working_days, is_working_day, working_days_between
from project import memo
from tests.conftest import LOPBURI, SONGKHLA, office

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "start, n, due",
    [
        (date(2027, 4, 9), 1, date(2027, 4, 12)),  # Friday → Monday (a weekend)
        (date(2027, 4, 12), 1, date(2027, 4, 16)),  # Songkran 13–15 April
        (date(2027, 4, 12), 3, date(2027, 4, 20)),
        (date(2026, 12, 30), 1, date(2027, 1, 4)),  # 31 Dec and 1 Jan, then a weekend
        (date(2026, 12, 4), 1, date(2026, 12, 8)),  # 5 Dec falls on a Saturday: Monday 7 Dec is its substitute
        (date(2027, 4, 30), 1, date(2027, 5, 5)),  # Labour Day on a Saturday → substitute Mon 3 May, then 4 May
        (date(2026, 9, 30), 1, date(2026, 10, 1)),  # the fiscal year's last day → the next year's first
        (date(2027, 9, 29), 2, date(2027, 10, 1)),
        (date(2027, 4, 13), 0, date(2027, 4, 16)),  # no days: the first working day from a holiday
        (date(2027, 4, 16), 0, date(2027, 4, 16)),
    ],
)
def test_working_days_are_counted_past_weekends_holidays_and_substitution_days(start, n, due):
    assert add_working_days(start, n) == due


def test_a_closure_day_counts_for_the_whole_ministry_or_only_its_office():
    songkhla, lopburi = office(SONGKHLA), office(LOPBURI)
    friday = date(2027, 6, 4)
    assert is_working_day(friday, songkhla.pk)
    ClosureDay.objects.create(day=friday, name="น้ำท่วม สอจ.สงขลา", office=songkhla)
    assert not is_working_day(friday, songkhla.pk)
    assert is_working_day(friday, lopburi.pk) and is_working_day(friday)
    assert add_working_days(date(2027, 6, 3), 1, songkhla.pk) == date(2027, 6, 7)
    ClosureDay.objects.create(day=date(2027, 6, 8), name="วันหยุดพิเศษ (ครม.)")
    assert add_working_days(date(2027, 6, 7), 1, lopburi.pk) == date(2027, 6, 9)
    ClosureDay.objects.filter(day=date(2027, 6, 8)).get().delete()
    assert add_working_days(date(2027, 6, 7), 1, lopburi.pk) == date(2027, 6, 8)


def test_working_days_between_two_days():
    assert working_days_between(date(2027, 4, 9), date(2027, 4, 19)) == 3  # 12, 16, 19 April
    assert working_days_between(date(2027, 4, 19), date(2027, 4, 9)) == -3
    assert working_days_between(date(2027, 4, 12), date(2027, 4, 12)) == 0


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2027, 4, 9), -1)


def test_the_administrator_enters_a_closure_day_and_due_dates_count_it(admin_client):
    from django.urls import reverse

    from workflows import audit

    songkhla = office(SONGKHLA)
    url = reverse("admin:org_closureday_add")
    response = admin_client.post(url, {"day": "04/06/2570", "name": "น้ำท่วม", "office": songkhla.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    closure = ClosureDay.objects.get()
    assert closure.day == date(2027, 6, 4)
    assert add_working_days(date(2027, 6, 3), 1, songkhla.pk) == date(2027, 6, 7)
    assert [entry.action for entry in audit.timeline(closure)] == ["admin.org.closureday.add"]


def test_a_count_reads_each_years_closures_from_the_cache_once(monkeypatch):
    """A shared cache is a round trip a read: counting 30 working days over the new year reads two years'
    closure days, not one for each day counted; the office's closure day is still skipped."""
    from django.core.cache import cache

    songkhla, start = office(SONGKHLA), date(2026, 12, 15)
    ClosureDay.objects.create(day=date(2027, 1, 8), name="น้ำท่วม สอจ.สงขลา", office=songkhla)
    ministry_due = add_working_days(start, 30)
    memo.forget_all()  # as another process, or this one SECONDS later
    reads = []
    get = cache.get
    monkeypatch.setattr(cache, "get", lambda key, *args, **kwargs: reads.append(key) or get(key, *args, **kwargs))

    due = add_working_days(start, 30, songkhla.pk)

    assert reads == ["kamkap:closures:2026", "kamkap:closures:2027"]
    assert due == add_working_days(ministry_due, 1) and working_days_between(start, due, songkhla.pk) == 30
