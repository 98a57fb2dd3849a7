"""Which factory types file a report kind is ticked in the admin, never typed as JSON."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(PersonFactory(is_superuser=True, is_staff=True))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
    return client


def kind_form(kind, **changes) -> dict:
    data = {
        "code": kind.code, "form_ref": kind.form_ref, "name_th": kind.name_th, "name_en": kind.name_en,
        "frequency": kind.frequency, "due_days": kind.due_days, "active": "on", "order": kind.order,
        "fields-TOTAL_FORMS": 0, "fields-INITIAL_FORMS": 0, "fields-MIN_NUM_FORMS": 0, "fields-MAX_NUM_FORMS": 1000,
    }  # fmt: skip
    return data | changes


def test_factory_types_are_ticked_and_stored_as_numbers(admin_client, kinds):
    kind = kinds["rw"]
    url = reverse("admin:registry_reportkind_change", args=[kind.pk])
    page = admin_client.get(url).content.decode()
    assert 'type="checkbox" name="factory_types" value="3"' in page and "e.g. [3]" not in page
    assert admin_client.post(url, kind_form(kind, factory_types=["3", "2"])).status_code == 302
    kind.refresh_from_db()
    assert kind.factory_types == [2, 3]
    assert admin_client.post(url, kind_form(kind)).status_code == 302
    kind.refresh_from_db()
    assert kind.factory_types == []  # none ticked: every type files


def test_an_unknown_type_is_refused_and_changes_nothing(admin_client, kinds):
    kind = kinds["rw"]
    before = kind.factory_types
    url = reverse("admin:registry_reportkind_change", args=[kind.pk])
    response = admin_client.post(url, kind_form(kind, factory_types=["4"]))
    assert response.status_code == 200 and "เลือกตัวเลือกที่ถูกต้อง" in response.content.decode()
    kind.refresh_from_db()
    assert kind.factory_types == before
