"""Grants computed from the organisation: who holds or acts for which position on a day, and
what that position's kind may do in the offices of its scope. Stored as guardian object
permissions on units; recomputed when the organisation changes and daily (acting windows)."""

from datetime import date

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from org.filling import roles_of
from org.models import ActingAssignment, Holding, Person, Position, PositionKind, Unit, UnitKind
from org.selectors import offices_under

from .models import UnitUserObjectPermission

SEE = "see_office"
WORK = "work_in_office"
MANAGE = "manage_registry"
OVERSEE = "oversee_office"
CODENAMES = (SEE, WORK, MANAGE, OVERSEE)

KIND_GRANTS: dict[str, tuple[str, ...]] = {
    PositionKind.INSPECTOR: (SEE, WORK),
    PositionKind.GROUP_HEAD: (SEE, WORK, MANAGE),
    PositionKind.PROVINCIAL_OFFICER: (SEE, WORK, MANAGE),
    PositionKind.ASSISTANT_PS: (SEE, OVERSEE),
    PositionKind.DEPUTY_PS: (SEE, OVERSEE),
    PositionKind.EXECUTIVE_VIEWER: (SEE,),
    PositionKind.PROCESS_ADMIN: (),
}


def scope_units(position: Position) -> list[Unit]:
    """The units whose offices a position covers: what it oversees, else its own unit."""
    return list(position.oversees.all()) or [position.unit]


def desired_grants(person: Person, on: date) -> set[tuple[str, int]]:
    wanted: set[tuple[str, int]] = set()
    for role in roles_of(person, on):
        codenames = KIND_GRANTS.get(role.position.kind, ())
        if not codenames:
            continue
        roots = scope_units(role.position)
        unit_ids = offices_under(roots)
        unit_ids |= {u.pk for u in roots if u.kind == UnitKind.MINISTRY}  # national scope marker
        wanted |= {(code, unit_id) for code in codenames for unit_id in unit_ids}
    return wanted


def _permissions() -> dict[str, Permission]:
    perms = Permission.objects.filter(content_type__app_label="org", codename__in=CODENAMES)
    return {p.codename: p for p in perms}


@transaction.atomic
def sync_for_person(person: Person, on: date | None = None) -> tuple[int, int]:
    """Make the person's stored grants match the organisation on `on` (today by default).
    Returns (added, removed)."""
    on = on or timezone.localdate()
    perms = _permissions()
    by_id = {p.pk: code for code, p in perms.items()}
    wanted = desired_grants(person, on)
    existing = {
        (by_id[perm_id], unit_id): row_id
        for row_id, perm_id, unit_id in UnitUserObjectPermission.objects.filter(
            user=person, permission__in=perms.values()
        ).values_list("pk", "permission_id", "content_object_id")
    }
    stale = [row_id for key, row_id in existing.items() if key not in wanted]
    missing = [key for key in wanted if key not in existing]
    if stale:
        UnitUserObjectPermission.objects.filter(pk__in=stale).delete()
    UnitUserObjectPermission.objects.bulk_create(
        [UnitUserObjectPermission(user=person, permission=perms[code], content_object_id=uid) for code, uid in missing]
    )
    person.__dict__.pop("_kamkap_scope", None)
    return len(missing), len(stale)


def sync_for_position(position: Position, on: date | None = None) -> None:
    people = set(Holding.objects.filter(position=position).values_list("person_id", flat=True))
    people |= set(ActingAssignment.objects.filter(position=position).values_list("person_id", flat=True))
    for person in Person.objects.filter(pk__in=people):
        sync_for_person(person, on)


def sync_all(on: date | None = None) -> tuple[int, int]:
    """Recompute everyone's grants (the daily job: acting windows open and close by date)."""
    people = set(Holding.objects.values_list("person_id", flat=True))
    people |= set(ActingAssignment.objects.values_list("person_id", flat=True))
    people |= set(UnitUserObjectPermission.objects.values_list("user_id", flat=True))
    added = removed = 0
    for person in Person.objects.filter(pk__in=people):
        a, r = sync_for_person(person, on)
        added, removed = added + a, removed + r
    return added, removed
