"""Who may see and edit a Songkhla factory, through the real screens: the status code *and*
that nothing changed when refused."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from permissions import grants
from registry.models import Factory
from tests.factories import FactoryFactory

pytestmark = pytest.mark.django_db


def edit_payload(factory: Factory, **changes) -> dict:
    data = {
        "reg_no": factory.reg_no,
        "name": factory.name,
        "operator": factory.operator,
        "factory_type": factory.factory_type,
        "category_code": factory.category_code,
        "jurisdiction": factory.jurisdiction,
        "address": factory.address,
        "province": factory.province_id,
        "district": factory.district_id,
        "sub_district": factory.sub_district_id,
        "machinery_hp": factory.machinery_hp,
        "workers": factory.workers,
        "status": factory.status,
        "latitude": "",
        "longitude": "",
        "licence_issued_on": "",
        "operating_since": "",
    }
    return {**data, **changes}


def snapshot(factory: Factory) -> dict:
    return Factory.objects.filter(pk=factory.pk).values().get()


@pytest.fixture
def factory(db):
    return FactoryFactory(name="บริษัท สงขลายางแผ่น จำกัด")


def attempt_edit(client, user, factory):
    if user is not None:
        client.force_login(user)
    url = reverse("registry:factory:change", args=[factory.pk])
    return client.post(url, edit_payload(factory, name="ชื่อใหม่"))


def test_anonymous_is_sent_to_login_and_nothing_changes(client, factory):
    before = snapshot(factory)
    response = attempt_edit(client, None, factory)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert snapshot(factory) == before


def test_person_without_role_is_refused_and_nothing_changes(client, factory, nobody):
    before = snapshot(factory)
    assert attempt_edit(client, nobody, factory).status_code == 403
    assert client.get(reverse("registry:factory:detail", args=[factory.pk])).status_code == 403
    assert snapshot(factory) == before


def test_group_head_of_another_province_cannot_find_it(client, factory, lopburi_head):
    before = snapshot(factory)
    assert attempt_edit(client, lopburi_head, factory).status_code == 404
    assert client.get(reverse("registry:factory:detail", args=[factory.pk])).status_code == 404
    assert factory.name not in client.get(reverse("registry:factory:list")).content.decode()
    assert snapshot(factory) == before


def test_inspector_of_the_office_may_read_but_not_edit(client, factory, songkhla_inspector):
    before = snapshot(factory)
    assert attempt_edit(client, songkhla_inspector, factory).status_code == 403
    assert client.get(reverse("registry:factory:detail", args=[factory.pk])).status_code == 200
    assert snapshot(factory) == before


def test_group_head_of_the_office_edits(client, factory, songkhla_head):
    response = attempt_edit(client, songkhla_head, factory)
    assert response.status_code == 302
    assert Factory.objects.get(pk=factory.pk).name == "ชื่อใหม่"


def test_acting_officer_edits_inside_the_window(client, factory, acting_songkhla_officer):
    assert attempt_edit(client, acting_songkhla_officer, factory).status_code == 302
    assert Factory.objects.get(pk=factory.pk).name == "ชื่อใหม่"


def test_acting_officer_is_refused_outside_the_window(client, factory, acting_songkhla_officer, today):
    grants.sync_for_person(acting_songkhla_officer, on=today + timedelta(days=5))
    before = snapshot(factory)
    assert attempt_edit(client, acting_songkhla_officer, factory).status_code == 403  # no scope left at all
    assert snapshot(factory) == before


def test_assistant_ps_reads_the_cluster_but_does_not_edit(client, factory, songkhla_cluster_aps):
    before = snapshot(factory)
    assert attempt_edit(client, songkhla_cluster_aps, factory).status_code == 403
    assert client.get(reverse("registry:factory:detail", args=[factory.pk])).status_code == 200
    assert snapshot(factory) == before


def test_factory_list_shows_only_the_office_rows(client, songkhla_inspector):
    mine = FactoryFactory(name="โรงงานของสงขลา")
    other = FactoryFactory(name="โรงงานของลพบุรี", province_code=16)
    client.force_login(songkhla_inspector)
    page = client.get(reverse("registry:factory:list")).content.decode()
    assert mine.name in page and other.name not in page


def test_factory_list_query_count_does_not_grow_with_rows(client, songkhla_inspector):
    client.force_login(songkhla_inspector)
    FactoryFactory.create_batch(3)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("registry:factory:list"))
    FactoryFactory.create_batch(20)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("registry:factory:list"))
    assert len(many) == len(few) <= 12
