"""The approval-rule editor of the process administrator: levels are ticked, kinds and severities are
picked from lists, nothing is typed as JSON; a bad rule gets a Thai message and changes nothing; the
page is Thai, with dates in the Buddhist era and the bundled Sarabun."""

import json

import pytest
from django.conf import settings
from django.urls import reverse

from tests.clock import at
from tests.factories import PersonFactory
from tests.workflows.admin_text import english_parts
from workflows import audit
from workflows.models import ApprovalRule
from workflows.models.audit import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(PersonFactory(is_superuser=True, is_staff=True, username="admin"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
    return client


@pytest.fixture
def rule():
    return ApprovalRule.objects.create(
        subject="order", name="คำสั่ง ม.39", order_kind="s39", levels=["provincial_officer", "assistant_ps"]
    )


def form(**changes) -> dict:
    return {
        "subject": "order", "name": "คำสั่ง ม.39 — ถึงรองปลัดกระทรวง", "order_kind": "s39", "min_severity": "",
        "min_amount": "", "levels": ["provincial_officer", "assistant_ps"], "priority": 10, "active": "on",
    } | changes  # fmt: skip


def change_url(rule) -> str:
    return reverse("admin:workflows_approvalrule_change", args=[rule.pk])


def test_levels_are_ticked_not_typed(admin_client, rule):
    page = admin_client.get(change_url(rule)).content.decode()
    assert 'type="checkbox" name="levels" value="provincial_officer"' in page
    assert 'type="checkbox" name="levels" value="deputy_ps"' in page
    assert '<textarea name="levels"' not in page and '["provincial_officer"' not in page
    assert '<select name="order_kind"' in page and '<select name="min_severity"' in page


def test_ticked_levels_are_stored_climbing_the_chain(admin_client, rule):
    response = admin_client.post(change_url(rule), form(levels=["deputy_ps", "provincial_officer", "assistant_ps"]))
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.levels == ["provincial_officer", "assistant_ps", "deputy_ps"]
    assert rule.name == "คำสั่ง ม.39 — ถึงรองปลัดกระทรวง" and rule.priority == 10


def test_a_new_rule_is_made_from_picked_values(admin_client):
    data = form(name="ม.37 วิกฤต", order_kind="s37", min_severity="3", levels=["provincial_officer", "assistant_ps"])
    assert admin_client.post(reverse("admin:workflows_approvalrule_add"), data).status_code == 302
    rule = ApprovalRule.objects.get(name="ม.37 วิกฤต")
    assert (rule.order_kind, rule.min_severity, rule.levels) == ("s37", 3, ["provincial_officer", "assistant_ps"])


def test_blank_order_kind_means_any_kind(admin_client, rule):
    assert admin_client.post(change_url(rule), form(order_kind="")).status_code == 302
    rule.refresh_from_db()
    assert rule.order_kind == "" and rule.min_severity is None


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"levels": []}, "levels", "เลือกผู้อนุมัติอย่างน้อยหนึ่งระดับ"),
        ({"levels": ["provincial_officer", "executive_viewer"]}, "levels", "executive_viewer"),
        ({"order_kind": "s99"}, "order_kind", "เลือกตัวเลือกที่ถูกต้อง"),
        ({"subject": "budget_project"}, "order_kind", "เกณฑ์สำหรับโครงการงบประมาณไม่มีประเภทคำสั่ง"),
        ({"min_amount": "100000"}, "min_amount", "เกณฑ์สำหรับคำสั่งให้ปรับปรุงแก้ไขไม่มีวงเงิน"),
    ],
)
def test_a_bad_rule_is_refused_in_thai_and_changes_nothing(admin_client, rule, changes, field, message):
    response = admin_client.post(change_url(rule), form(name="ชื่อใหม่ที่ยังไม่บันทึก", **changes))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors[field])
    page = response.content.decode()
    assert "กรุณาแก้ไขข้อผิดพลาดด้านล่าง" in page and "Please correct" not in page
    assert 'value="ชื่อใหม่ที่ยังไม่บันทึก"' in page  # what was typed is still there
    rule.refresh_from_db()
    assert rule.name == "คำสั่ง ม.39" and rule.levels == ["provincial_officer", "assistant_ps"]
    assert not AuditEntry.objects.filter(chain=audit.chain_key(rule)).exists()


