"""Songkhla with its people (tests.workflows.inspection.conftest.songkhla), a Lopburi office with its
head of office and inspector, another cluster's assistant PS, and helpers that register projects and
drive the budget flows over HTTP as the assigned person."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from org import services as org_services
from org.calendar import fiscal_year
from org.models import Person, PositionKind, Unit
from tests.conftest import LOPBURI, office
from tests.factories import PersonFactory
from tests.workflows.inspection.conftest import START, songkhla  # noqa: F401
from workflows.budget import plan, services

OPEN = [STATUS.NEW, STATUS.ASSIGNED]
FLOWS = {"ProjectFlow": "project_flow", "ProgressFlow": "progress", "DirectiveFlow": "directive",
         "EscalationFlow": "escalation"}  # fmt: skip
DIP = "กรมส่งเสริมอุตสาหกรรม (ศูนย์ส่งเสริมอุตสาหกรรมภาคที่ 11)"


@dataclass
class Other:
    head: Person  # the Lopburi provincial industry officer
    inspector: Person
    aps: Person  # assistant PS of the Lopburi cluster (not Songkhla's)
    unit: Unit


def _hold(unit, kind, title, **kw):
    position = org_services.create_position(unit=unit, kind=kind, title_th=title, **kw)
    person = PersonFactory()
    org_services.appoint(position=position, person=person, start=START)
    return person


@pytest.fixture
def lopburi(db) -> Other:
    unit = office(LOPBURI)
    ops = Unit.objects.get(code=org_services.OPS_CODE)
    return Other(
        head=_hold(unit, PositionKind.PROVINCIAL_OFFICER, "อุตสาหกรรมจังหวัดลพบุรี"),
        inspector=_hold(unit, PositionKind.INSPECTOR, "นักวิชาการอุตสาหกรรม ลพบุรี"),
        aps=_hold(ops, PositionKind.ASSISTANT_PS, "ผู้ช่วยปลัดกระทรวง (กลาง)", oversees=[unit.parent]),
        unit=unit,
    )


@pytest.fixture
def fy() -> int:
    return fiscal_year(timezone.localdate())


def even_plan(fy_be: int, allocation: Decimal) -> list[dict]:
    """An even plan: 1/12 of the money each month, progress climbing to 100 %."""
    months = plan.fiscal_months(fy_be)
    share = (allocation / 12).quantize(Decimal("0.01"))
    rows = []
    for n, month in enumerate(months, start=1):
        amount = allocation - share * 11 if n == 12 else share
        rows.append({"month": month, "progress_pct": Decimal(round(100 * n / 12, 2)), "disbursement": amount})
    return rows


def register(office_people, *, fy_be: int, allocation="1200000", lines=None, start_flow=True, **kw):
    allocation = Decimal(allocation)
    lines = lines or [{"description": "งบดำเนินงาน", "allocation": allocation}]
    total = sum((Decimal(line["allocation"]) for line in lines), Decimal("0"))
    return services.project_register(
        office=office_people.unit, by=office_people.inspector, fiscal_year=fy_be,
        title=kw.pop("title", "โครงการสนับสนุนและพัฒนาปัจจัยแวดล้อมที่เอื้อต่อการดำเนินธุรกิจ"),
        objectives="ส่งเสริมผู้ประกอบการในจังหวัดให้ดำเนินธุรกิจได้สะดวกขึ้น", lines=lines,
        kpis=kw.pop("kpis", [{"name": "ผู้ประกอบการที่ได้รับการพัฒนา", "unit": "ราย", "target": "40"}]),
        plan_rows=kw.pop("plan_rows", even_plan(fy_be, total)), start_flow=start_flow, **kw,
    )  # fmt: skip


def task_of(name: str, **process):
    """The open task `name` of the process filtered by `process` (e.g. projectprocess__project=p)."""
    filters = {f"process__{key}": value for key, value in process.items()}
    return Task.objects.get(flow_task__endswith=f".{name}", status__in=OPEN, **filters)


def task_url(task) -> str:
    flow = task.flow_task.flow_class.__name__
    return reverse(f"budget:{FLOWS[flow]}:{task.flow_task.name}:execute", args=[task.process_id, task.pk])


def do(client, user, task, data, *, expect_redirect=True):
    assert task.owner == user, f"{task.flow_task.name} is owned by {task.owner}, not {user}"
    client.force_login(user)
    response = client.post(task_url(task), data)
    if expect_redirect:
        assert response.status_code == 302, response.content.decode()[:3000]
    return response


def approve_project(client, songkhla, project):  # noqa: F811
    do(client, songkhla.officer, task_of("approve", projectprocess__project=project), {"decision": "approve"})
    project.refresh_from_db()
    return project


@pytest.fixture
def approved(client, songkhla, fy):  # noqa: F811
    """An approved Songkhla project of this fiscal year (1.2 M baht, even plan)."""
    return approve_project(client, songkhla, register(songkhla, fy_be=fy))


def month_of(fy_be: int, n: int) -> date:
    return plan.fiscal_months(fy_be)[n - 1]
