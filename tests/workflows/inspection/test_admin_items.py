"""The checklist-item editor: choices and non-compliant answers are typed one per line (a yes/no item's
as ใช่ / ไม่ใช่), stored as the lists the inspection reads, checked against each other; a bad item is
refused in Thai, changes nothing and keeps what was typed; the page says what each field is."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import PersonFactory
from tests.workflows.admin_text import english_parts
from workflows.inspection import checklists
from workflows.inspection.models import AnswerType, ChecklistItem, ChecklistSection

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
def section(admin_user) -> ChecklistSection:
    version = checklists.checklist_create(code="safety", title_th="ความปลอดภัย", title_en="", by=admin_user)
    section = ChecklistSection.objects.create(version=version, order=1, title_th="ความปลอดภัย")
    ChecklistItem.objects.create(
        section=section, order=1, code="S-01", question_th="ทางหนีไฟไม่ถูกปิดกั้น", answer_type=AnswerType.YES_NO,
        noncompliant_answers=["no"],
    )  # fmt: skip
    ChecklistItem.objects.create(
        section=section, order=2, code="S-02", question_th="ความเป็นระเบียบ", answer_type=AnswerType.CHOICE,
        choices=["ดี", "พอใช้", "ต้องปรับปรุง"], noncompliant_answers=["ต้องปรับปรุง"],
    )  # fmt: skip
    return section


def url(section) -> str:
    return reverse("admin:inspection_checklistsection_change", args=[section.pk])


def item(code: str) -> ChecklistItem:
    return ChecklistItem.objects.get(code=code)


def post_data(section, **changes) -> dict:
    """The section form as the browser sends it, with `changes` for item S-02 (the second row)."""
    data = {
        "order": section.order, "title_th": section.title_th, "title_en": section.title_en,
        "items-TOTAL_FORMS": 2, "items-INITIAL_FORMS": 2, "items-MIN_NUM_FORMS": 0, "items-MAX_NUM_FORMS": 1000,
    }  # fmt: skip
    rows = {
        0: {"code": "S-01", "answer_type": "yes_no", "choices": "", "noncompliant_answers": "ไม่ใช่"},
        1: {"code": "S-02", "answer_type": "choice", "choices": "ดี\r\nพอใช้\r\nต้องปรับปรุง",
            "noncompliant_answers": "ต้องปรับปรุง"} | changes,
    }  # fmt: skip
    for index, values in rows.items():
        it = item(("S-01", "S-02")[index])
        row = {
            "id": it.pk, "section": section.pk, "order": it.order, "question_th": it.question_th, "question_en": "",
            "unit": "", "compliant_min": "", "compliant_max": "", "tolerance_pct": "", "reported_field": "",
            "severity": it.severity, "weight": it.weight, "legal_ref": "", "guidance": "",
        } | values  # fmt: skip
        data |= {f"items-{index}-{key}": value for key, value in row.items()}
    return data


def test_the_editor_shows_lists_one_per_line_never_json(admin_client, section):
    page = admin_client.get(url(section)).content.decode()
    assert "ดี\nพอใช้\nต้องปรับปรุง</textarea>" in page
    assert ">\nไม่ใช่</textarea>" in page or ">ไม่ใช่</textarea>" in page  # S-01's ["no"], in the inspector's word
    assert "[&quot;" not in page and '["' not in page


def test_lines_are_stored_as_the_lists_the_inspection_reads(admin_client, section):
    data = post_data(section, choices="  ผ่าน \r\n\r\nไม่ผ่าน\r\nต้องติดตาม", noncompliant_answers="ไม่ผ่าน\r\nต้องติดตาม")
    data["items-0-noncompliant_answers"] = "ใช่"
    response = admin_client.post(url(section), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert item("S-02").choices == ["ผ่าน", "ไม่ผ่าน", "ต้องติดตาม"]
    assert item("S-02").noncompliant_answers == ["ไม่ผ่าน", "ต้องติดตาม"]
    assert item("S-01").noncompliant_answers == ["yes"]


@pytest.mark.parametrize(
    ("row", "changes", "message"),
    [
        (1, {"noncompliant_answers": "แย่มาก"}, "ไม่อยู่ในตัวเลือก: “แย่มาก”"),
        (1, {"choices": ""}, "ข้อแบบเลือกตอบต้องมีตัวเลือก"),
        (1, {"choices": "ดี\nดี\nต้องปรับปรุง"}, "“ดี” เขียนซ้ำกัน"),
        (0, {"noncompliant_answers": "บางครั้ง"}, "ข้อแบบใช่/ไม่ใช่ ไม่เป็นไปตามกฎหมายได้เฉพาะเมื่อตอบ “ใช่” หรือ “ไม่ใช่”"),
        (0, {"choices": "ดี"}, "เฉพาะข้อแบบเลือกตอบที่มีตัวเลือก"),
        (1, {"answer_type": "number", "unit": "คน", "choices": ""}, "ให้ลบรายการนี้"),
    ],
)
def test_a_bad_item_is_refused_in_thai_and_changes_nothing(admin_client, section, row, changes, message):
    data = post_data(section, question_th="คำถามที่พิมพ์ใหม่")
    data |= {f"items-{row}-{key}": value for key, value in changes.items()}
    response = admin_client.post(url(section), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "กรุณาแก้ไขข้อผิดพลาดด้านล่าง" in page
    assert "คำถามที่พิมพ์ใหม่" in page  # nothing typed is lost
    assert english_parts(page, {"safety", "S-01", "S-02"}) == []
    assert (item("S-02").choices, item("S-02").noncompliant_answers) == (["ดี", "พอใช้", "ต้องปรับปรุง"], ["ต้องปรับปรุง"])
    assert item("S-02").question_th == "ความเป็นระเบียบ" and item("S-01").noncompliant_answers == ["no"]


def test_the_checklist_pages_are_thai_and_say_what_each_field_is(admin_client, section):
    pages = {
        "section": url(section),
        "version": reverse("admin:inspection_checklistversion_change", args=[section.version_id]),
        "template": reverse("admin:inspection_checklisttemplate_change", args=[section.version.template_id]),
        "versions": reverse("admin:inspection_checklistversion_changelist"),
        "sections": reverse("admin:inspection_checklistsection_changelist"),
        "templates": reverse("admin:inspection_checklisttemplate_changelist"),
    }
    for name, address in pages.items():
        page = admin_client.get(address).content.decode()
        assert english_parts(page, {"safety", "general", "S-01", "S-02"}) == [], name
        assert "ชื่อตำแหน่ง" not in page, name  # a section or a checklist is not a position
    section_page = admin_client.get(url(section)).content.decode()
    assert "ชื่อหมวด (ภาษาไทย)" in section_page and "หน่วยนับ" in section_page
    assert "ตัวเลือก (บรรทัดละหนึ่งตัวเลือก)" in section_page
