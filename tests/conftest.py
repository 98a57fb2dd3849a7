"""Shared fixtures. The official geography and the organisation tree are loaded once per test
database (they are reference data); each test builds the people it needs with factories."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from org import services as org_services
from org.geo import load_geography
from org.models import PositionKind, Unit, UnitKind
from project import memo
from tests.factories import PersonFactory
from tests.registry.selfreports.conftest import kinds  # noqa: F401 (the standard report kinds, for every test)

SONGKHLA, LOPBURI = 90, 16


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_geography()
        org_services.build_org_tree()


@pytest.fixture
def reference_data(transactional_db):
    """For a transactional test: the geography and organisation tree again (an earlier transactional test's
    flush emptied them)."""
    if not Unit.objects.exists():
        load_geography()
        org_services.build_org_tree()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached answers (SLA days, who fills a role) must not outlive the test whose rows they describe."""
    cache.clear()
    memo.forget_all()


def office(province_code: int) -> Unit:
    return Unit.objects.get(kind=UnitKind.OFFICE, province_id=province_code)


def staff(province_code: int, kind: str, *, start: date | None = None, username: str | None = None):
    """A person holding a fresh position of `kind` in the office of `province_code`."""
    unit = office(province_code)
    position = org_services.create_position(unit=unit, kind=kind, title_th=f"{kind} {unit.code} {username or ''}")
    person = PersonFactory(**({"username": username} if username else {}))
    org_services.appoint(position=position, person=person, start=start or date(2020, 10, 1))
    return person


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def songkhla_inspector(db):
    return staff(SONGKHLA, PositionKind.INSPECTOR)


@pytest.fixture
def songkhla_head(db):
    return staff(SONGKHLA, PositionKind.GROUP_HEAD)


@pytest.fixture
def lopburi_head(db):
    return staff(LOPBURI, PositionKind.GROUP_HEAD)


@pytest.fixture
def nobody(db):
    return PersonFactory()


@pytest.fixture
def songkhla_cluster_aps(db):
    ops = Unit.objects.get(code=org_services.OPS_CODE)
    position = org_services.create_position(
        unit=ops, kind=PositionKind.ASSISTANT_PS, title_th="ผู้ช่วยปลัด", oversees=[office(SONGKHLA).parent]
    )
    person = PersonFactory()
    org_services.appoint(position=position, person=person, start=date(2020, 10, 1))
    return person


@pytest.fixture
def acting_songkhla_officer(db, today):
    """Acts for the (vacant) Songkhla provincial industry officer from yesterday to tomorrow."""
    position = org_services.create_position(
        unit=office(SONGKHLA), kind=PositionKind.PROVINCIAL_OFFICER, title_th="อุตสาหกรรมจังหวัดสงขลา"
    )
    person = PersonFactory()
    org_services.appoint_acting(
        position=position, person=person, start=today - timedelta(days=1), end=today + timedelta(days=1)
    )
    return person


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded files of a test go to its own temporary folder, never into the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"
