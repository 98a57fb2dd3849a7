"""The figures of the dashboard on the known data set of conftest.py, counted by hand."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboards import tracking

pytestmark = pytest.mark.django_db


def figures(world, user=None):
    user = user or world.people.deputy
    ids = [world.songkhla.pk, world.neighbour.pk, world.lopburi.pk]
    return tracking.figures_by_office(user, world.fy, ids, now=timezone.now())


def test_songkhla_figures_are_the_hand_counted_ones(world):
    f = figures(world)[world.songkhla.pk]
    assert (f.planned, f.done, f.done_pct) == (4, 2, Decimal("50.00"))  # draft and last year's plans left out
    assert f.signed_off == 5  # a, b, c, e, f (g was signed off last year)
    assert (f.closed, f.compliant, f.compliance_pct) == (3, 2, Decimal("66.67"))  # a, b, e; a and e compliant
    assert f.open_cases == 6  # c, d, f and the three started through the flow
    assert (f.orders_s37, f.orders_s39) == (1, 1)  # complied and withdrawn orders are not in force
    assert f.overdue == 2
    assert (f.projects, f.behind) == (2, 1)  # the registered project does not count
    assert (f.allocation, f.disbursed) == (Decimal("1500000"), Decimal("500000"))  # unapproved report not counted
    assert f.disbursed_pct == Decimal("33.33")


def test_other_offices_figures(world):
    by_office = figures(world)
    neighbour, lopburi = by_office[world.neighbour.pk], by_office[world.lopburi.pk]
    assert (neighbour.closed, neighbour.compliant, neighbour.compliance_pct) == (1, 0, Decimal("0.00"))
    assert neighbour.planned == 0 and neighbour.done_pct is None and neighbour.disbursed_pct is None
    assert (lopburi.planned, lopburi.done, lopburi.closed, lopburi.compliant) == (2, 1, 1, 1)
    assert (lopburi.orders_s37, lopburi.orders_s39, lopburi.overdue) == (1, 0, 1)
    assert (lopburi.projects, lopburi.behind, lopburi.disbursed_pct) == (1, 0, Decimal("100.00"))


def test_clusters_sum_their_offices(world):
    board = tracking.ministry_board(world.people.deputy, world.fy)
    rows = {row.unit.pk: row.figures for row in board.rows}
    assert set(rows) == {world.songkhla.parent_id, world.lopburi.parent_id}
    south = rows[world.songkhla.parent_id]
    assert (south.planned, south.done, south.closed, south.compliant) == (4, 2, 4, 2)  # Songkhla + neighbour
    assert (board.total.planned, board.total.done, board.total.overdue) == (6, 3, 3)
    assert (board.total.orders_s37, board.total.orders_s39) == (2, 1)
    assert board.total.allocation == Decimal("1600000") and board.total.disbursed == Decimal("600000")


def test_last_years_figures_come_with_the_year_picker(client, world):
    client.force_login(world.people.deputy)
    page = client.get(reverse("dashboards:office", args=[world.songkhla.pk]), {"fy": world.fy - 1})
    assert page.status_code == 200
    data = page.context["data"]
    assert (data.figures.planned, data.figures.closed, data.figures.compliant) == (5, 1, 1)
    assert data.figures.projects == 0


def test_office_page_lists_officers_and_cases_with_links(client, world):
    client.force_login(world.people.deputy)
    response = client.get(reverse("dashboards:office", args=[world.songkhla.pk]))
    page = response.content.decode()
    officers = {o.person.pk: o for o in response.context["data"].officers}
    head = officers[world.people.head.pk]
    assert (head.open_tasks, head.overdue) == (3, 2)  # the group head owns the three "assign" tasks
    assert officers[world.people.inspector.pk].open_cases == 2  # c and d
    assert reverse("inspection:case", args=[world.overdue_case.pk]) in page
    assert world.overdue_case.ref_no in page
    cases = {c.pk: c for c in response.context["data"].cases}
    assert cases[world.overdue_case.pk].overdue
    assert response.context["data"].case_count == 9  # a–f and the three started ones (g was last year and closed)
    assert sum(c.overdue for c in cases.values()) == 2


def test_office_page_shows_its_cases_a_page_at_a_time(client, world, monkeypatch):
    monkeypatch.setattr(tracking, "CASE_PAGE", 4)  # 9 cases: pages of 4, 4 and 1
    client.force_login(world.people.deputy)
    url = reverse("dashboards:office", args=[world.songkhla.pk])
    pages = [client.get(url, {"page": n}) for n in (1, 2, 3)]
    rows = [[c.pk for c in r.context["data"].cases] for r in pages]
    assert [len(r) for r in rows] == [4, 4, 1]
    everything = [c.pk for c in tracking.office_board(world.people.deputy, world.fy, world.songkhla, page=None).cases]
    assert sum(rows, []) == everything and len(set(everything)) == 9  # newest first, none twice, none left out
    assert all(r.context["data"].case_count == 9 for r in pages)
    first, last = (p.content.decode() for p in (pages[0], pages[2]))
    assert "page=2#cases" in first and 'data-testid="cases-previous"' not in first
    assert "page=2#cases" in last and 'data-testid="cases-next"' not in last
    officer = client.get(url, {"officer": world.people.inspector.pk}).content.decode()  # 4 cases: one page
    assert 'data-testid="case-pager"' not in officer
    assert client.get(url, {"page": 9}).context["data"].cases == []  # past the end: nothing, no error
    assert [client.get(url, {"page": bad}).status_code for bad in ("x", "0", "-1")] == [404] * 3


def test_office_page_keeps_the_officer_across_its_pages(client, world, monkeypatch):
    monkeypatch.setattr(tracking, "CASE_PAGE", 3)
    client.force_login(world.people.deputy)
    url = reverse("dashboards:office", args=[world.songkhla.pk])
    page = client.get(url, {"officer": world.people.inspector.pk}).content.decode()
    assert f"officer={world.people.inspector.pk}&amp;page=2#cases" in page


def test_office_page_drills_down_to_one_officers_cases(client, world):
    client.force_login(world.people.aps)
    url = reverse("dashboards:office", args=[world.songkhla.pk])
    response = client.get(url, {"officer": world.people.inspector.pk})
    data = response.context["data"]
    assert data.officer.person == world.people.inspector
    assert data.case_count == 4 and {c.inspector_id for c in data.cases} == {world.people.inspector.pk}  # a–d
    assert (data.officer.open_cases, data.officer.signed_off) == (2, 3)  # c, d open; a, b, c signed off
    assert data.figures.planned == 4  # the office's figures stay whole
    assert client.get(url, {"officer": "x"}).status_code == 404
