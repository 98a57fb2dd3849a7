"""Service levels on the working-day calendar: a rule counts working days (the default) or calendar
days where the law counts days; reminders come `remind_days_before` working days before the due
date, so a task due after Songkran is reminded before the holiday, not on its eve."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from viewflow.workflow.models import Task

from tests.clock import at, bangkok
from tests.factories import FactoryFactory
from tests.workflows.inspection.conftest import checklist, songkhla  # noqa: F401
from tests.workflows.inspection.test_flow_paths import open_task
from workflows import sla
from workflows.inspection import services
from workflows.models import DayCount, SlaRule, TaskNotice

pytestmark = pytest.mark.django_db
ASSIGN = "inspection/flows.InspectionFlow.assign"


def new_assign_task(by):
    return open_task(services.inspection_start(factory=FactoryFactory(), by=by), "assign")


@at(2027, 4, 9)  # Friday before Songkran
def test_a_step_counted_in_working_days_skips_the_weekend_and_songkran(songkhla, checklist):  # noqa: F811
    SlaRule.objects.create(flow_task=ASSIGN, days=3)
    task = new_assign_task(songkhla.head)
    assert timezone.localtime(task.scheduled) == bangkok(2027, 4, 19, 16, 30)  # 12, 16, 19 April


@at(2027, 4, 9)
def test_a_step_counted_in_calendar_days_runs_through_holidays(songkhla, checklist):  # noqa: F811
    SlaRule.objects.create(flow_task=ASSIGN, days=3, counting=DayCount.CALENDAR)
    task = new_assign_task(songkhla.head)
    assert task.scheduled - task.created < timedelta(days=3, seconds=5)
    assert timezone.localdate(task.scheduled) == date(2027, 4, 12)


@at(2027, 4, 9, 9, 0)
def test_reminders_come_their_rule_s_working_days_before_the_due_date(songkhla, checklist):  # noqa: F811
    SlaRule.objects.create(flow_task=ASSIGN, days=5, remind_days_before=3)
    soon, later = new_assign_task(songkhla.head), new_assign_task(songkhla.head)
    Task.objects.filter(pk=soon.pk).update(scheduled=bangkok(2027, 4, 19, 16, 30))  # 3 working days ahead
    Task.objects.filter(pk=later.pk).update(scheduled=bangkok(2027, 4, 20, 16, 30))  # 4 working days ahead
    reminded, escalated = sla.sweep(now=timezone.now())
    assert (reminded, escalated) == (1, 0)
    assert list(TaskNotice.objects.filter(reminded_at__isnull=False).values_list("task", flat=True)) == [soon.pk]
    assert sla.sweep(now=timezone.now()) == (0, 0)  # once


def test_a_rule_s_cached_answer_gives_way_when_the_rule_changes(songkhla, checklist):  # noqa: F811
    rule = SlaRule.objects.create(flow_task=ASSIGN, days=3)
    assert sla.rule_for(new_assign_task(songkhla.head).flow_task)[:2] == (3, DayCount.WORKING)
    rule.counting, rule.days = DayCount.CALENDAR, 10
    rule.save()
    task = new_assign_task(songkhla.head)
    assert sla.rule_for(task.flow_task)[:2] == (10, DayCount.CALENDAR)


def test_the_administrator_picks_the_step_and_how_its_days_count(admin_client):
    from django.urls import reverse

    url = reverse("admin:workflows_slarule_add")
    page = admin_client.get(url).content.decode()
    assert "ตรวจโรงงาน" in page or "Inspect" in page  # the steps are offered by name, not typed
    data = {"flow_task": ASSIGN, "days": "5", "counting": DayCount.CALENDAR, "remind_days_before": "2"}
    assert admin_client.post(url, {**data, "flow_task": "inspection/flows.InspectionFlow.nope"}).status_code == 200
    assert not SlaRule.objects.exists()
    assert admin_client.post(url, data).status_code == 302
    assert SlaRule.objects.get().counting == DayCount.CALENDAR


@at(2027, 9, 29)  # Wednesday, two days before FY 2571 begins (1 October 2027)
def test_a_due_date_runs_over_the_turn_of_the_fiscal_year(songkhla, checklist):  # noqa: F811
    SlaRule.objects.create(flow_task=ASSIGN, days=3)
    task = new_assign_task(songkhla.head)
    assert timezone.localtime(task.scheduled) == bangkok(2027, 10, 4, 16, 30)  # 30 Sep, 1 Oct, 4 Oct


@at(2027, 10, 20)  # Wednesday; Chulalongkorn Day (23 Oct) falls on a Saturday: Monday 25 Oct is its substitute
def test_a_substitution_day_is_not_a_working_day(songkhla, checklist):  # noqa: F811
    SlaRule.objects.create(flow_task=ASSIGN, days=3)
    task = new_assign_task(songkhla.head)
    assert timezone.localtime(task.scheduled) == bangkok(2027, 10, 26, 16, 30)  # 21, 22, (25 off), 26 October


@at(2027, 6, 3)  # Thursday
def test_a_closure_day_the_administrator_adds_moves_the_office_s_new_due_days(admin_client, songkhla, checklist):  # noqa: F811
    from django.urls import reverse

    SlaRule.objects.create(flow_task=ASSIGN, days=1)
    assert timezone.localdate(new_assign_task(songkhla.head).scheduled) == date(2027, 6, 4)
    url = reverse("admin:org_closureday_add")
    response = admin_client.post(url, {"day": "04/06/2570", "name": "น้ำท่วม", "office": songkhla.unit.pk})
    assert response.status_code == 302
    assert timezone.localdate(new_assign_task(songkhla.head).scheduled) == date(2027, 6, 7)  # Friday closed


@at(2027, 9, 29, 9, 0)
def test_a_reminder_comes_before_the_fiscal_year_turns_for_a_step_due_after_it(songkhla, checklist):  # noqa: F811
    SlaRule.objects.create(flow_task=ASSIGN, days=5, remind_days_before=2)
    task = new_assign_task(songkhla.head)
    Task.objects.filter(pk=task.pk).update(scheduled=bangkok(2027, 10, 1, 16, 30))  # FY 2571's first day
    assert sla.sweep(now=bangkok(2027, 9, 28, 9)) == (0, 0)  # three working days ahead: not yet
    assert sla.sweep(now=timezone.now()) == (1, 0)  # two: reminded on 29 September
    assert sla.sweep(now=bangkok(2027, 10, 1, 17)) == (0, 1)  # past 16:30 on its day: escalated
