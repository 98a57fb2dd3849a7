"""The demo budget data: FY 2566 and 2567 projects of the seed offices through the real flows."""

import pytest
from viewflow.workflow.models import Task

from org.demo import load_demo_org
from workflows.audit import verify
from workflows.budget.demo import load_demo_budget
from workflows.budget.models import BudgetSource, DirectiveStatus, Project, ProjectStatus

pytestmark = pytest.mark.django_db


def test_demo_budget_loads_the_seed_projects_and_is_idempotent():
    load_demo_org()
    made = load_demo_budget()
    assert made == Project.objects.count() == 12
    assert load_demo_budget() == 0 and Project.objects.count() == 12
    assert set(Project.objects.values_list("fiscal_year", flat=True)) == {2566, 2567}
    assert Project.objects.values("office").distinct().count() == 5
    seed = Project.objects.filter(office__province_id=90, fiscal_year=2566)
    assert {p.title for p in seed} >= {"โครงการสนับสนุนและพัฒนาปัจจัยแวดล้อมที่เอื้อต่อการดำเนินธุรกิจ",
                                        "โครงการยกระดับศูนย์ปฏิรูปอุตสาหกรรมสู่ความยั่งยืน"}  # fmt: skip
    for project in seed:
        line = project.lines.get()
        assert line.source == BudgetSource.ON_BEHALF and line.provisional and "กรมส่งเสริมอุตสาหกรรม" in line.owner_agency
    itc = seed.get(title__contains="ศูนย์ปฏิรูป")
    assert itc.is_behind and itc.carried_to.get().fiscal_year == 2567
    assert 0 < Project.objects.exclude(behind_reason="").count() < 12
    assert not Project.objects.exclude(status=ProjectStatus.APPROVED).exists()
    review = itc.reviews.get()
    assert review.reviewer.username == "dps" and review.directives.get().status == DirectiveStatus.OPEN
    waiting = Task.objects.get(flow_task__endswith=".file", status="ASSIGNED")
    assert waiting.owner.username == "songkhla.inspector1"
    assert verify() == []
