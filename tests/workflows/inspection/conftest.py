"""A Songkhla office with a group head, two inspectors and the provincial industry officer, the
cluster's assistant PS and a deputy PS, a small published checklist and the approval rules."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from org import services as org_services
from org.models import Person, PositionKind, Unit
from tests.conftest import SONGKHLA, office, staff
from tests.factories import FactoryFactory, PersonFactory
from workflows.inspection.models import AnswerType, ChecklistItem, ChecklistSection, ChecklistTemplate, ChecklistVersion
from workflows.models import ApprovalRule

START = date(2020, 10, 1)


@dataclass
class Office:
    head: Person
    inspector: Person
    inspector2: Person
    officer: Person
    aps: Person
    dps: Person
    unit: Unit


def _hold(unit, kind, title, **kw):
    position = org_services.create_position(unit=unit, kind=kind, title_th=title, **kw)
    person = PersonFactory()
    org_services.appoint(position=position, person=person, start=START)
    return person


@pytest.fixture
def songkhla(db) -> Office:
    unit = office(SONGKHLA)
    group = org_services.create_group(office=unit, code="OFF90-GT", name_th="กลุ่มกำกับ")
    ops = Unit.objects.get(code=org_services.OPS_CODE)
    return Office(
        head=_hold(group, PositionKind.GROUP_HEAD, "หัวหน้ากลุ่มกำกับ สอจ.สงขลา"),
        inspector=_hold(group, PositionKind.INSPECTOR, "นักวิชาการอุตสาหกรรม 1"),
        inspector2=_hold(group, PositionKind.INSPECTOR, "นักวิชาการอุตสาหกรรม 2"),
        officer=_hold(unit, PositionKind.PROVINCIAL_OFFICER, "อุตสาหกรรมจังหวัดสงขลา"),
        aps=_hold(ops, PositionKind.ASSISTANT_PS, "ผู้ช่วยปลัดกระทรวง (ใต้)", oversees=[unit.parent]),
        dps=_hold(ops, PositionKind.DEPUTY_PS, "รองปลัดกระทรวง", oversees=[unit.parent]),
        unit=unit,
    )


@pytest.fixture
def checklist(db) -> ChecklistVersion:
    template = ChecklistTemplate.objects.create(code="general", title_th="การตรวจกำกับดูแลโรงงานทั่วไป")
    version = ChecklistVersion.objects.create(
        template=template, number=1, status="published", published_at=timezone.now()
    )
    section = ChecklistSection.objects.create(version=version, order=1, title_th="ความปลอดภัย")
    ChecklistItem.objects.create(
        section=section, order=1, code="S1", question_th="ทางหนีไฟไม่ถูกปิดกั้น", answer_type=AnswerType.YES_NO,
        noncompliant_answers=["no"], severity=3,
    )  # fmt: skip
    ChecklistItem.objects.create(
        section=section, order=2, code="S2", question_th="จำนวนคนงานที่พบ", answer_type=AnswerType.NUMBER, unit="คน",
        tolerance_pct=10, reported_field="workers",
    )  # fmt: skip
    return version


@pytest.fixture
def rules(db):
    ApprovalRule.objects.create(subject="order", name="ม.37", order_kind="s37", levels=["provincial_officer"])
    ApprovalRule.objects.create(
        subject="order", name="ม.39", order_kind="s39", priority=10,
        levels=["provincial_officer", "assistant_ps", "deputy_ps"],
    )  # fmt: skip


@pytest.fixture
def factory(db):
    return FactoryFactory(name="บริษัท ทดสอบยางแผ่น จำกัด")


def acting_officer(songkhla):
    """The provincial industry officer has left; a group head acts for the post (รักษาราชการแทน)."""
    holding = songkhla.officer.holdings.get()
    today = timezone.localdate()
    org_services.end_holding(holding=holding, end=today - timedelta(days=1))
    person = staff(90, "group_head", username="deputy")
    person.title_th, person.first_name, person.last_name = "นาง", "พรทิพย์", "รัตนพันธ์"
    person.save(update_fields=["title_th", "first_name", "last_name"])
    own = person.holdings.get().position
    own.title_th = "หัวหน้ากลุ่มกำกับและตรวจสอบโรงงาน"
    own.save(update_fields=["title_th"])
    org_services.appoint_acting(
        position=holding.position, person=person, start=today - timedelta(days=1), end=today + timedelta(days=9)
    )
    return person
