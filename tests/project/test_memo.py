"""What a process keeps of the shared cache's answers for a few seconds (project.memo): read once within
SECONDS, read again after; a change saved in this process seen at once, one saved by another process
within SECONDS."""

import pytest
from django.core.cache import cache

from project import memo
from workflows.inspection.flows import InspectionFlow
from workflows.models import SlaRule
from workflows.sla import rule_for

pytestmark = pytest.mark.django_db

INSPECT = "inspection/flows.InspectionFlow.inspect"  # the node's reference, as SlaRule keeps it


@pytest.fixture
def clock(monkeypatch):
    """The monotonic clock memo reads, moved by hand."""
    now = [1000.0]
    monkeypatch.setattr(memo.time, "monotonic", lambda: now[0])
    return now


def test_an_answer_is_read_once_within_seconds_and_again_after(clock):
    reads = []

    def read():
        reads.append(1)
        return len(reads)

    assert memo.kept("k", read) == memo.kept("k", read) == 1
    clock[0] += memo.SECONDS + 0.1
    assert memo.kept("k", read) == 2 and len(reads) == 2


def test_forget_drops_this_process_copy_and_the_shared_one(clock):
    assert memo.cached("kamkap:test", lambda: "old", None) == "old"
    memo.forget("kamkap:test")
    assert cache.get("kamkap:test") is None
    assert memo.cached("kamkap:test", lambda: "new", None) == "new"


def test_a_service_level_changed_here_shows_at_once_one_changed_elsewhere_within_seconds(clock):
    SlaRule.objects.create(flow_task=INSPECT, days=10)
    assert rule_for(InspectionFlow.inspect)[0] == 10
    rule = SlaRule.objects.get(flow_task=INSPECT)
    rule.days = 12
    rule.save()  # here: forgotten here and in the shared cache
    assert rule_for(InspectionFlow.inspect)[0] == 12

    SlaRule.objects.filter(pk=rule.pk).update(days=15)  # another process's save: its forget reaches the shared
    cache.delete(SlaRule.cache_key(INSPECT))  # cache only
    assert rule_for(InspectionFlow.inspect)[0] == 12  # this process's copy, for SECONDS
    clock[0] += memo.SECONDS + 0.1
    assert rule_for(InspectionFlow.inspect)[0] == 15


def test_too_many_keys_are_all_forgotten(clock, monkeypatch):
    monkeypatch.setattr(memo, "MAX_KEPT", 3)
    for n in range(3):
        memo.kept(f"k{n}", lambda n=n: n)
    memo.kept("k3", lambda: 3)
    assert set(memo._kept) == {"k3"}


def test_each_caller_gets_its_own_copy_of_a_kept_person(clock):
    """A request that keeps something on the person it was given (its access scope) does not give it to the
    next request."""
    from tests.factories import PersonFactory

    person = PersonFactory()
    first = memo.kept("person", lambda: person)
    first.__dict__["_kamkap_scope"] = "the first request's"
    second = memo.kept("person", lambda: person)
    assert second == person and second is not first and "_kamkap_scope" not in second.__dict__


def test_what_a_task_created_reads_asks_the_shared_cache_nothing_once_kept(clock, monkeypatch, today):
    """Who takes the task, how its owner signs, its node's service level and the closure days its due date
    counts over: read once, then (within SECONDS) from the process, no request to the shared cache (a round
    trip each with Redis)."""
    from org.models import PositionKind
    from org.workdays import add_working_days
    from tests.conftest import SONGKHLA, office, staff
    from workflows.roles import filler_for_office, signed_as

    officer, songkhla = staff(SONGKHLA, PositionKind.PROVINCIAL_OFFICER), office(SONGKHLA)

    def create_a_task():
        filler_for_office(PositionKind.PROVINCIAL_OFFICER, songkhla, today)
        signed_as(officer, PositionKind.PROVINCIAL_OFFICER, songkhla, today)
        rule_for(InspectionFlow.inspect)
        add_working_days(today, 10, songkhla.pk)

    create_a_task()
    requests = []
    for name in ("get", "get_many", "get_or_set", "set", "add", "delete"):
        method = getattr(cache, name)
        monkeypatch.setattr(cache, name, lambda *a, _m=method, _n=name, **k: requests.append(_n) or _m(*a, **k))

    create_a_task()
    assert requests == []
    clock[0] += memo.SECONDS + 0.1
    create_a_task()
    assert "get_many" in requests and "get" in requests  # read from the shared cache again
