"""workflows.keyset on its own, over people's last log-in (a nullable date, as a task's due date):
every row once across the pages forward and backward, ties broken by id, rows without a value last on
every database, at most two statements a page whatever the rows and never a COUNT."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from org.models import Person
from workflows import keyset

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 12, 1, 9, tzinfo=UTC)


def people(n: int, *, nulls: int = 0, tie_every: int = 3):
    """`n` people logged in at T0 + i // tie_every hours (so ties), then `nulls` never logged in."""
    made = [
        Person.objects.create(username=f"seek{i}", last_login=T0 + timedelta(hours=i // tie_every)) for i in range(n)
    ]
    made += [Person.objects.create(username=f"seekn{i}", last_login=None) for i in range(nulls)]
    return made


def expected(rows):
    return sorted(rows, key=lambda p: (p.last_login is None, p.last_login or T0, p.pk))


def seek(size):
    return keyset.Seek(Person.objects.filter(username__startswith="seek"), "last_login", size)


def walk_forward(pager):
    pages, page = [], pager.page(None)
    while True:
        pages.append([p.pk for p in page])
        if not page.next_cursor:
            return pages, page
        page = pager.page(page.next_cursor)


@pytest.mark.parametrize(("n", "nulls", "size"), [(10, 0, 3), (10, 4, 3), (7, 5, 4), (0, 5, 2), (6, 0, 6), (2, 2, 2)])
def test_every_row_once_forward_and_backward_in_order(n, nulls, size):
    rows = [p.pk for p in expected(people(n, nulls=nulls))]
    pager = seek(size)
    pages, last = walk_forward(pager)
    assert [pk for page in pages for pk in page] == rows
    assert all(len(page) == size for page in pages[:-1])
    back, page = [pages[-1]], last
    while page.previous_cursor:
        page = pager.page(page.previous_cursor)
        back.append([p.pk for p in page])
    assert back[::-1] == pages
    assert not page.has_previous


def test_count_only_when_every_row_is_on_the_first_page():
    people(3)
    assert seek(5).page().count == 3 and seek(5).page().more_than is None
    assert seek(3).page().count == 3
    page = seek(2).page()
    assert page.count is None and page.more_than == 2 and page.has_next
    assert seek(2).page(page.next_cursor).more_than is None


def test_a_row_added_before_the_cursor_does_not_shift_the_next_page():
    people(6, tie_every=1)
    pager = seek(3)
    first = pager.page()
    Person.objects.create(username="seek-early", last_login=T0 - timedelta(days=1))
    second = pager.page(first.next_cursor)
    assert [p.username for p in second] == ["seek3", "seek4", "seek5"]


@pytest.mark.parametrize("cursor", ["", "x", "!!!", "bm9uZQ", "WyJuIiwxLDJd", "WyJ6IixudWxsLDFd", "WyJuIiwiYmFkIiwxXQ"])
def test_a_cursor_not_ours_is_refused_or_read_as_the_first_page(cursor):
    people(4)
    pager = seek(2)
    first = [p.pk for p in pager.page()]
    if cursor:
        with pytest.raises(keyset.BadCursor):
            pager.page(cursor)
    assert [p.pk for p in pager.page_or_first(cursor)] == first


@pytest.mark.parametrize(("n", "statements"), [(3, 2), (30, 1)])
def test_at_most_two_statements_a_page_and_no_count(n, statements):
    """Two while the rows with a value do not fill the page (those without one are read after
    them), one when they do: never more for more rows."""
    people(n, nulls=2)
    pager = seek(5)
    with CaptureQueriesContext(connection) as first:
        page = pager.page()
    with CaptureQueriesContext(connection) as second:
        pager.page(page.next_cursor)
    assert len(first) == len(second) == statements
    assert not any("COUNT(" in q["sql"].upper() for q in [*first, *second])
