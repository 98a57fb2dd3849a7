"""Case numbers: per office and fiscal year, one after the other, given in one statement, never twice
even to two openings at the same instant."""

from datetime import date

import pytest
from django.db import connection, transaction

from tests.conftest import office
from tests.factories import FactoryFactory
from tests.races import both_at_once
from workflows.inspection import services
from workflows.inspection.models import CaseCounter

pytestmark = pytest.mark.django_db

SONGKHLA, CHAINAT = 90, 18


def test_numbers_follow_each_other_per_office_and_fiscal_year(django_assert_num_queries):
    songkhla, chainat = office(SONGKHLA), office(CHAINAT)
    with django_assert_num_queries(1):  # the office's first number of the year: its counter made at 1
        first = services._next_ref_no(songkhla, date(2026, 9, 30))  # fiscal year 2569 ends on 30 September
    with django_assert_num_queries(1):
        second = services._next_ref_no(songkhla, date(2026, 9, 30))

    assert (first, second) == ("90-2569/0001", "90-2569/0002")
    assert services._next_ref_no(chainat, date(2026, 9, 30)) == "18-2569/0001"
    assert services._next_ref_no(songkhla, date(2026, 10, 1)) == "90-2570/0001"
    assert services._next_ref_no(songkhla, date(2026, 9, 1)) == "90-2569/0003"
    assert CaseCounter.objects.get(office=songkhla, fiscal_year=2569).last == 3


def test_a_number_is_not_given_when_the_opening_fails():
    songkhla = office(SONGKHLA)
    services._next_ref_no(songkhla, date(2026, 12, 3))
    with pytest.raises(RuntimeError), transaction.atomic():
        services._next_ref_no(songkhla, date(2026, 12, 3))
        raise RuntimeError

    assert services._next_ref_no(songkhla, date(2026, 12, 3)) == "90-2570/0002"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL (make test runs it)")
@pytest.mark.django_db(transaction=True)
def test_two_openings_at_the_same_instant_get_two_numbers(reference_data, songkhla, checklist):
    factories = [FactoryFactory(), FactoryFactory()]

    cases = both_at_once(lambda index: services.inspection_start(factory=factories[index], by=songkhla.head))

    numbers = sorted(case.ref_no.rsplit("/", 1)[1] for case in cases)
    assert numbers == ["0001", "0002"]
