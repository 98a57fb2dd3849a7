"""Who fills a role for an office on a day, and how their signature reads (acting included)."""

from datetime import date

from org.models import Person, PositionKind, Unit

from .chain import filler_of, position_for


def filler_for_office(kind: str, office: Unit, on: date) -> Person | None:
    """The person who takes an office's `kind` task: the acting person, else the holder."""
    if kind == PositionKind.GROUP_HEAD:
        from org.models import Position

        positions = Position.objects.filter(kind=kind, unit__parent=office).order_by("pk")
        for position in positions:
            person, _acting = filler_of(position, on)
            if person:
                return person
        return None
    position = position_for(kind, office)
    return filler_of(position, on)[0] if position else None


def signed_as(person: Person, kind: str, office: Unit, on: date) -> str:
    """ "รักษาราชการแทน อุตสาหกรรมจังหวัดชัยนาท" when `person` acts for the office's `kind`,
    the position title when they hold it, "" otherwise."""
    from org.selectors import roles_of

    for role in roles_of(person, on):
        position = role.position
        in_office = position.unit_id == office.pk or position.unit.parent_id == office.pk
        overseeing = position.oversees.filter(pk__in=[office.pk, office.parent_id]).exists()
        if position.kind == kind and (in_office or overseeing):
            return role.label
    return ""
