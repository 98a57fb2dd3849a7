"""One standard: the funnel limits against a worked example computed by hand, the rates and flags of
known inspectors, who may see whom (never a peer inspector, never another cluster's inspectors), the
drill-down to an inspector's cases and a constant number of queries."""

import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dashboards import funnel
from tests.factories import PersonFactory
from workflows.inspection.models import Answer, ChecklistItem, Outcome

from .conftest import case

pytestmark = pytest.mark.django_db


def test_the_95_limits_for_ten_inspections_at_a_half_are_the_hand_computed_ones():
    # Binomial(10, 0.5): P(R <= 1) = 11/1024, P(R <= 2) = 56/1024, P(R <= 7) = 968/1024, P(R <= 8) = 1013/1024.
    # Lower, q = 0.025: r = 2, alpha = (56/1024 - 0.025) / (45/1024) = 30.4/45, limit = (2 - alpha) / 10.
    # Upper, q = 0.975: r = 8, alpha = (1013/1024 - 0.975) / (45/1024) = 14.6/45, limit = (8 - alpha) / 10.
    lim = funnel.limits(10, 0.5)
    assert lim.lower95 == pytest.approx((2 - 30.4 / 45) / 10, abs=1e-9)  # 0.132444
    assert lim.upper95 == pytest.approx((8 - 14.6 / 45) / 10, abs=1e-9)  # 0.767556
    # q = 0.001: P(R <= 0) = 1/1024 = 0.000977 < 0.001 <= P(R <= 1): r = 1, alpha = (11/1024 - 0.001) / (10/1024)
    assert lim.lower998 == pytest.approx((1 - (11 - 1.024) / 10) / 10, abs=1e-9)


def test_for_many_inspections_the_limits_meet_the_normal_approximation():
    p0, n = 0.2, 1000
    half95, half998 = 1.959964 * math.sqrt(p0 * (1 - p0) / n), 3.090232 * math.sqrt(p0 * (1 - p0) / n)
    lim = funnel.limits(n, p0)
    assert lim.lower95 == pytest.approx(p0 - half95, abs=0.002) and lim.upper95 == pytest.approx(p0 + half95, abs=0.002)
    assert lim.lower998 == pytest.approx(p0 - half998, abs=0.003)
    assert lim.upper998 == pytest.approx(p0 + half998, abs=0.003)
    assert lim.lower998 < lim.lower95 < p0 < lim.upper95 < lim.upper998


def test_flags_say_which_way_and_how_far():
    assert funnel.flag(0, 30, 0.4) == (funnel.LENIENT, funnel.ALARM)
    assert funnel.flag(25, 30, 0.4) == (funnel.STRICT, funnel.ALARM)
    assert funnel.flag(12, 30, 0.4) == (None, None)
    direction, level = funnel.flag(6, 30, 0.4)  # 20 %: outside 95 % (about 22 %), inside 99.8 % (about 12 %)
    assert (direction, level) == (funnel.LENIENT, funnel.ALERT)


def inspections(office_unit, checklist, by, inspector, *, n: int, bad: int) -> None:
    """n signed-off inspections by `inspector`, `bad` of them non-compliant on item S1 (S2 always compliant)."""
    s1, s2 = ChecklistItem.objects.filter(section__version=checklist).order_by("code")
    now = timezone.now()
    for i in range(n):
        inspection = case(office_unit, checklist, by, signed=now, outcome=Outcome.COMPLIANT, inspector=inspector)
        Answer.objects.create(inspection=inspection, item=s1, value="no" if i < bad else "yes", compliant=i >= bad)
        Answer.objects.create(inspection=inspection, item=s2, number=5, compliant=True)


@pytest.fixture
def standard_world(world, checklist):
    strict, lenient, far = PersonFactory(), PersonFactory(), PersonFactory()
    inspections(world.songkhla, checklist, world.people.head, strict, n=20, bad=20)
    inspections(world.songkhla, checklist, world.people.head, lenient, n=20, bad=2)
    inspections(world.lopburi, checklist, world.people.lopburi_head, far, n=40, bad=10)
    return world, checklist, strict, lenient, far


def rows_of(response) -> dict:
    return {r.person_id: r for r in response.context["standard"].rows}


