from datetime import date, timedelta

import pytest
from django.utils import translation

from org import services as org_services
from org.models import PositionKind, Unit, UnitKind
from permissions import access, grants
from permissions.models import UnitUserObjectPermission
from tests.conftest import LOPBURI, SONGKHLA, office, staff
from tests.factories import FactoryFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_office_staff_see_only_their_office(songkhla_inspector):
    assert list(access.visible_offices(songkhla_inspector)) == [office(SONGKHLA)]


def test_grants_are_direct_fk_guardian_rows_on_the_office(songkhla_head):
    codenames = set(
        UnitUserObjectPermission.objects.filter(user=songkhla_head, content_object=office(SONGKHLA)).values_list(
            "permission__codename", flat=True
        )
    )
    assert codenames == {grants.SEE, grants.WORK, grants.MANAGE}
    assert songkhla_head.has_perm("org.see_office", office(SONGKHLA))  # guardian's own backend agrees
    assert not songkhla_head.has_perm("org.see_office", office(LOPBURI))


def test_assistant_ps_sees_every_office_of_the_cluster(songkhla_cluster_aps):
    cluster = office(SONGKHLA).parent
    expected = set(Unit.objects.filter(kind=UnitKind.OFFICE, parent=cluster).values_list("pk", flat=True))
    assert set(access.visible_offices(songkhla_cluster_aps).values_list("pk", flat=True)) == expected
    assert office(LOPBURI).pk not in expected


def test_deputy_ps_sees_the_clusters_overseen_and_may_not_edit_registry(db):
    ops = Unit.objects.get(code=org_services.OPS_CODE)
    clusters = [office(SONGKHLA).parent, office(LOPBURI).parent]
    position = org_services.create_position(unit=ops, kind=PositionKind.DEPUTY_PS, title_th="รองปลัด", oversees=clusters)
    deputy = PersonFactory()
    org_services.appoint(position=position, person=deputy, start=date(2020, 1, 1))
    songkhla, lopburi = FactoryFactory(), FactoryFactory(province_code=LOPBURI)
    bangkok = FactoryFactory(province_code=10, office=None)
    assert access.can(deputy, "view", songkhla) and access.can(deputy, "view", lopburi)
    assert not access.can(deputy, "view", bangkok)
    assert not access.can(deputy, "change", songkhla)


def test_national_executive_sees_factories_no_office_supervises(db):
    ministry = Unit.objects.get(code=org_services.MINISTRY_CODE)
    ops = Unit.objects.get(code=org_services.OPS_CODE)
    position = org_services.create_position(
        unit=ops, kind=PositionKind.EXECUTIVE_VIEWER, title_th="ผู้บริหาร", oversees=[ministry]
    )
    viewer = PersonFactory()
    org_services.appoint(position=position, person=viewer, start=date(2020, 1, 1))
    bangkok = FactoryFactory(province_code=10, office=None)
    assert access.can(viewer, "view", bangkok)
    assert not access.can(viewer, "change", bangkok)
    assert access.visible_offices(viewer).count() == 76


def test_acting_grants_follow_the_window(acting_songkhla_officer, today):
    person = acting_songkhla_officer
    factory = FactoryFactory()
    assert access.can(person, "change", factory)
    grants.sync_for_person(person, on=today + timedelta(days=2))  # the daily job after the window
    assert not access.can(person, "change", factory)
    grants.sync_for_person(person, on=today)
    assert access.can(person, "change", factory)


def test_grants_are_recomputed_when_a_holding_ends(songkhla_head, today):
    holding = songkhla_head.holdings.get()
    factory = FactoryFactory()
    assert access.can(songkhla_head, "change", factory)
    org_services.end_holding(holding=holding, end=today - timedelta(days=1))
    assert not access.can(songkhla_head, "view", factory)


def test_oversight_change_moves_the_assistant_ps_scope(songkhla_cluster_aps):
    position = songkhla_cluster_aps.holdings.get().position
    org_services.set_oversight(position=position, units=[office(LOPBURI).parent])
    assert access.can(songkhla_cluster_aps, "view", FactoryFactory(province_code=LOPBURI))
    assert not access.can(songkhla_cluster_aps, "view", FactoryFactory(province_code=SONGKHLA))


def test_a_position_has_one_holder_at_a_time(db):
    person = staff(SONGKHLA, PositionKind.PROVINCIAL_OFFICER)
    position = person.holdings.get().position
    with translation.override("en"), pytest.raises(org_services.OrgError, match="already held"):
        org_services.appoint(position=position, person=PersonFactory(), start=date(2024, 1, 1))


def test_sync_all_reports_no_change_when_nothing_changed(songkhla_head, lopburi_head):
    assert grants.sync_all() == (0, 0)


def test_scope_is_loaded_in_one_query(songkhla_head, django_assert_num_queries):
    fresh = type(songkhla_head).objects.get(pk=songkhla_head.pk)
    factories = [FactoryFactory() for _ in range(3)]
    with django_assert_num_queries(1):
        assert all(access.can(fresh, "change", f) for f in factories)
