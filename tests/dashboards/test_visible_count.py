"""How many cases a person may see, for a wide scope, summed from the offices' summary rows
(dashboards.selectors.visible_case_count, issue 20 item 3) equals permissions.access's count of the
cases themselves — for every person of the world (ministry, two clusters, one cluster, one office, no
office) — and stays equal after a new case once the worker's pass has run; and it costs one statement
after the scope, whatever the number of cases."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.selectors import visible_case_count
from dashboards.tasks import refresh_summaries
from permissions import access
from tests.factories import FactoryFactory, PersonFactory
from workflows.inspection import services
from workflows.inspection.models import Inspection

pytestmark = pytest.mark.django_db


def direct(person) -> int:
    return access.visible(person, Inspection.objects.all()).count()


def test_the_summed_count_equals_the_direct_count_for_every_scope(world, checklist):
    people = world.people
    everyone = [people.executive, people.deputy, people.aps, people.pio, people.head, people.inspector,
                people.lopburi_head, PersonFactory()]  # fmt: skip
    counts = [(visible_case_count(p), direct(p)) for p in everyone]
    assert all(summed == counted for summed, counted in counts), counts
    assert counts[0][0] == Inspection.objects.count() and counts[-1] == (0, 0)
    assert counts[1][0] > counts[2][0] > 0  # two clusters, one cluster

    services.inspection_start(factory=FactoryFactory(province_code=world.songkhla.province_id), by=people.head)
    refresh_summaries()  # the worker's pass
    assert [visible_case_count(p) for p in everyone] == [direct(p) for p in everyone]


def test_the_summed_count_is_one_statement_after_the_scope(world):
    deputy = world.people.deputy
    access.scope_of(deputy)
    with CaptureQueriesContext(connection) as queries:
        visible_case_count(deputy)
    assert len(queries) == 1 and "dashboards_officestate" in queries[0]["sql"]
