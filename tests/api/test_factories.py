"""GET /api/factories/: officers see their offices' factories, operators their own, strangers none;
filters narrow; a page costs the same number of queries whatever its size."""

import pytest

from registry.models import FactoryStatus
from tests.api.conftest import queries_of
from tests.conftest import LOPBURI
from tests.factories import FactoryFactory
from tests.registry.selfreports.factories import OperatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_provinces(db):
    return FactoryFactory(name="โรงงานสงขลา"), FactoryFactory(name="โรงงานลพบุรี", province_code=LOPBURI)


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def test_officer_sees_only_the_factories_of_their_office(client, songkhla, two_provinces):
    ours, theirs = two_provinces
    client.force_login(songkhla.inspector)
    response = client.get("/api/factories/")
    assert response.status_code == 200
    assert ids(response) == {ours.pk}
    row = response.json()["results"][0]
    assert row["reg_no"] == ours.reg_no and row["office"]["id"] == songkhla.unit.pk
    assert row["province"]["code"] == 90 and row["web_url"].endswith(ours.get_absolute_url())


def test_officer_of_another_province_sees_nothing_and_gets_404(client, lopburi_officer, songkhla, two_provinces):
    ours, theirs = two_provinces
    client.force_login(lopburi_officer)
    assert ids(client.get("/api/factories/")) == {theirs.pk}
    assert client.get(f"/api/factories/{ours.pk}/").status_code == 404
    assert client.get(f"/api/factories/{theirs.pk}/").status_code == 200


def test_person_without_a_role_sees_an_empty_list(client, nobody, two_provinces):
    client.force_login(nobody)
    assert client.get("/api/factories/").json()["count"] == 0
    assert client.get(f"/api/factories/{two_provinces[0].pk}/").status_code == 404


def test_operator_sees_only_their_own_factory(client, two_provinces):
    link = OperatorFactory(factory=FactoryFactory(name="โรงงานของฉัน"))
    client.force_login(link.person)
    assert ids(client.get("/api/factories/")) == {link.factory.pk}
    assert client.get(f"/api/factories/{two_provinces[0].pk}/").status_code == 404


def test_filters_by_status_search_province_and_office(client, songkhla, two_provinces):
    ours, _theirs = two_provinces
    closed = FactoryFactory(name="โรงงานปิดแล้ว", status=FactoryStatus.CLOSED)
    client.force_login(songkhla.officer)
    assert ids(client.get("/api/factories/", {"status": "closed"})) == {closed.pk}
    assert ids(client.get("/api/factories/", {"q": "ปิดแล้ว"})) == {closed.pk}
    assert ids(client.get("/api/factories/", {"q": ours.reg_no})) == {ours.pk}
    assert ids(client.get("/api/factories/", {"province": LOPBURI})) == set()
    assert ids(client.get("/api/factories/", {"office": songkhla.unit.pk})) == {ours.pk, closed.pk}


def test_a_bad_filter_value_is_a_400(client, songkhla):
    client.force_login(songkhla.officer)
    response = client.get("/api/factories/", {"status": "exploded"})
    assert response.status_code == 400 and "status" in response.json()["fields"]


def test_list_queries_do_not_grow_with_the_page(client, songkhla):
    client.force_login(songkhla.officer)
    FactoryFactory.create_batch(5)
    small, body = queries_of(client, "/api/factories/")
    assert len(body["results"]) == 5
    FactoryFactory.create_batch(45)
    large, body = queries_of(client, "/api/factories/")
    assert len(body["results"]) == 50
    assert small == large, (small, large)


def test_pages_hold_fifty(client, songkhla):
    FactoryFactory.create_batch(51)
    client.force_login(songkhla.officer)
    first = client.get("/api/factories/").json()
    assert first["count"] == 51 and len(first["results"]) == 50 and first["next"]
    assert len(client.get(first["next"]).json()["results"]) == 1
