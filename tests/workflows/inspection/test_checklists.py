"""Checklist templates (low-code): publish rules, immutability of a published version through the
services and through the admin, new drafts, case pinning, the demo checklists and the admin actions."""

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from tests.factories import FactoryFactory, PersonFactory
from workflows import audit
from workflows.inspection import checklists
from workflows.inspection.demo import load_demo_checklists
from workflows.inspection.errors import InspectionError
from workflows.inspection.models import (
    AnswerType,
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    ChecklistVersion,
    Inspection,
    InspectionReason,
    Severity,
    VersionStatus,
)

pytestmark = pytest.mark.django_db

IMMUTABLE = "A published version cannot be changed; make a new version."


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def superuser():
    return PersonFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def browser(client, superuser):
    client.force_login(superuser)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def fill(version: ChecklistVersion) -> ChecklistVersion:
    """One section with a yes/no, a number and a choice item: publishable."""
    section = ChecklistSection.objects.create(version=version, order=1, title_th="ความปลอดภัย", title_en="Safety")
    ChecklistItem.objects.create(
        section=section, order=1, code="S-01", question_th="ทางหนีไฟไม่ถูกปิดกั้น", answer_type=AnswerType.YES_NO,
        noncompliant_answers=["no"], severity=Severity.CRITICAL, weight=3, legal_ref="พ.ร.บ.โรงงาน พ.ศ. 2535",
    )  # fmt: skip
    ChecklistItem.objects.create(
        section=section, order=2, code="S-02", question_th="จำนวนคนงาน", answer_type=AnswerType.NUMBER, unit="คน",
        tolerance_pct=10, reported_field="workers",
    )  # fmt: skip
    ChecklistItem.objects.create(
        section=section, order=3, code="S-03", question_th="ความเป็นระเบียบ", answer_type=AnswerType.CHOICE,
        choices=["ดี", "พอใช้", "ต้องปรับปรุง"], noncompliant_answers=["ต้องปรับปรุง"],
    )  # fmt: skip
    return version


@pytest.fixture
def draft(superuser) -> ChecklistVersion:
    return fill(checklists.checklist_create(code="safety", title_th="ความปลอดภัย", title_en="Safety", by=superuser))


@pytest.fixture
def published(draft, superuser) -> ChecklistVersion:
    return checklists.version_publish(version=draft, by=superuser)


def item(version: ChecklistVersion, code: str) -> ChecklistItem:
    return ChecklistItem.objects.get(section__version=version, code=code)


def snapshot(version: ChecklistVersion) -> list[tuple]:
    """Everything of a version's sections and items but their keys, for comparing two versions."""
    skip = {"id", "section", "version"}
    rows = []
    for section in version.sections.order_by("order"):
        rows.append(tuple(getattr(section, f.attname) for f in section._meta.concrete_fields if f.name not in skip))
        for it in section.items.order_by("order"):
            rows.append(tuple(getattr(it, f.attname) for f in it._meta.concrete_fields if f.name not in skip))
    return rows


# --- creating ---------------------------------------------------------------------------------


def test_create_makes_a_template_with_an_empty_draft_version_1(superuser):
    version = checklists.checklist_create(code="boilers", title_th=" หม้อน้ำ ", by=superuser)
    assert (version.number, version.status, version.template.title_th) == (1, VersionStatus.DRAFT, "หม้อน้ำ")
    assert not version.sections.exists()
    assert [e.action for e in audit.timeline(version.template)] == ["checklist.create"]


@pytest.mark.parametrize(
    ("code", "title", "message"),
    [
        ("safety", "อื่น", "already exists"),
        ("มี ช่องว่าง", "อื่น", "only letters, digits"),
        ("other", "  ", "Thai title"),
    ],
)
def test_create_refuses_a_taken_or_bad_code_and_a_missing_title(draft, superuser, code, title, message):
    with pytest.raises(InspectionError) as exc:
        checklists.checklist_create(code=code, title_th=title, by=superuser)
    assert message in exc.value.message
    assert ChecklistTemplate.objects.count() == 1


# --- publishing -------------------------------------------------------------------------------


def test_publishing_freezes_the_draft_and_records_who(draft, superuser):
    version = checklists.version_publish(version=draft, by=superuser)
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED
    assert version.published_by == superuser and version.published_at is not None
    assert version.template.current_version() == version
    assert "checklist.publish" in [e.action for e in audit.timeline(version.template)]


