"""Who fills a role for an office on a day, and how their signature reads (acting included), cached.

The answers come from the one resolver, org.filling; they are read on every task created and every
signature, and change only when the organisation does: they are cached for a minute (ROLE_SECONDS) and
kept by each process for a few seconds (project.memo), and any change of a unit, position, holding or
acting assignment starts a new cache generation (`forget`, connected in apps.py), so this process sees it
at once and the others within project.memo.SECONDS (within the minute where no shared cache is set)."""

from datetime import date
from uuid import uuid4

from django.core.cache import cache

from org import filling
from org.models import Person, Unit
from project import memo

ROLE_SECONDS = 60
GENERATION = "kamkap:roles:generation"
KEPT = "kamkap:roles:"  # the keys of the answers, in the shared cache and in a process's memo


def forget(**_signal) -> None:
    """The organisation changed: the cached answers are not used again."""
    memo.forget(GENERATION)
    memo.forget_kept(KEPT)


def _cached(key: str, compute):
    key = KEPT + key
    return memo.kept(key, lambda: _shared(key, compute))


def _shared(key: str, compute):
    """The answer kept under `key` in the shared cache with the generation it was computed in, read with the
    generation by one request to the cache; an answer of an earlier generation is computed again."""
    found = cache.get_many([GENERATION, key])
    generation = found.get(GENERATION) or cache.get_or_set(GENERATION, lambda: uuid4().hex, None)
    kept = found.get(key)
    if kept is not None and kept[0] == generation:
        return kept[1]
    answer = compute()  # kept in a tuple, so that "nobody" is kept too
    cache.set(key, (generation, answer), ROLE_SECONDS)
    return answer


def filler_for_office(kind: str, office: Unit, on: date) -> Person | None:
    """The person who takes an office's `kind` task: someone acting for such a position first,
    else its holder (one query, then cached)."""
    key = f"filler:{kind}:{office.pk}:{on.isoformat()}"
    return _cached(key, lambda: filling.filler_among(filling.serving(kind, office), on))


def _signing(person: Person, kind: str, office: Unit, on: date) -> tuple[str, bool]:
    key = f"signing:{person.pk}:{kind}:{office.pk}:{on.isoformat()}"
    return _cached(key, lambda: filling.signing(person, filling.serving(kind, office), on))


def signed_as(person: Person, kind: str, office: Unit, on: date) -> str:
    """ "รักษาราชการแทน อุตสาหกรรมจังหวัดชัยนาท" when `person` acts for the office's `kind`,
    the position title when they hold it, "" otherwise (one query, then cached)."""
    return _signing(person, kind, office, on)[0]


def acting_as(person: Person, kind: str, office: Unit, on: date) -> str:
    """ "รักษาราชการแทน …" when `person` acts for the office's `kind`, "" when they hold it or neither
    (what the audit trail's "acting for" records; the same cached answer as `signed_as`)."""
    label, acting = _signing(person, kind, office, on)
    return label if acting else ""
