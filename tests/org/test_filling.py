"""org.filling is the one resolver of who fills a position on a day and how they sign: acting first,
else the holder, vacant when neither; every caller (roles, chain, home page, dashboards, budget
reviews) reads it, and "in force on a day" is written once."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from dashboards.tracking import officers
from org import filling
from org import services as org_services
from org.models import ActingAssignment, Holding, PositionKind
from org.models.positions import ActingKind
from tests.conftest import SONGKHLA, office
from tests.factories import PersonFactory
from workflows import roles
from workflows.budget.reviews import _reviewer_as
from workflows.chain import resolve_chain
from workflows.models.approval import RuleSubject

pytestmark = pytest.mark.django_db

TITLE = "อุตสาหกรรมจังหวัดสงขลา"


@pytest.fixture
def position(db):
    return org_services.create_position(unit=office(SONGKHLA), kind=PositionKind.PROVINCIAL_OFFICER, title_th=TITLE)


def test_a_holding_is_in_force_from_its_start_to_its_end_inclusive(position, today):
    holding = org_services.appoint(position=position, person=PersonFactory(), start=today, end=today + timedelta(1))
    assert list(Holding.objects.active_on(today)) == [holding]
    assert list(Holding.objects.active_on(today + timedelta(1))) == [holding]
    assert not Holding.objects.active_on(today - timedelta(1)).exists()
    assert not Holding.objects.active_on(today + timedelta(2)).exists()
    holding.end = None
    holding.save()
    assert list(Holding.objects.active_on(date(2999, 1, 1))) == [holding]


def test_an_acting_assignment_is_in_force_from_its_start_to_its_end_inclusive(position, today):
    acting = org_services.appoint_acting(position=position, person=PersonFactory(), start=today, end=today)
    assert list(ActingAssignment.objects.active_on(today)) == [acting]
    assert not ActingAssignment.objects.active_on(today - timedelta(1)).exists()
    assert not ActingAssignment.objects.active_on(today + timedelta(1)).exists()


def test_the_acting_person_fills_the_position_before_its_holder(position, today):
    holder, deputy = PersonFactory(), PersonFactory()
    org_services.appoint(position=position, person=holder, start=date(2020, 10, 1))
    assert filling.filler_of(position, today) == (holder, None)
    acting = org_services.appoint_acting(position=position, person=deputy, start=today, end=today)
    assert filling.filler_of(position, today) == (deputy, acting)
    assert filling.filler_of(position, today + timedelta(1)) == (holder, None)
    assert roles.filler_for_office(PositionKind.PROVINCIAL_OFFICER, office(SONGKHLA), today) == deputy


def test_a_vacant_position_is_filled_by_nobody(position, today):
    org_services.appoint(position=position, person=PersonFactory(), start=date(2020, 10, 1), end=today - timedelta(1))
    assert filling.filler_of(position, today) == (None, None)
    assert filling.filler_among(filling.serving(PositionKind.PROVINCIAL_OFFICER, office(SONGKHLA)), today) is None
    [step] = resolve_chain(subject=RuleSubject.ORDER, office=office(SONGKHLA), on=today)[:1]
    assert step.vacant and step.signed_as == TITLE


@pytest.mark.parametrize(
    "kind, label", [(ActingKind.ACTING, f"รักษาราชการแทน {TITLE}"), (ActingKind.ON_BEHALF, f"ปฏิบัติราชการแทน {TITLE}")]
)
def test_every_reader_signs_an_acting_person_the_same_way(position, today, kind, label):
    deputy = PersonFactory()
    org_services.appoint_acting(position=position, person=deputy, start=today, end=today, kind=kind)
    songkhla = office(SONGKHLA)
    assert filling.signature(TITLE, kind) == label
    assert [role.label for role in filling.roles_of(deputy, today)] == [label]
    assert roles.signed_as(deputy, PositionKind.PROVINCIAL_OFFICER, songkhla, today) == label
    assert roles.acting_as(deputy, PositionKind.PROVINCIAL_OFFICER, songkhla, today) == label
    step = resolve_chain(subject=RuleSubject.ORDER, office=songkhla, on=today)[0]
    assert (step.person, step.signed_as) == (deputy, label)
    [row] = officers(songkhla, 2570, today=today, now=timezone.now())
    assert (row.person, row.titles) == (deputy, [label])


def test_a_holder_signs_with_the_bare_title_and_is_not_acting(position, today):
    holder = PersonFactory()
    org_services.appoint(position=position, person=holder, start=date(2020, 10, 1))
    songkhla = office(SONGKHLA)
    assert roles.signed_as(holder, PositionKind.PROVINCIAL_OFFICER, songkhla, today) == TITLE
    assert roles.acting_as(holder, PositionKind.PROVINCIAL_OFFICER, songkhla, today) == ""
    assert roles.signed_as(PersonFactory(), PositionKind.PROVINCIAL_OFFICER, songkhla, today) == ""


def test_a_reviewer_signs_as_the_position_overseeing_the_office(today, songkhla_cluster_aps):
    assert _reviewer_as(songkhla_cluster_aps, office(SONGKHLA), today) == "ผู้ช่วยปลัด"
    assert _reviewer_as(PersonFactory(), office(SONGKHLA), today) == ""


def test_in_force_on_a_day_is_written_only_in_the_models():
    """The condition was once copied into six modules; a new copy fails here."""
    root = Path(settings.BASE_DIR)
    apps = ["api", "dashboards", "org", "permissions", "registry", "workflows"]
    copies = [
        str(path.relative_to(root))
        for app in apps
        for path in (root / app).rglob("*.py")
        if "migrations" not in path.parts and "start__lte" in path.read_text(encoding="utf-8")
    ]
    assert copies == ["org/models/positions.py"]
