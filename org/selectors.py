"""Reads of the organisation (who fills a position and how they sign: org.filling)."""

from .models import Unit, UnitKind


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
