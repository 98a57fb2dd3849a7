"""A small known data set for the dashboard, counted by hand in the tests:

Songkhla (cluster of Songkhla) — this fiscal year's approved Q1 plan of 4 items, 2 of them signed off;
a draft plan and last year's plan that do not count; 7 cases of which 5 signed off this year, 3 closed
this year (2 compliant) and one closed last year; orders in force: one s.37, one s.39 (one complied, one
withdrawn do not count); 3 cases started through the flow whose "assign" tasks are 2 overdue and 1 not
yet due; budget: 2 approved projects (1,000,000 + 500,000 baht, 300,000 + 200,000 disbursed in approved
reports, the first behind plan) and a registered one that does not count.
A neighbour office in the same cluster — one case closed this year, not compliant.
Lopburi (another cluster) — approved plan of 2 items, 1 done and closed compliant; one s.37 order in force;
one overdue task; one project of 100,000 baht fully disbursed.

People: the deputy PS oversees both clusters, the executive viewer the ministry, the assistant PS only
Songkhla's cluster; Songkhla's provincial industry officer, group head and inspector."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import count

import pytest
from django.utils import timezone
from viewflow.workflow.models import Task

from dashboards import summary
from org import services as org_services
from org.calendar import fiscal_year, fiscal_year_bounds
from org.models import Person, PositionKind, Unit
from tests.conftest import LOPBURI, office
from tests.factories import FactoryFactory, PersonFactory
from tests.workflows.inspection.conftest import START, checklist, songkhla  # noqa: F401 (fixtures)
from workflows.budget.models import BudgetLine, ProgressReport, Project, ProjectStatus, ReportStatus
from workflows.budget.plan import fiscal_months
from workflows.inspection import services as inspection_services
from workflows.inspection.models import CorrectiveOrder, Inspection, OrderKind, OrderStatus, Outcome
from workflows.planning.models import InspectionPlan, PlanItem, PlanStatus

_numbers = count(1)


@dataclass
class People:
    deputy: Person
    executive: Person
    aps: Person
    pio: Person
    head: Person
    inspector: Person
    lopburi_head: Person
    lopburi_pio: Person


@dataclass
class World:
    people: People
    fy: int
    songkhla: Unit
    neighbour: Unit
    lopburi: Unit
    overdue_case: Inspection


def hold(unit, kind, title, **kw) -> Person:
    position = org_services.create_position(unit=unit, kind=kind, title_th=title, **kw)
    person = PersonFactory()
    org_services.appoint(position=position, person=person, start=START)
    return person


def case(office_unit: Unit, version, by, *, signed=None, closed=None, outcome=Outcome.PENDING, inspector=None,
         reason="routine") -> Inspection:  # fmt: skip
    factory = FactoryFactory(province_code=office_unit.province_id)
    return Inspection.objects.create(
        ref_no=f"T-{next(_numbers)}", factory=factory, office=office_unit, reason=reason, checklist=version,
        created_by=by, inspector=inspector, signed_off_at=signed, closed_at=closed, outcome=outcome,
    )  # fmt: skip


def order(inspection, kind, status, by) -> CorrectiveOrder:
    return CorrectiveOrder.objects.create(
        inspection=inspection, kind=kind, requirement="ปรับปรุงแก้ไข", deadline=timezone.localdate() + timedelta(days=30),
        status=status, drafted_by=by,
    )  # fmt: skip


def approved_plan(office_unit, fy, by, cases_and_blanks, *, status=PlanStatus.APPROVED, quarter=1) -> InspectionPlan:
    plan = InspectionPlan.objects.create(office=office_unit, fiscal_year=fy, quarter=quarter, status=status,
                                         inspectors=2, cases_per_inspector=6, created_by=by)  # fmt: skip
    for rank, inspection in enumerate(cases_and_blanks, start=1):
        factory = inspection.factory if inspection else FactoryFactory(province_code=office_unit.province_id)
        PlanItem.objects.create(plan=plan, factory=factory, rank=rank, risk_score=Decimal("50"), inspection=inspection)
    return plan


def project(office_unit, fy, officer, allocation, disbursed, *, status=ProjectStatus.APPROVED, behind="",
            unapproved=Decimal("0")) -> Project:  # fmt: skip
    p = Project.objects.create(
        fiscal_year=fy, office=office_unit, code=f"P-{next(_numbers)}", title="โครงการทดสอบ", objectives="ทดสอบ",
        officer=officer, status=status, behind_reason=behind, behind_since=timezone.localdate() if behind else None,
    )  # fmt: skip
    BudgetLine.objects.create(project=p, description="งบดำเนินงาน", allocation=Decimal(allocation))
    months = fiscal_months(fy)
    ProgressReport.objects.create(project=p, month=months[0], due_on=months[1], status=ReportStatus.APPROVED,
                                  disbursed=Decimal(disbursed), progress_pct=Decimal("10"))  # fmt: skip
    if unapproved:
        ProgressReport.objects.create(project=p, month=months[1], due_on=months[2], status=ReportStatus.SUBMITTED,
                                      disbursed=unapproved)  # fmt: skip
    return p


def started_case(office_unit, by, *, overdue: bool) -> Inspection:
    """A case started through the flow: its "assign" task goes to the group head, due in the past or future."""
    inspection = inspection_services.inspection_start(factory=FactoryFactory(province_code=office_unit.province_id),
                                                      by=by)  # fmt: skip
    due = timezone.now() + (timedelta(days=-3) if overdue else timedelta(days=3))
    Task.objects.filter(process__inspectionprocess__inspection=inspection).update(scheduled=due)
    return inspection


@pytest.fixture
def people(songkhla) -> People:  # noqa: F811
    ops = Unit.objects.get(code=org_services.OPS_CODE)
    ministry = Unit.objects.get(code=org_services.MINISTRY_CODE)
    lopburi = office(LOPBURI)
    lopburi_group = org_services.create_group(office=lopburi, code="OFF16-GT", name_th="กลุ่มกำกับ ลพบุรี")
    return People(
        deputy=hold(ops, PositionKind.DEPUTY_PS, "รองปลัดกระทรวงอุตสาหกรรม (ใต้และกลาง)",
                    oversees=[songkhla.unit.parent, lopburi.parent]),
        executive=hold(ops, PositionKind.EXECUTIVE_VIEWER, "ผู้อำนวยการกองยุทธศาสตร์", oversees=[ministry]),
        aps=songkhla.aps, pio=songkhla.officer, head=songkhla.head, inspector=songkhla.inspector,
        lopburi_head=hold(lopburi_group, PositionKind.GROUP_HEAD, "หัวหน้ากลุ่ม ลพบุรี"),
        lopburi_pio=hold(lopburi, PositionKind.PROVINCIAL_OFFICER, "อุตสาหกรรมจังหวัดลพบุรี"),
    )  # fmt: skip


@pytest.fixture
def world(people, songkhla, checklist) -> World:  # noqa: F811
    fy = fiscal_year(timezone.localdate())
    now = timezone.now()
    last_year = timezone.make_aware(
        timezone.datetime.combine(fiscal_year_bounds(fy - 1)[0], timezone.datetime.min.time())
    )
    unit, lopburi = songkhla.unit, office(LOPBURI)
    neighbour = Unit.objects.filter(parent=unit.parent, kind="office").exclude(pk=unit.pk).order_by("code").first()
    by, insp = people.head, people.inspector

    a = case(unit, checklist, by, signed=now, closed=now, outcome=Outcome.COMPLIANT, inspector=insp, reason="plan")
    b = case(unit, checklist, by, signed=now, closed=now, outcome=Outcome.NON_COMPLIANT, inspector=insp, reason="plan")
    c = case(unit, checklist, by, signed=now, outcome=Outcome.NON_COMPLIANT, inspector=insp)
    d = case(unit, checklist, by, inspector=insp, reason="plan")
    case(unit, checklist, by, signed=now, closed=now, outcome=Outcome.COMPLIANT)  # e
    f = case(unit, checklist, by, signed=now, outcome=Outcome.NON_COMPLIANT)
    g = case(unit, checklist, by, signed=last_year, closed=last_year, outcome=Outcome.COMPLIANT)
    Inspection.objects.filter(pk=g.pk).update(created_at=last_year)
    order(b, OrderKind.S37_IMPROVE, OrderStatus.COMPLIED, by)
    order(c, OrderKind.S37_IMPROVE, OrderStatus.ISSUED, by)
    order(c, OrderKind.S37_STOP, OrderStatus.WITHDRAWN, by)
    order(f, OrderKind.S39_CLOSE, OrderStatus.ISSUED, by)
    approved_plan(unit, fy, by, [a, b, d, None])
    approved_plan(unit, fy, by, [None, None, None], status=PlanStatus.DRAFT, quarter=2)
    approved_plan(unit, fy - 1, by, [g, None, None, None, None])
    overdue_case = started_case(unit, by, overdue=True)
    started_case(unit, by, overdue=True)
    started_case(unit, by, overdue=False)
    project(unit, fy, insp, "1000000", "300000", behind="เบิกจ่ายล่าช้ากว่าแผน", unapproved=Decimal("100000"))
    project(unit, fy, insp, "500000", "200000")
    project(unit, fy, insp, "9999", "0", status=ProjectStatus.REGISTERED)

    case(neighbour, checklist, by, signed=now, closed=now, outcome=Outcome.NON_COMPLIANT)

    lb = people.lopburi_head
    done = case(lopburi, checklist, lb, signed=now, closed=now, outcome=Outcome.COMPLIANT, reason="plan")
    approved_plan(lopburi, fy, lb, [done, None])
    order(case(lopburi, checklist, lb, signed=now, outcome=Outcome.NON_COMPLIANT), OrderKind.S37_IMPROVE,
          OrderStatus.ISSUED, lb)  # fmt: skip
    started_case(lopburi, lb, overdue=True)
    project(lopburi, fy, lb, "100000", "100000")
    summary.rebuild()  # the rows above were written around the services, which keep the summaries
    return World(people, fy, unit, neighbour, lopburi, overdue_case)


@pytest.fixture
def today() -> date:
    return timezone.localdate()