def test_publishing_a_new_version_retires_the_one_before(published, superuser):
    v2 = checklists.version_new_draft(template=published.template, by=superuser)
    checklists.version_publish(version=v2, by=superuser)
    published.refresh_from_db()
    v2.refresh_from_db()
    assert (published.status, v2.status) == (VersionStatus.RETIRED, VersionStatus.PUBLISHED)
    assert published.template.current_version() == v2


def _no_sections(version):
    version.sections.all().delete()


def _empty_section(version):
    ChecklistSection.objects.create(version=version, order=9, title_th="ส่วนว่าง")


def _change(which, /, **fields):
    def change(version):
        ChecklistItem.objects.filter(section__version=version, code=which).update(**fields)

    return change


@pytest.mark.parametrize(
    ("spoil", "problem"),
    [
        (_no_sections, "The version has no items."),
        (_empty_section, "Section “ส่วนว่าง” has no items."),
        (_change("S-02", unit=""), "S-02: a number item needs a unit."),
        (_change("S-03", choices=[]), "S-03: a choice item needs its choices"),
        (_change("S-01", noncompliant_answers=["no", "maybe"]), "S-01: the non-compliant answers of a yes/no item"),
        (_change("S-03", noncompliant_answers=["แย่"]), "S-03: the non-compliant answers must be among the item's"),
        (_change("S-02", compliant_min=10, compliant_max=5), "S-02: the lowest compliant value is above the highest."),
        (_change("S-02", code="S-01"), "S-01: two items have this code."),
    ],
    ids=["empty", "empty-section", "no-unit", "no-choices", "yes-no-answers", "choice-answers", "min-max", "code"],
)
def test_publishing_refuses_an_incomplete_draft_and_changes_nothing(published, superuser, spoil, problem):
    v2 = checklists.version_new_draft(template=published.template, by=superuser)
    spoil(v2)
    with pytest.raises(InspectionError) as exc:
        checklists.version_publish(version=v2, by=superuser)
    assert problem in exc.value.message
    v2.refresh_from_db()
    published.refresh_from_db()
    assert (v2.status, v2.published_at, v2.published_by) == (VersionStatus.DRAFT, None, None)
    assert published.status == VersionStatus.PUBLISHED


def test_a_refusal_names_every_problem_at_once(draft, superuser):
    _change("S-02", unit="")(draft)
    _change("S-03", choices=[])(draft)
    with pytest.raises(InspectionError) as exc:
        checklists.version_publish(version=draft, by=superuser)
    assert "S-02" in exc.value.message and "S-03" in exc.value.message


def test_only_a_draft_can_be_published(published, superuser):
    with pytest.raises(InspectionError) as exc:
        checklists.version_publish(version=published, by=superuser)
    assert "Only a draft can be published" in exc.value.message


def test_a_published_version_is_not_editable_through_the_service(published):
    with pytest.raises(InspectionError) as exc:
        checklists.ensure_editable(published)
    assert exc.value.message == IMMUTABLE


# --- new drafts and case pinning --------------------------------------------------------------


def test_a_new_draft_copies_the_latest_version(published, superuser):
    v2 = checklists.version_new_draft(template=published.template, by=superuser)
    assert (v2.number, v2.status) == (2, VersionStatus.DRAFT)
    assert snapshot(v2) == snapshot(published)
    assert not set(v2.sections.values_list("pk", flat=True)) & set(published.sections.values_list("pk", flat=True))
    ChecklistItem.objects.filter(section__version=v2, code="S-01").update(question_th="แก้ไขแล้ว")
    assert item(published, "S-01").question_th == "ทางหนีไฟไม่ถูกปิดกั้น"


def test_a_second_draft_is_refused(published, superuser):
    checklists.version_new_draft(template=published.template, by=superuser)
    with pytest.raises(InspectionError) as exc:
        checklists.version_new_draft(template=published.template, by=superuser)
    assert "already has a draft (version 2)" in exc.value.message
    assert published.template.versions.count() == 2


