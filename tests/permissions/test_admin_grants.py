"""Grants are shown in the admin, never made there: who may do what follows from the positions people
hold. Groups and guardian rows cannot be added, changed or deleted; an API token cannot be made for
someone else and its key is never shown; revoking one enters its owner's audit chain."""

from datetime import date

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from rest_framework.authtoken.models import Token

from org import services as org_services
from org.models import PositionKind
from permissions.models import UnitUserObjectPermission
from tests.conftest import SONGKHLA, office
from tests.factories import PersonFactory
from tests.workflows.admin_text import english_parts
from workflows import audit
from workflows.models.audit import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(PersonFactory(is_superuser=True, is_staff=True, username="admin"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
    return client


@pytest.fixture
def inspector():
    position = org_services.create_position(unit=office(SONGKHLA), kind=PositionKind.INSPECTOR, title_th="นักวิชาการ")
    person = PersonFactory()
    org_services.appoint(position=position, person=person, start=date(2020, 10, 1))
    return person


def test_a_group_cannot_be_made_or_given_permissions(admin_client):
    assert admin_client.post(reverse("admin:auth_group_add"), {"name": "ทุกสิทธิ์"}).status_code == 403
    group = Group.objects.create(name="กลุ่มเดิม")
    url = reverse("admin:auth_group_change", args=[group.pk])
    assert admin_client.post(url, {"name": "เปลี่ยนชื่อ", "permissions": []}).status_code == 403
    assert not Group.objects.filter(name="ทุกสิทธิ์").exists()
    group.refresh_from_db()
    assert group.name == "กลุ่มเดิม"


def test_grants_are_listed_in_thai_but_not_changed(admin_client, inspector):
    grant = UnitUserObjectPermission.objects.filter(user=inspector).first()
    listing = admin_client.get(reverse("admin:permissions_unituserobjectpermission_changelist"))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "ดูข้อมูลโรงงานและเรื่องของสำนักงานได้" in page and "see the office" not in page
    assert "Can add" not in page  # the filter lists the four rights of an office, not every permission
    url = reverse("admin:permissions_unituserobjectpermission_change", args=[grant.pk])
    assert admin_client.post(url, {"user": inspector.pk}).status_code == 403
    delete = reverse("admin:permissions_unituserobjectpermission_delete", args=[grant.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert admin_client.get(reverse("admin:permissions_unituserobjectpermission_add")).status_code == 403
    assert UnitUserObjectPermission.objects.filter(pk=grant.pk).exists()


def test_a_token_is_not_made_for_someone_else_nor_shown(admin_client, inspector):
    response = admin_client.post(reverse("admin:authtoken_tokenproxy_add"), {"user": inspector.pk})
    assert response.status_code == 403
    assert not Token.objects.filter(user=inspector).exists()
    token = Token.objects.create(user=inspector)
    listing = admin_client.get(reverse("admin:authtoken_tokenproxy_changelist")).content.decode()
    assert str(inspector) in listing and token.key not in listing


def test_revoking_a_token_is_audited(admin_client, inspector):
    Token.objects.create(user=inspector)
    url = reverse("admin:authtoken_tokenproxy_delete", args=[inspector.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Token.objects.filter(user=inspector).exists()
    [entry] = AuditEntry.objects.filter(chain=audit.chain_key(inspector))
    assert entry.action == "admin.token.revoke" and entry.actor.username == "admin"


def test_the_login_lock_pages_read_in_thai(admin_client):
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.create(
        user_agent="curl", ip_address="10.0.0.9", username="somchai", http_accept="text/html",
        path_info="/accounts/login/", get_data="", post_data="", failures_since_start=5,
    )  # fmt: skip
    data = {"curl", "somchai", "text", "html", "accounts", "login"}
    for url in (
        reverse("admin:axes_accessattempt_changelist"),
        reverse("admin:axes_accessattempt_change", args=[attempt.pk]),
    ):
        page = admin_client.get(url).content.decode()
        assert english_parts(page, data) == [], (url, english_parts(page, data))
        assert "การพยายามเข้าสู่ระบบ" in page
