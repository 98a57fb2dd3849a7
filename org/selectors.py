"""Reads of the organisation."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from .models import ActingAssignment, Holding, Person, Position, Unit, UnitKind


@dataclass(frozen=True)
class Role:
    """A position a person fills on a day: held, or acted for (then `acting` says how)."""

    position: Position
    acting: ActingAssignment | None = None

    @property
    def label(self) -> str:
        if self.acting:
            return f"{self.acting.get_kind_display()} {self.position.title_th}"
        return self.position.title_th


def roles_of(person: Person, on: date) -> list[Role]:
    held = Holding.objects.filter(person=person, start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on))
    acting = ActingAssignment.objects.filter(person=person, start__lte=on, end__gte=on)
    related = ("position__unit__parent", "position__unit__province")
    roles = [Role(h.position) for h in held.select_related(*related)]
    roles += [Role(a.position, a) for a in acting.select_related(*related)]
    return roles


def holder_of(position: Position, on: date) -> Person | None:
    holding = (
        Holding.objects.filter(position=position, start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .select_related("person")
        .first()
    )
    return holding.person if holding else None


def offices_under(units: list[Unit]) -> set[int]:
    """Ids of the provincial offices at or below any of `units` (a group counts as its office)."""
    all_units = {u.pk: u for u in Unit.objects.only("pk", "kind", "parent_id")}
    roots = {u.pk for u in units}
    result = set()
    for unit in all_units.values():
        if unit.kind != UnitKind.OFFICE:
            continue
        node = unit
        while node is not None:
            if node.pk in roots:
                result.add(unit.pk)
                break
            node = all_units.get(node.parent_id)
    for unit in units:
        if unit.kind == UnitKind.GROUP and unit.parent_id:
            result.add(unit.parent_id)
    return result
