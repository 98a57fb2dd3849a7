"""Who fills a role for an office on a day, and how their signature reads (acting included)."""

from datetime import date

from django.db.models import Exists, OuterRef, Q, Subquery

from org.models import ActingAssignment, Holding, Person, Position, Unit
from org.models.positions import ActingKind


def _positions(kind: str, office: Unit):
    """The positions of `kind` that serve `office`: in it, in one of its groups, or overseeing it."""
    where = Q(unit=office) | Q(unit__parent=office) | Q(oversees__in=[office.pk, office.parent_id])
    return Position.objects.filter(where, kind=kind)


def filler_for_office(kind: str, office: Unit, on: date) -> Person | None:
    """The person who takes an office's `kind` task: someone acting for such a position first,
    else its holder (one query)."""
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
    the position title when they hold it, "" otherwise (one query)."""
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
