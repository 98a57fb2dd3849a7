"""Who fills a position on a day, and how they sign: the one resolver.

A position is filled on a day by the person acting for it (รักษาราชการแทน / ปฏิบัติราชการแทน) if
there is one, else by its holder; nobody means it is vacant. The signature block reads the position's
title, preceded by how the person acts for it when they do. "In force on a day" is
`Holding.objects.active_on(on)` / `ActingAssignment.objects.active_on(on)` (org.models.positions),
defined once there; everything here reads through them."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from .models import ActingAssignment, Holding, Person, Position, Unit
from .models.positions import ActingKind


def signature(title: str, acting_kind: str = "") -> str:
    """ "รักษาราชการแทน อุตสาหกรรมจังหวัดชัยนาท" for an acting person, the bare title for a holder."""
    if acting_kind:
        return f"{ActingKind(acting_kind).label} {title}"
    return title


@dataclass(frozen=True)
class Role:
    """A position a person fills on a day: held, or acted for (then `acting` says how)."""

    position: Position
    acting: ActingAssignment | None = None

    @property
    def label(self) -> str:
        return signature(self.position.title_th, self.acting.kind if self.acting else "")


def roles_of(person: Person, on: date) -> list[Role]:
    """Every position `person` fills on `on`, held ones first (two queries)."""
    related = ("position__unit__parent", "position__unit__province")
    roles = [Role(h.position) for h in Holding.objects.active_on(on).filter(person=person).select_related(*related)]
    acting = ActingAssignment.objects.active_on(on).filter(person=person).select_related(*related)
    return roles + [Role(a.position, a) for a in acting]


def holder_of(position: Position, on: date) -> Person | None:
    holding = Holding.objects.active_on(on).filter(position=position).select_related("person").first()
    return holding.person if holding else None


def filler_of(position: Position, on: date) -> tuple[Person | None, ActingAssignment | None]:
    """Who fills `position` on `on`, and their acting assignment when they act for it: the latest
    acting person first, else the holder; (None, None) when it is vacant."""
    acting = (
        ActingAssignment.objects.active_on(on).filter(position=position).select_related("person").order_by("-start")
    ).first()
    if acting is not None:
        return acting.person, acting
    return holder_of(position, on), None


def _oversees(office: Unit) -> Q:
    return Q(oversees__in=[office.pk, office.parent_id])


def serving(kind: str, office: Unit) -> QuerySet[Position]:
    """The positions of `kind` that serve `office`: in it, in one of its groups, or overseeing it."""
    return Position.objects.filter(Q(unit=office) | Q(unit__parent=office) | _oversees(office), kind=kind)


def overseeing(office: Unit) -> QuerySet[Position]:
    """The positions overseeing `office` or its cluster (assistant and deputy PS)."""
    return Position.objects.filter(_oversees(office))


def filler_among(positions: QuerySet[Position], on: date) -> Person | None:
    """Who fills one of `positions` on `on`: someone acting for one of them first, else a holder
    (one query)."""
    positions = positions.values("pk")
    acting = ActingAssignment.objects.active_on(on).filter(position__in=positions)
    holding = Holding.objects.active_on(on).filter(position__in=positions)
    return (
        Person.objects.filter(Q(pk__in=acting.values("person")) | Q(pk__in=holding.values("person")))
        .annotate(is_acting=Exists(acting.filter(person=OuterRef("pk"))))
        .order_by("-is_acting", "pk")
        .first()
    )


def signing(person: Person, positions: QuerySet[Position], on: date) -> tuple[str, bool]:
    """How `person` signs for one of `positions` on `on`, and whether they act for it:
    ("รักษาราชการแทน <title>", True) when acting, (title, False) when holding it, ("", False) when they
    fill none of them (one query)."""
    holds = Holding.objects.active_on(on).filter(position=OuterRef("pk"), person=person)
    acts = ActingAssignment.objects.active_on(on).filter(position=OuterRef("pk"), person=person)
    position = (
        positions.annotate(acting_kind=Subquery(acts.values("kind")[:1]), holds=Exists(holds))
        .filter(Q(holds=True) | Q(acting_kind__isnull=False))
        .order_by("pk")
        .first()
    )
    if position is None:
        return "", False
    return signature(position.title_th, position.acting_kind or ""), bool(position.acting_kind)


def people_in(where: Q, on: date) -> list[tuple[Person, str]]:
    """(person, signature) for every holding and acting assignment in force on `on` whose position
    matches `where` (on the holding or assignment, e.g. Q(position__unit=office)); two queries."""
    held = Holding.objects.active_on(on).filter(where).select_related("person", "position")
    acting = ActingAssignment.objects.active_on(on).filter(where).select_related("person", "position")
    return [(h.person, signature(h.position.title_th)) for h in held] + [
        (a.person, signature(a.position.title_th, a.kind)) for a in acting
    ]
