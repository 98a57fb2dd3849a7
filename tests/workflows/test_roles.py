"""Who fills a role and how they sign are cached (workflows.roles); a change of the organisation
shows at once: an acting appointment, the end of a holding."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from org import services as org_services
from org.models import PositionKind
from project import memo
from tests.conftest import SONGKHLA, office, staff
from tests.factories import PersonFactory
from workflows.roles import filler_for_office, signed_as

pytestmark = pytest.mark.django_db


def test_answers_are_cached_until_the_organisation_changes(today):
    officer = staff(SONGKHLA, PositionKind.PROVINCIAL_OFFICER)
    songkhla = office(SONGKHLA)
    assert filler_for_office(PositionKind.PROVINCIAL_OFFICER, songkhla, today) == officer
    assert signed_as(officer, PositionKind.PROVINCIAL_OFFICER, songkhla, today) != ""
    with CaptureQueriesContext(connection) as queries:
        assert filler_for_office(PositionKind.PROVINCIAL_OFFICER, songkhla, today) == officer
        signed_as(officer, PositionKind.PROVINCIAL_OFFICER, songkhla, today)
    assert len(queries) == 0

    deputy = PersonFactory()
    position = officer.holdings.get().position
    org_services.appoint_acting(position=position, person=deputy, start=today, end=today + timedelta(days=3))
    assert filler_for_office(PositionKind.PROVINCIAL_OFFICER, songkhla, today) == deputy
    assert signed_as(deputy, PositionKind.PROVINCIAL_OFFICER, songkhla, today).startswith("รักษาราชการแทน")


def test_a_holding_that_ends_stops_the_signature_the_same_day(today):
    head = staff(SONGKHLA, PositionKind.GROUP_HEAD, start=date(2020, 10, 1))
    songkhla = office(SONGKHLA)
    assert signed_as(head, PositionKind.GROUP_HEAD, songkhla, today) != ""
    org_services.end_holding(holding=head.holdings.get(), end=today - timedelta(days=1))
    assert signed_as(head, PositionKind.GROUP_HEAD, songkhla, today) == ""
    assert filler_for_office(PositionKind.GROUP_HEAD, songkhla, today) != head


def test_a_kept_answer_is_read_with_the_generation_by_one_request_to_the_cache(today, monkeypatch):
    """With Redis each request to the cache is a round trip: the answer and the generation it belongs to are
    read together."""
    from django.core.cache import cache

    officer, songkhla = staff(SONGKHLA, PositionKind.PROVINCIAL_OFFICER), office(SONGKHLA)
    assert filler_for_office(PositionKind.PROVINCIAL_OFFICER, songkhla, today) == officer
    memo.forget_all()  # as another process, or this one project.memo.SECONDS later
    requests, inside = [], []

    def asked(name, method):
        def call(*args, **kwargs):
            if not inside:  # not the calls a local cache's get_many makes of its own get
                requests.append(name)
            inside.append(name)
            try:
                return method(*args, **kwargs)
            finally:
                inside.pop()

        return call

    for name in ("get", "get_many", "get_or_set", "set", "add"):
        monkeypatch.setattr(cache, name, asked(name, getattr(cache, name)))

    assert filler_for_office(PositionKind.PROVINCIAL_OFFICER, songkhla, today) == officer
    assert requests == ["get_many"]
