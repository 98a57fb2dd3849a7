"""Writes to the organisation. Every change that alters who sees what recomputes the grants
of the people concerned (permissions.grants), in the same transaction."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from permissions import grants

from .errors import OrgError
from .geo import cluster_rows
from .models import ActingAssignment, Holding, Person, Position, PositionKind, Province, Unit, UnitKind

MINISTRY_CODE = "MOI"
OPS_CODE = "OPS"


@transaction.atomic
def build_org_tree() -> dict[str, int]:
    """Ministry → office of the PS → the 18 clusters → the 76 provincial offices (idempotent)."""
    ministry, _created = Unit.objects.get_or_create(
        code=MINISTRY_CODE,
        defaults={"kind": UnitKind.MINISTRY, "name_th": "กระทรวงอุตสาหกรรม", "name_en": "Ministry of Industry"},
    )
    ops, _created = Unit.objects.get_or_create(
        code=OPS_CODE,
        defaults={
            "kind": UnitKind.OPS,
            "parent": ministry,
            "name_th": "สำนักงานปลัดกระทรวงอุตสาหกรรม",
            "name_en": "Office of the Permanent Secretary",
        },
    )
    provinces = {p.code: p for p in Province.objects.all()}
    clusters, offices = {}, 0
    for row in cluster_rows():
        number = row["cluster_no"]
        if number not in clusters:
            clusters[number], _created = Unit.objects.get_or_create(
                code=f"CL{int(number):02d}",
                defaults={
                    "kind": UnitKind.CLUSTER,
                    "parent": ops,
                    "name_th": row["cluster_name_th"].strip(),
                    "name_en": row["cluster_name_en"].strip(),
                },
            )
        province = provinces[row["province_code"]]
        Unit.objects.get_or_create(
            code=f"OFF{province.code:02d}",
            defaults={
                "kind": UnitKind.OFFICE,
                "parent": clusters[number],
                "province": province,
                "name_th": f"สำนักงานอุตสาหกรรมจังหวัด{province.name_th}",
                "name_en": f"{province.name_en} Provincial Industry Office",
            },
        )
        offices += 1
    return {"clusters": len(clusters), "offices": offices}


def office_of_province(province_code: int) -> Unit | None:
    return Unit.objects.filter(kind=UnitKind.OFFICE, province_id=province_code).first()


@transaction.atomic
def create_group(*, office: Unit, code: str, name_th: str, name_en: str = "") -> Unit:
    if office.kind != UnitKind.OFFICE:
        raise OrgError(_("A group must sit inside a provincial industry office."))
    group, _created = Unit.objects.get_or_create(
        code=code, defaults={"kind": UnitKind.GROUP, "parent": office, "name_th": name_th, "name_en": name_en}
    )
    return group


@transaction.atomic
def create_position(
    *, unit: Unit, kind: str, title_th: str, title_en: str = "", oversees: list[Unit] | None = None
) -> Position:
    if kind not in PositionKind.values:
        raise OrgError(_("Unknown position kind: %(kind)s") % {"kind": kind})
    position, created = Position.objects.get_or_create(
        unit=unit, kind=kind, title_th=title_th, defaults={"title_en": title_en}
    )
    if oversees is not None:
        set_oversight(position=position, units=oversees)
    return position


@transaction.atomic
def set_oversight(*, position: Position, units: list[Unit]) -> None:
    """Which clusters/offices a position oversees (set by ministry order, changed yearly)."""
    bad = [u for u in units if u.kind not in (UnitKind.MINISTRY, UnitKind.CLUSTER, UnitKind.OFFICE)]
    if bad:
        raise OrgError(_("A position can oversee the ministry, clusters or offices only."))
    position.oversees.set(units)
    grants.sync_for_position(position)


def overlapping(qs, start: date, end: date | None) -> list:
    """The rows of `qs` whose period meets [start, end] (an open end runs forever)."""
    far = date.max
    return [h for h in qs if h.start <= (end or far) and start <= (h.end or far)]


@transaction.atomic
def appoint(*, position: Position, person: Person, start: date, end: date | None = None) -> Holding:
    """`person` holds `position` from `start`. A position has at most one holder at a time."""
    Position.objects.select_for_update().filter(pk=position.pk).first()
    if end is not None and end < start:
        raise OrgError(_("The end date is before the start date."), field="end")
    existing = Holding.objects.filter(position=position, person=person, start=start).first()
    if existing:
        return existing
    clash = overlapping(Holding.objects.filter(position=position).select_related("person"), start, end)
    if clash:
        raise OrgError(
            _("%(position)s is already held by %(person)s in that period.")
            % {"position": position, "person": clash[0].person}
        )
    holding = Holding.objects.create(position=position, person=person, start=start, end=end)
    grants.sync_for_person(person)
    return holding


@transaction.atomic
def end_holding(*, holding: Holding, end: date) -> Holding:
    if end < holding.start:
        raise OrgError(_("The end date is before the start date."), field="end")
    holding.end = end
    holding.save(update_fields=["end"])
    grants.sync_for_person(holding.person)
    return holding


@transaction.atomic
def appoint_acting(
    *, position: Position, person: Person, start: date, end: date, kind: str = "acting", order_ref: str = ""
) -> ActingAssignment:
    """`person` acts for `position` from `start` to `end` inclusive (one acting person at a time)."""
    if end < start:
        raise OrgError(_("The end date is before the start date."), field="end")
    holder_now = Holding.objects.filter(position=position, person=person).exists()
    if holder_now:
        raise OrgError(_("A person cannot act for a position they hold."))
    existing = ActingAssignment.objects.filter(position=position, person=person, start=start, end=end).first()
    if existing:
        return existing
    clash = overlapping(ActingAssignment.objects.filter(position=position).select_related("person"), start, end)
    if clash:
        raise OrgError(
            _("%(person)s already acts for %(position)s in that period.")
            % {"position": position, "person": clash[0].person}
        )
    acting = ActingAssignment.objects.create(
        position=position, person=person, start=start, end=end, kind=kind, order_ref=order_ref
    )
    grants.sync_for_person(person)
    return acting


def today() -> date:
    return timezone.localdate()
