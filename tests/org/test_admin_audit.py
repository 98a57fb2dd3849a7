"""What the process administrator changes in the organisation through the Django admin — a person, a
holding, an acting assignment, a position — enters the hash-chained audit trail with before and
after; a refused change writes nothing. Dates are typed and shown in the Buddhist era."""

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from org import services as org_services
from org.models import ActingAssignment, Holding, PositionKind
from tests.conftest import SONGKHLA, office
from tests.factories import PersonFactory
from tests.workflows.admin_text import english_parts
from workflows import audit
from workflows.models.audit import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return PersonFactory(is_superuser=True, is_staff=True, username="admin")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
    return client


@pytest.fixture
def position():
    return org_services.create_position(unit=office(SONGKHLA), kind=PositionKind.GROUP_HEAD, title_th="หัวหน้ากลุ่ม")


def entries(obj) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(chain=audit.chain_key(obj)).order_by("seq"))


def person_form(person, **changes) -> dict:
    return {
        "username": person.username, "title_th": person.title_th, "first_name": person.first_name,
        "last_name": person.last_name, "email": person.email, "is_active": "on",
    } | changes  # fmt: skip


def test_a_person_edited_in_the_admin_is_audited(admin_client, admin_user):
    person = PersonFactory(first_name="สมชาย", last_name="ใจดี")
    url = reverse("admin:org_person_change", args=[person.pk])
    response = admin_client.post(url, person_form(person, first_name="สมหญิง", is_active=""))
    assert response.status_code == 302
    [entry] = entries(person)
    assert entry.action == "admin.org.person.edit" and entry.actor == admin_user
    assert entry.before == {"first_name": "สมชาย", "is_active": True}
    assert entry.after == {"first_name": "สมหญิง", "is_active": False}
    assert not audit.verify(audit.chain_key(person))


def test_a_refused_edit_writes_nothing(admin_client):
    person, other = PersonFactory(), PersonFactory()
    url = reverse("admin:org_person_change", args=[person.pk])
    response = admin_client.post(url, person_form(person, username=other.username, first_name="ใหม่"))
    assert response.status_code == 200
    assert entries(person) == []


def test_the_password_never_enters_the_trail(admin_client):
    person = PersonFactory()
    admin_client.post(reverse("admin:org_person_delete", args=[person.pk]), {"post": "yes"})
    [entry] = AuditEntry.objects.filter(action="admin.org.person.delete")
    assert entry.before["username"] == person.username and "password" not in entry.before


def test_a_holding_added_changed_and_deleted_is_audited(admin_client, position):
    person = PersonFactory()
    add = {"position": position.pk, "person": person.pk, "start": "01/10/2568", "end": ""}
    assert admin_client.post(reverse("admin:org_holding_add"), add).status_code == 302
    holding = Holding.objects.get(person=person)
    assert holding.start == date(2025, 10, 1)  # typed in the Buddhist era
    url = reverse("admin:org_holding_change", args=[holding.pk])
    assert admin_client.post(url, add | {"end": "30/09/2569"}).status_code == 302
    assert admin_client.post(reverse("admin:org_holding_delete", args=[holding.pk]), {"post": "yes"}).status_code == 302
    added, ended, deleted = entries(holding)
    assert added.action == "admin.org.holding.add" and added.after["person"] == person.pk
    assert added.after["start"] == "2025-10-01"
    assert (ended.before, ended.after) == ({"end": None}, {"end": "2026-09-30"})
    assert deleted.action == "admin.org.holding.delete" and deleted.before["position"] == position.pk
    assert not Holding.objects.filter(pk=holding.pk).exists()


def test_an_acting_assignment_is_audited(admin_client, position):
    person = PersonFactory()
    data = {
        "position": position.pk, "person": person.pk, "kind": "acting", "start": "01/12/2569", "end": "31/12/2569",
        "order_ref": "คำสั่ง 12/2569",
    }  # fmt: skip
    assert admin_client.post(reverse("admin:org_actingassignment_add"), data).status_code == 302
    acting = ActingAssignment.objects.get(person=person)
    url = reverse("admin:org_actingassignment_change", args=[acting.pk])
    assert admin_client.post(url, data | {"end": "15/01/2570"}).status_code == 302
    added, changed = entries(acting)
    assert added.after["kind"] == "acting" and added.after["end"] == "2026-12-31"
    assert (changed.before, changed.after) == ({"end": "2026-12-31"}, {"end": "2027-01-15"})


def test_the_clusters_a_position_oversees_are_audited(admin_client, position):
    cluster = office(SONGKHLA).parent
    data = {"title_th": "หัวหน้ากลุ่ม", "title_en": "", "kind": position.kind, "unit": position.unit_id}
    url = reverse("admin:org_position_change", args=[position.pk])
    assert admin_client.post(url, data | {"oversees": [cluster.pk]}).status_code == 302
    [entry] = entries(position)
    assert (entry.before, entry.after) == ({"oversees": []}, {"oversees": [cluster.pk]})


def test_holding_pages_read_in_thai_with_buddhist_era_dates(admin_client, position):
    person = PersonFactory(username="somchai")
    holding = org_services.appoint(position=position, person=person, start=date(2025, 10, 1))
    listing = admin_client.get(reverse("admin:org_holding_changelist")).content.decode()
    assert "1 ต.ค. 2568" in listing and "2025" not in listing
    page = admin_client.get(reverse("admin:org_holding_change", args=[holding.pk])).content.decode()
    assert 'value="01/10/2568"' in page
    assert english_parts(page) == [] and english_parts(listing) == []
