"""The process administrator edits each kind of order's wording and the letterheads in the Thai admin;
every edit enters the audit trail with before and after, and the next letter prints it."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import PersonFactory
from workflows import audit
from workflows.inspection.models import OrderWording

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(PersonFactory(is_superuser=True, is_staff=True, username="admin"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
    return client


def test_the_migration_seeds_a_wording_per_kind_of_order():
    assert sorted(OrderWording.objects.values_list("kind", flat=True)) == ["s37", "s37_stop", "s39"]
    assert all("อุทธรณ์" in w.appeal for w in OrderWording.objects.all())


def test_the_administrator_edits_the_appeal_clause_and_it_is_audited(admin_client):
    wording = OrderWording.objects.get(kind="s37")
    page = admin_client.get(reverse("admin:inspection_orderwording_change", args=[wording.pk]))
    assert page.status_code == 200 and "ข้อความแจ้งสิทธิอุทธรณ์" in page.content.decode()
    response = admin_client.post(
        reverse("admin:inspection_orderwording_change", args=[wording.pk]),
        {
            "kind": "s37",
            "subject": wording.subject,
            "legal_basis": wording.legal_basis,
            "appeal": "ท่านอาจอุทธรณ์ต่อรัฐมนตรีภายในสามสิบวัน",
            "delegated_from": wording.delegated_from,
        },
    )
    assert response.status_code == 302
    wording.refresh_from_db()
    assert wording.appeal == "ท่านอาจอุทธรณ์ต่อรัฐมนตรีภายในสามสิบวัน"
    entry = audit.timeline(wording).get()
    assert entry.after["appeal"] == wording.appeal and "มีสิทธิอุทธรณ์" in entry.before["appeal"]


def test_the_letterhead_list_and_form_open_in_thai(admin_client):
    assert admin_client.get(reverse("admin:inspection_letterhead_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:inspection_letterhead_add")).content.decode()
    assert "ตราครุฑ" in page and "ส่วนราชการเจ้าของเรื่อง" in page