def test_a_case_keeps_the_version_it_was_opened_with(published, superuser):
    factory = FactoryFactory()
    case = Inspection.objects.create(
        ref_no="90-2568/0001", factory=factory, office=factory.office, reason=InspectionReason.ROUTINE,
        checklist=published, created_by=superuser,
    )  # fmt: skip
    v2 = checklists.version_new_draft(template=published.template, by=superuser)
    ChecklistItem.objects.filter(section__version=v2, code="S-01").update(question_th="คำถามใหม่")
    checklists.version_publish(version=v2, by=superuser)
    case.refresh_from_db()
    assert case.checklist_id == published.pk
    assert item(case.checklist, "S-01").question_th == "ทางหนีไฟไม่ถูกปิดกั้น"
    assert published.template.current_version() == v2


# --- demo checklists --------------------------------------------------------------------------


def test_demo_checklists_are_published_once(superuser):
    made = load_demo_checklists(by=superuser)
    assert sorted(v.template.code for v in made) == ["general", "wastewater"]
    assert all(v.status == VersionStatus.PUBLISHED for v in made)
    assert load_demo_checklists(by=superuser) == []
    assert ChecklistVersion.objects.count() == 2
    general = ChecklistTemplate.objects.get(code="general").current_version()
    assert 10 <= ChecklistItem.objects.filter(section__version=general).count() <= 14
    bod = ChecklistItem.objects.get(section__version__template__code="wastewater", code="WW-10")
    assert (bod.unit, bod.compliant_max, bod.tolerance_pct, bod.reported_field) == ("mg/l", 20, 20, "bod")


def test_demo_items_are_complete_guides(superuser):
    load_demo_checklists(by=superuser)
    items = ChecklistItem.objects.all()
    assert {i.answer_type for i in items} == set(AnswerType.values)
    for it in items:
        assert it.legal_ref and it.guidance and it.question_en, it.code
        assert len(it.legal_ref) <= 255 and len(it.code) <= 20, it.code
    for version in ChecklistVersion.objects.all():
        assert version.template.title_en


def test_demo_leaves_an_existing_code_alone(superuser):
    mine = checklists.checklist_create(code="general", title_th="ของเราเอง", by=superuser)
    made = load_demo_checklists(by=superuser)
    assert [v.template.code for v in made] == ["wastewater"]
    assert ChecklistTemplate.objects.get(code="general").versions.get() == mine


def test_demo_checklists_can_be_revised(superuser):
    for version in load_demo_checklists(by=superuser):
        v2 = checklists.version_new_draft(template=version.template, by=superuser)
        assert checklists.version_publish(version=v2, by=superuser).number == 2


# --- admin ------------------------------------------------------------------------------------


def change_url(obj) -> str:
    return reverse(f"admin:inspection_{obj._meta.model_name}_change", args=[obj.pk])


def changelist_url(model) -> str:
    return reverse(f"admin:inspection_{model._meta.model_name}_changelist")