def test_rates_beside_the_office_and_the_nation_with_flags(client, standard_world):
    world, checklist, strict, lenient, far = standard_world
    client.force_login(world.people.deputy)
    url = reverse("dashboards:standard")
    response = client.get(url, {"template": checklist.template_id, "item": "S1"})
    assert response.status_code == 200
    s = response.context["standard"]
    assert (s.nation.bad, s.nation.n) == (32, 80)
    rows = rows_of(response)
    assert (rows[strict.pk].mine.bad, rows[strict.pk].mine.n) == (20, 20)
    assert (rows[strict.pk].office_rate.bad, rows[strict.pk].office_rate.n) == (22, 40)
    assert (rows[strict.pk].direction, rows[strict.pk].level) == (funnel.STRICT, funnel.ALARM)
    assert rows[lenient.pk].direction == funnel.LENIENT
    assert rows[far.pk].direction is None  # 25 % of 40 against 40 %: inside the 99.8 % limits
    assert (rows[far.pk].direction, rows[far.pk].level) == funnel.flag(10, 40, 0.4)
    html = response.content.decode()
    assert html.count('data-testid="funnel-point"') == 3 and 'data-testid="limit-998"' in html
    # the whole checklist: an inspection is non-compliant when any item was (S2 never is)
    whole = client.get(url, {"template": checklist.template_id})
    assert (whole.context["standard"].nation.bad, whole.context["standard"].nation.n) == (32, 80)


def test_an_assistant_ps_sees_their_clusters_inspectors_only_but_the_nation_counts_everyone(client, standard_world):
    world, checklist, strict, lenient, far = standard_world
    client.force_login(world.people.aps)
    response = client.get(reverse("dashboards:standard"), {"template": checklist.template_id, "item": "S1"})
    assert set(rows_of(response)) == {strict.pk, lenient.pk}
    assert far.display_name not in response.content.decode()
    assert response.context["standard"].nation.n == 80
    drill = {"template": checklist.template_id, "item": "S1", "inspector": far.pk}
    assert client.get(reverse("dashboards:standard"), drill).status_code == 404


def test_a_group_head_sees_their_offices_inspectors_and_their_cases(client, standard_world):
    world, checklist, strict, lenient, far = standard_world
    client.force_login(world.people.head)
    params = {"template": checklist.template_id, "item": "S1", "inspector": lenient.pk}
    response = client.get(reverse("dashboards:standard"), params)
    assert response.status_code == 200 and set(rows_of(response)) == {strict.pk, lenient.pk}
    cases = response.context["standard"].cases
    assert len(cases) == 20 and [c.non_compliant for c in cases].count(True) == 2
    assert cases[0].non_compliant and 'data-testid="standard-cases"' in response.content.decode()


def test_an_inspector_never_sees_their_peers(client, standard_world):
    world, checklist, strict, lenient, far = standard_world
    client.force_login(world.people.inspector)
    for params in ({}, {"template": checklist.template_id, "item": "S1", "inspector": strict.pk}):
        assert client.get(reverse("dashboards:standard"), params).status_code == 403


def test_unknown_template_item_or_inspector_is_not_found(client, standard_world):
    world, checklist, *_ = standard_world
    client.force_login(world.people.deputy)
    url = reverse("dashboards:standard")
    for params in ({"template": 99999}, {"template": "x"}, {"template": checklist.template_id, "item": "NOPE"},
                   {"template": checklist.template_id, "inspector": 99999}):  # fmt: skip
        assert client.get(url, params).status_code == 404


def test_the_funnel_costs_the_same_for_2_and_20_inspectors(client, world, checklist):
    inspectors = [PersonFactory() for _ in range(20)]
    for person in inspectors[:2]:
        inspections(world.songkhla, checklist, world.people.head, person, n=3, bad=1)
    client.force_login(world.people.deputy)
    params = {"template": checklist.template_id, "item": "S1", "inspector": inspectors[0].pk}

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("dashboards:standard"), params)
        assert response.status_code == 200
        return len(captured.captured_queries), len(response.context["standard"].rows)

    small, rows = count()
    assert rows == 2
    for person in inspectors[2:]:
        inspections(world.songkhla, checklist, world.people.head, person, n=3, bad=1)
    assert count() == (small, 20)
    assert small <= STANDARD_BUDGET


STANDARD_BUDGET = 10  # session, user, scope, notifications; the templates, items, rates and the cases
