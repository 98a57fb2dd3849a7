"""Report kinds are data: the process administrator edits them (and their fields) in the Django admin;
filed reports are read-only there."""

import pytest
from django.urls import reverse

from org.demo import load_demo_org
from org.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, db):
    load_demo_org()
    client.force_login(Person.objects.get(username="admin"))
    return client


def test_administrator_edits_a_kind_and_its_fields(admin_client, kinds):
    rw = kinds["rw"]
    page = admin_client.get(reverse("admin:registry_reportkind_change", args=[rw.pk]))
    assert page.status_code == 200 and "wastewater_m3_per_day" in page.content.decode()
    assert admin_client.get(reverse("admin:registry_reportkind_changelist")).status_code == 200


def test_filed_reports_cannot_be_added_in_the_admin(admin_client, kinds):
    assert admin_client.get(reverse("admin:registry_selfreport_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:registry_selfreport_add")).status_code == 403