def shown(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def management(prefix: str, total: int = 0, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


def item_form(prefix: str, it: ChecklistItem, **changes) -> dict:
    values = {
        "id": it.pk, "section": it.section_id, "order": it.order, "code": it.code, "question_th": it.question_th,
        "question_en": it.question_en, "answer_type": it.answer_type, "unit": it.unit,
        "choices": "\n".join(it.choices), "noncompliant_answers": "\n".join(it.noncompliant_answers),
        "compliant_min": "", "compliant_max": "", "tolerance_pct": "",
        "severity": it.severity, "weight": it.weight, "legal_ref": it.legal_ref, "guidance": it.guidance,
        "reported_field": it.reported_field,
    } | changes  # fmt: skip
    return {f"{prefix}-{key}": value for key, value in values.items()}


@pytest.mark.parametrize("model", [ChecklistTemplate, ChecklistVersion, ChecklistSection])
def test_admin_lists_open(browser, published, model):
    assert browser.get(changelist_url(model)).status_code == 200


def test_admin_opens_a_draft_for_editing(browser, draft):
    response = browser.get(change_url(draft))
    assert response.status_code == 200 and response.context["has_change_permission"]
    response = browser.get(change_url(draft.sections.get()))
    assert response.status_code == 200 and "items-TOTAL_FORMS" in response.content.decode()
    response = browser.get(change_url(draft.template))
    assert response.status_code == 200 and "v1" in response.content.decode()


def test_admin_shows_a_published_version_read_only(browser, published):
    response = browser.get(change_url(published))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert browser.get(change_url(published.sections.get())).status_code == 200


def test_admin_cannot_change_a_published_version(browser, published):
    data = {"notes": "แก้ไขย้อนหลัง", **management("sections")}
    response = browser.post(change_url(published), data)
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.notes == ""


def test_admin_cannot_change_the_items_of_a_published_version(browser, published):
    section = published.sections.get()
    first = item(published, "S-01")
    data = {
        "version": published.pk, "order": 1, "title_th": "แก้แล้ว", "title_en": "",
        **management("items", total=1, initial=1), **item_form("items-0", first, question_th="แก้ไขย้อนหลัง"),
    }  # fmt: skip
    response = browser.post(change_url(section), data)
    assert response.status_code == 403
    assert item(published, "S-01").question_th == "ทางหนีไฟไม่ถูกปิดกั้น"
    section.refresh_from_db()
    assert section.title_th == "ความปลอดภัย"


def test_admin_cannot_delete_a_published_version(browser, published):
    response = browser.post(reverse("admin:inspection_checklistversion_delete", args=[published.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert ChecklistVersion.objects.filter(pk=published.pk).exists()


def test_admin_edits_the_items_of_a_draft(browser, draft):
    section = draft.sections.get()
    first = item(draft, "S-01")
    data = {
        "version": draft.pk, "order": 1, "title_th": "ความปลอดภัย", "title_en": "Safety",
        **management("items", total=1, initial=1), **item_form("items-0", first, question_th="ประตูหนีไฟเปิดได้"),
    }  # fmt: skip
    response = browser.post(change_url(section), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert item(draft, "S-01").question_th == "ประตูหนีไฟเปิดได้"


@pytest.mark.parametrize("model", [ChecklistVersion, ChecklistSection])
def test_admin_save_refuses_a_published_version_even_when_called_directly(published, superuser, model):
    request = RequestFactory().post("/")
    request.user = superuser
    model_admin = admin.site.get_model_admin(model)
    obj = published if model is ChecklistVersion else published.sections.get()
    obj.notes = obj.title_th = "แก้ไขย้อนหลัง"
    with pytest.raises(InspectionError, match=IMMUTABLE):
        model_admin.save_model(request, obj, form=None, change=True)
    with pytest.raises(InspectionError, match=IMMUTABLE):
        model_admin.save_formset(request, form=type("F", (), {"instance": obj}), formset=None, change=True)
    published.refresh_from_db()
    assert published.notes == ""


def test_admin_adds_a_template_through_the_service(browser, superuser):
    data = {"code": "noise", "title_th": "เสียงดัง", "title_en": "Noise", "description": "", **management("versions")}
    response = browser.post(reverse("admin:inspection_checklisttemplate_add"), data)
    assert response.status_code == 302
    template = ChecklistTemplate.objects.get(code="noise")
    assert list(template.versions.values_list("number", "status")) == [(1, VersionStatus.DRAFT)]


def test_admin_publish_action_publishes_a_draft(browser, draft):
    data = {"action": "publish", "_selected_action": [draft.pk]}
    response = browser.post(changelist_url(ChecklistVersion), data, follow=True)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    assert any("is published" in m for m in shown(response))


def test_admin_publish_action_shows_the_refusal(browser, draft):
    _change("S-02", unit="")(draft)
    data = {"action": "publish", "_selected_action": [draft.pk]}
    response = browser.post(changelist_url(ChecklistVersion), data, follow=True)
    assert response.status_code == 200
    assert any("S-02: a number item needs a unit." in m for m in shown(response))
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_admin_new_draft_action_makes_a_copy_and_opens_it(browser, published):
    data = {"action": "make_new_draft", "_selected_action": [published.pk]}
    response = browser.post(changelist_url(ChecklistVersion), data)
    v2 = published.template.versions.get(number=2)
    assert response.status_code == 302 and response.url == change_url(v2)
    assert snapshot(v2) == snapshot(published)


def test_admin_new_draft_action_shows_the_refusal(browser, draft):
    data = {"action": "make_new_draft", "_selected_action": [draft.template_id]}
    response = browser.post(changelist_url(ChecklistTemplate), data, follow=True)
    assert any("already has a draft" in m for m in shown(response))
    assert draft.template.versions.count() == 1