def test_a_change_enters_the_audit_chain_with_before_and_after(admin_client, rule):
    admin_client.post(change_url(rule), form(levels=["provincial_officer", "assistant_ps", "deputy_ps"]))
    entry = AuditEntry.objects.filter(chain=audit.chain_key(rule)).get()
    assert entry.before["levels"] == ["provincial_officer", "assistant_ps"]
    assert entry.after["levels"] == ["provincial_officer", "assistant_ps", "deputy_ps"]
    assert entry.actor.username == "admin"


def test_the_editor_and_the_list_are_thai(admin_client, rule):
    data = {"คำสั่ง"}
    for url in (change_url(rule), reverse("admin:workflows_approvalrule_add")):
        page = admin_client.get(url).content.decode()
        assert english_parts(page, data) == [], url
        assert "ผู้อนุมัติ" in page and "อุตสาหกรรมจังหวัด" in page and "พิมพ์เพื่อค้นหาเมนู" in page
    listing = admin_client.get(reverse("admin:workflows_approvalrule_changelist")).content.decode()
    assert english_parts(listing, data) == []
    assert "อุตสาหกรรมจังหวัด → ผู้ช่วยปลัดกระทรวง" in listing and "[&quot;" not in listing
    refused = admin_client.post(change_url(rule), form(levels=[])).content.decode()
    assert english_parts(refused, data) == []


@at(2026, 11, 16)
def test_dates_read_in_the_buddhist_era(admin_client):
    rule = ApprovalRule.objects.create(subject="order", name="กฎ", levels=["provincial_officer"])
    listing = admin_client.get(reverse("admin:workflows_approvalrule_changelist")).content.decode()
    assert "16 พ.ย. 2569" in listing and "2026" not in listing
    assert "16 พ.ย. 2569" in admin_client.get(change_url(rule)).content.decode()


def test_the_admin_uses_the_bundled_sarabun(admin_client, rule):
    page = admin_client.get(change_url(rule)).content.decode()
    assert "/static/kamkap/admin.css" in page
    css = (settings.BASE_DIR / "templates" / "static" / "kamkap" / "admin.css").read_text()
    assert 'url("../sarabun/Sarabun-Regular.ttf")' in css and "fonts.googleapis" not in css


def test_a_deleted_rule_stays_in_the_audit_chain(admin_client, rule):
    url = reverse("admin:workflows_approvalrule_delete", args=[rule.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not ApprovalRule.objects.filter(pk=rule.pk).exists()
    [entry] = AuditEntry.objects.filter(chain=audit.chain_key(rule))
    assert entry.action == "rule.delete" and entry.before["levels"] == ["provincial_officer", "assistant_ps"]
    assert entry.actor.username == "admin"


@at(2026, 11, 16)
def test_the_history_of_a_rule_is_dated_in_the_buddhist_era(admin_client, rule):
    admin_client.post(change_url(rule), form())
    page = admin_client.get(reverse("admin:workflows_approvalrule_history", args=[rule.pk])).content.decode()
    assert "16 พ.ย. 2569" in page and "2026" not in page
    assert english_parts(page, {"admin"}) == []  # "Changed Name …" was English whatever the language
    assert "ชื่อ" in page and "ลำดับความสำคัญ" in page


def test_the_admin_javascript_speaks_thai(admin_client):
    catalog = admin_client.get(reverse("admin:jsi18n")).content.decode()
    for thai in ("เลือก%sทั้งหมด", "ท่านเลือกคำสั่งไว้"):  # the two-box picker; an action without saving
        assert json.dumps(thai)[1:-1] in catalog
