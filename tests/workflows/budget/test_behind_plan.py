"""Behind-plan flagging by the periodic job, escalation to the head of office and then the assistant
PS while the project stays behind, and the flag cleared once it catches up."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from viewflow.workflow.status import PROCESS, STATUS

from tests.workflows.budget.conftest import do, month_of, task_of, task_url
from workflows import audit
from workflows.budget import behind, services, tasks
from workflows.budget.models import Escalation, FiscalYearTarget, Project

pytestmark = pytest.mark.django_db


def test_flagged_then_escalated_while_it_stays_behind(client, songkhla, approved, fy):
    on = month_of(fy, 3)  # two months over, nothing disbursed: 16.67 % planned
    assert behind.flag_project(project=approved, on=on)
    approved.refresh_from_db()
    assert approved.behind_since == on and "16.67" in approved.behind_reason and approved.escalation_level == 0
    assert not Escalation.objects.exists()
    behind.flag_project(project=approved, on=on + timedelta(days=29))
    assert not Escalation.objects.exists()
    behind.flag_project(project=approved, on=on + timedelta(days=30))
    first = Escalation.objects.get(project=approved, level=1)
    task = task_of("answer", escalationprocess__escalation=first)
    assert task.owner == songkhla.officer
    client.force_login(songkhla.officer)
    assert approved.behind_reason[:20] in client.get(task_url(task)).content.decode()
    do(client, songkhla.officer, task, {"response": "เร่งจัดซื้อจัดจ้างให้แล้วเสร็จภายในเดือนนี้"})
    first.refresh_from_db()
    assert first.responded_by == songkhla.officer
    task.refresh_from_db()  # the answer goes straight to the end: done, and so the process (workflows.task_rows)
    assert task.status == STATUS.DONE and task.finished and task.process.status == PROCESS.DONE
    behind.flag_project(project=approved, on=on + timedelta(days=45))
    assert Escalation.objects.count() == 1  # once per level
    behind.flag_project(project=approved, on=on + timedelta(days=60))
    second = Escalation.objects.get(project=approved, level=2)
    assert task_of("answer", escalationprocess__escalation=second).owner == songkhla.aps
    actions = [e.action for e in audit.timeline(approved)]
    assert actions.count("project.escalate") == 2 and "project.behind" in actions


def test_the_escalation_delay_is_the_fiscal_year_s_setting(songkhla, approved, fy):
    FiscalYearTarget.objects.create(fiscal_year=fy, q1=D("0"), q2=D("0"), q3=D("0"), escalate_after_days=10)
    on = month_of(fy, 3)
    behind.flag_project(project=approved, on=on)
    behind.flag_project(project=approved, on=on + timedelta(days=9))
    assert not Escalation.objects.exists()
    behind.flag_project(project=approved, on=on + timedelta(days=10))
    assert Escalation.objects.get(project=approved).level == 1
    behind.flag_project(project=approved, on=on + timedelta(days=20))
    assert Escalation.objects.filter(project=approved, level=2).exists()


def test_the_flag_clears_when_the_project_catches_up(songkhla, approved, fy):
    assert behind.flag_project(project=approved, on=month_of(fy, 3))
    report = services.report_open(project=approved, month=month_of(fy, 1))
    services.report_submit(report=report, by=songkhla.inspector, progress_pct="17", disbursed="200000")
    services.report_review(report=report, by=songkhla.officer, approve=True)
    assert behind.flag_project(project=approved, on=month_of(fy, 3)) == []
    approved.refresh_from_db()
    assert approved.behind_reason == "" and approved.behind_since is None
    assert audit.timeline(approved).filter(action="project.on_track").exists()


def test_the_quarter_target_flags_a_project_on_its_monthly_plan(songkhla, approved, fy):
    FiscalYearTarget.objects.create(fiscal_year=fy, q1=D("30"), q2=D("54"), q3=D("77"), q4=D("100"))
    for n, amount in ((1, "100000"), (2, "100000"), (3, "100000")):  # 25 % at Q1 end: on plan, below 30 %
        report = services.report_open(project=approved, month=month_of(fy, n))
        services.report_submit(report=report, by=songkhla.inspector, progress_pct=str(8 * n + 1), disbursed=amount)
        services.report_review(report=report, by=songkhla.officer, approve=True)
    assert behind.flag_project(project=approved, on=month_of(fy, 3) + timedelta(days=30)) == []  # 31 Dec
    reasons = behind.flag_project(project=approved, on=month_of(fy, 4))  # 1 Jan: Q1 over
    assert [r.kind for r in reasons] == ["quarter"]
    assert Project.objects.get(pk=approved.pk).behind_reason == str(reasons[0])


def test_the_threshold_is_set_per_fiscal_year(songkhla, approved, fy):
    FiscalYearTarget.objects.create(fiscal_year=fy, q1=0, q2=0, q3=0, q4=0, threshold=D("20"))
    assert behind.flag_project(project=approved, on=month_of(fy, 3)) == []  # 16.67 points behind < 20


def test_the_sweep_runs_as_a_celery_task(songkhla, approved):
    behind_count, _escalated = tasks.behind_plan_sweep.delay().get()
    approved.refresh_from_db()
    assert behind_count == (1 if approved.behind_reason else 0)
