"""The planning configuration in the admin reads in Thai, with the Buddhist-era date of the last change."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.clock import at
from tests.conftest import SONGKHLA, office
from tests.factories import PersonFactory
from tests.workflows.admin_text import english_parts
from workflows.planning.models import OfficeCapacity

pytestmark = pytest.mark.django_db


@at(2026, 11, 16)
def test_office_capacity_pages_are_thai(client):
    admin = PersonFactory(is_superuser=True, is_staff=True, username="admin")
    client.force_login(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
    capacity = OfficeCapacity.objects.create(office=office(SONGKHLA), cases_per_inspector=6, updated_by=admin)
    for url in (
        reverse("admin:planning_officecapacity_changelist"),
        reverse("admin:planning_officecapacity_change", args=[capacity.pk]),
    ):
        page = client.get(url).content.decode()
        assert english_parts(page, {"admin"}) == [], url
        assert "16 พ.ย. 2569" in page and "แก้ไขโดย" in page
