"""Who fills a role for an office on a day, and how their signature reads (acting included).

Both answers are read on every task created and every signature, and change only when the
organisation does: they are cached for a minute (ROLE_SECONDS), and any change of a unit, position,
holding or acting assignment starts a new cache generation (`forget`, connected in apps.py), so this
process sees it at once and other processes within the minute."""

from datetime import date
from uuid import uuid4

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, Subquery

from org.models import ActingAssignment, Holding, Person, Position, Unit
from org.models.positions import ActingKind


def _positions(kind: str, office: Unit):
    """The positions of `kind` that serve `office`: in it, in one of its groups, or overseeing it."""
    where = Q(unit=office) | Q(unit__parent=office) | Q(oversees__in=[office.pk, office.parent_id])
    return Position.objects.filter(where, kind=kind)


ROLE_SECONDS = 60
GENERATION = "kamkap:roles:generation"


def forget(**_signal) -> None:
    """The organisation changed: the cached answers are not used again."""
    cache.delete(GENERATION)


def _cached(key: str, compute):
    generation = cache.get_or_set(GENERATION, lambda: uuid4().hex, None)
    key = f"kamkap:roles:{generation}:{key}"
    hit = cache.get(key)
    if hit is None:
        hit = (compute(),)  # a tuple, so that "nobody" is cached too
        cache.set(key, hit, ROLE_SECONDS)
    return hit[0]


def filler_for_office(kind: str, office: Unit, on: date) -> Person | None:
    """The person who takes an office's `kind` task: someone acting for such a position first,
    else its holder (one query, then cached)."""
    return _cached(f"filler:{kind}:{office.pk}:{on.isoformat()}", lambda: _filler(kind, office, on))


def _filler(kind: str, office: Unit, on: date) -> Person | None:
    positions = _positions(kind, office).values("pk")
    acting = ActingAssignment.objects.filter(position__in=positions, start__lte=on, end__gte=on)
    holding = Holding.objects.filter(position__in=positions, start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on))
    return (
        Person.objects.filter(Q(pk__in=acting.values("person")) | Q(pk__in=holding.values("person")))
        .annotate(is_acting=Exists(acting.filter(person=OuterRef("pk"))))
        .order_by("-is_acting", "pk")
        .first()
    )


def signed_as(person: Person, kind: str, office: Unit, on: date) -> str:
    """ "รักษาราชการแทน อุตสาหกรรมจังหวัดชัยนาท" when `person` acts for the office's `kind`,
    the position title when they hold it, "" otherwise (one query, then cached)."""
    key = f"signed:{person.pk}:{kind}:{office.pk}:{on.isoformat()}"
    return _cached(key, lambda: _signed_as(person, kind, office, on))


def _signed_as(person: Person, kind: str, office: Unit, on: date) -> str:
    holds = Holding.objects.filter(position=OuterRef("pk"), person=person, start__lte=on).filter(
        Q(end__isnull=True) | Q(end__gte=on)
    )
    acts = ActingAssignment.objects.filter(position=OuterRef("pk"), person=person, start__lte=on, end__gte=on)
    position = (
        _positions(kind, office)
        .annotate(acting_kind=Subquery(acts.values("kind")[:1]), holds=Exists(holds))
        .filter(Q(holds=True) | Q(acting_kind__isnull=False))
        .order_by("pk")
        .first()
    )
    if position is None:
        return ""
    if position.acting_kind:
        return f"{ActingKind(position.acting_kind).label} {position.title_th}"
    return position.title_th
