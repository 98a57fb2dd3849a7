"""Which cases to write: most closed over ten years, about a tenth of the rest waiting at a human
step, and the two Songkhla inspectors' inboxes (several open cases per factory there: an inbox of
50,000 is more than Songkhla has factories)."""

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from org.models import Person

from .people import BIG_INBOX, SMALL_INBOX, Staff

OPEN_AT = ("assign", "inspect", "review", "sign_off")  # the human steps an open case waits at
REASONS = ("plan", "routine", "complaint")
HISTORY = timedelta(days=3650)


@dataclass(frozen=True)
class CaseSpec:
    staff: Staff
    factory: tuple[int, str]  # (pk, registration number)
    inspector: Person
    reason: str
    created: datetime
    waits_at: str | None  # None: closed


def _spread(start: datetime, end: datetime, index: int, count: int) -> datetime:
    return start + (end - start) * (index / max(count, 1))


def plan_cases(
    *, total: int, inbox: int, factories: dict[int, list], staff: dict[int, Staff], people: dict[str, Person],
    songkhla_id: int, now: datetime, seed: int = 5,
) -> Iterator[CaseSpec]:  # fmt: skip
    rng = random.Random(seed)
    inboxes = [(people[BIG_INBOX], inbox), (people[SMALL_INBOX], inbox // 10)]
    regular = total - sum(count for _person, count in inboxes)
    if regular < 0:
        raise SystemExit(f"--cases {total} is smaller than the inboxes ({inbox} + {inbox // 10}).")
    pool = [(office_id, factory) for office_id, rows in sorted(factories.items()) for factory in rows]
    rng.shuffle(pool)
    waiting = min(regular // 10, len(pool))  # consecutive in the round-robin: one open case per factory
    closed = regular - waiting
    for i in range(regular):
        office_id, factory = pool[i % len(pool)]
        office = staff[office_id]
        if i < closed:
            created, waits_at = _spread(now - HISTORY, now - timedelta(days=45), i, closed), None
        else:
            created = _spread(now - timedelta(days=40), now - timedelta(days=5), i - closed, waiting)
            waits_at = OPEN_AT[i % len(OPEN_AT)]
        yield CaseSpec(office, factory, office.inspector, rng.choice(REASONS), created, waits_at)
    songkhla = factories[songkhla_id]
    for person, count in inboxes:
        for j in range(count):
            created = _spread(now - timedelta(days=30), now - timedelta(days=5), j, count)
            yield CaseSpec(staff[songkhla_id], songkhla[j % len(songkhla)], person, "plan", created, "inspect")
