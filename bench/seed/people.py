"""Reference data through the project's own loaders (geography, organisation tree, demo people,
checklists, rules), staff for every office that has none, and the people the benchmarks log in as."""

import functools
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from org import services as org_services
from org.demo import DEMO_PASSWORD, load_demo_org
from org.geo import load_geography
from org.models import Person, Position, PositionKind, Unit, UnitKind
from workflows.demo import load_demo_rules
from workflows.inspection.demo import load_demo_checklists
from workflows.inspection.services import office_inspectors
from workflows.roles import filler_for_office, signed_as

SONGKHLA, LOPBURI = 90, 16
BIG_INBOX = "bench.inspector"  # owns --inbox open tasks
SMALL_INBOX = "bench.inspector10"  # owns --inbox/10 open tasks: same page, 10x fewer rows
STOCK_USER = "bench.stock"  # owns --inbox open tasks of the stock flow


@dataclass(frozen=True)
class Staff:
    """Who works the cases of one office, and how their signatures read."""

    office_id: int
    head: Person
    inspector: Person
    officer: Person
    head_as: str
    officer_as: str


def load_reference() -> Person:
    """Everything small and shared; returns the process administrator."""
    load_geography()
    with transaction.atomic():
        org_services.build_org_tree()
        load_demo_org()
    admin = Person.objects.get(username="admin")
    with transaction.atomic():
        load_demo_checklists(by=admin)
        load_demo_rules()
    return admin


@functools.cache
def _password() -> str:
    return make_password(DEMO_PASSWORD)  # hashing is slow on purpose: once for everyone


def _person(username: str, first_name: str, last_name: str) -> Person:
    defaults = {"first_name": first_name, "last_name": last_name, "title_th": "นาย", "password": _password()}
    return Person.objects.get_or_create(username=username, defaults=defaults)[0]


def _appoint(unit: Unit, kind: str, title_th: str, person: Person) -> None:
    position = org_services.create_position(unit=unit, kind=kind, title_th=title_th)
    org_services.appoint(position=position, person=person, start=date(2015, 10, 1))


@transaction.atomic
def staff_empty_offices() -> int:
    """A group head, an inspector and a provincial industry officer for each office without people."""
    staffed = set(Position.objects.filter(kind=PositionKind.GROUP_HEAD).values_list("unit__parent_id", flat=True))
    made = 0
    for office in Unit.objects.filter(kind=UnitKind.OFFICE).exclude(pk__in=staffed).select_related("province"):
        code, province = office.province_id, office.province.name_th
        group = org_services.create_group(office=office, code=f"OFF{code:02d}-G1", name_th="กลุ่มกำกับและส่งเสริมอุตสาหกรรม")
        _appoint(group, PositionKind.GROUP_HEAD, f"หัวหน้ากลุ่มกำกับและส่งเสริมอุตสาหกรรม สอจ.{province}",
                 _person(f"bench.{code}.head", "หัวหน้า", f"สอจ.{code}"))  # fmt: skip
        _appoint(group, PositionKind.INSPECTOR, f"นักวิชาการอุตสาหกรรม สอจ.{province}",
                 _person(f"bench.{code}.inspector", "นักวิชาการ", f"สอจ.{code}"))  # fmt: skip
        _appoint(office, PositionKind.PROVINCIAL_OFFICER, f"อุตสาหกรรมจังหวัด{province}",
                 _person(f"bench.{code}.pio", "อุตสาหกรรมจังหวัด", f"สอจ.{code}"))  # fmt: skip
        made += 1
    return made


@transaction.atomic
def bench_people() -> dict[str, Person]:
    """The two Songkhla inspectors with big and small inboxes, and the stock flow's user."""
    songkhla = Unit.objects.get(kind=UnitKind.OFFICE, province_id=SONGKHLA)
    group = Unit.objects.filter(parent=songkhla, kind=UnitKind.GROUP).order_by("pk").first()
    people = {}
    for username, label in ((BIG_INBOX, "กล่องงานใหญ่"), (SMALL_INBOX, "กล่องงานเล็ก")):
        people[username] = _person(username, "นักวิชาการ", label)
        _appoint(group, PositionKind.INSPECTOR, f"นักวิชาการอุตสาหกรรม ({label}) สอจ.สงขลา", people[username])
    stock = _person(STOCK_USER, "ผู้ใช้", "Viewflow")
    stock.user_permissions.add(
        Permission.objects.get(content_type__app_label="stockflow", codename="view_stockprocess")
    )
    people[STOCK_USER] = stock
    return people


def office_staff() -> dict[int, Staff]:
    """The staff of every office as the flow finds them (the same role rules the flow uses)."""
    today = timezone.localdate()
    staff = {}
    for office in Unit.objects.filter(kind=UnitKind.OFFICE).order_by("pk"):
        head = filler_for_office(PositionKind.GROUP_HEAD, office, today)
        officer = filler_for_office(PositionKind.PROVINCIAL_OFFICER, office, today)
        inspector = office_inspectors(office, today).exclude(username__in=[BIG_INBOX, SMALL_INBOX]).first()
        staff[office.pk] = Staff(
            office_id=office.pk,
            head=head,
            inspector=inspector,
            officer=officer,
            head_as=signed_as(head, PositionKind.GROUP_HEAD, office, today),
            officer_as=signed_as(officer, PositionKind.PROVINCIAL_OFFICER, office, today),
        )
    return staff
