"""The ministry's overdue tasks come from the summary (OfficeState.task_dues, counted at the instant
read), not from the task table (issue 19: 2.2–3.1 s at 200,000 cases). Most steps write no mark (a
completion stays within its statements): the worker's pass finds them from the tasks they created
(dashboards.summary.scan_tasks) — also a task whose transaction was still open when a pass read
past its id — and with Celery eager the step's commit settles."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone
from viewflow.workflow.models import Task

from dashboards import summary, tracking
from dashboards.models import OfficeState, StaleBucket, TaskWatermark
from dashboards.tasks import refresh_summaries
from tests.clock import at, bangkok
from tests.workflows.inspection.test_flow_paths import do, open_task

from .conftest import started_case

pytestmark = pytest.mark.django_db


def overdue(person, fy, office_id) -> tuple[int, int]:
    """(the ministry dashboard's overdue tasks of the office, the same counted from the tasks)."""
    now = timezone.now()
    read = tracking.figures_by_office(person, fy, [office_id], now=now)[office_id]
    counted = tracking.counted_figures(person, fy, [office_id], now=now)[office_id]
    return read.overdue, counted.overdue


def test_ministry_dashboard_reads_the_overdue_tasks_from_the_summary_counted_at_the_instant_read(world):
    deputy, fy = world.people.deputy, world.fy
    board = tracking.ministry_board(deputy, fy)
    assert {office.pk: figures.overdue for office, figures in board.offices if figures.overdue} == {
        world.songkhla.pk: 2,
        world.lopburi.pk: 1,
    }
    assert board.total.overdue == 3
    dues = OfficeState.objects.get(office=world.songkhla).task_dues
    # the three assign steps: two due three days ago, one in three days (kept by its day)
    assert (dues["past"], dues["instants"], [n for _day, n in dues["days"]]) == (2, [], [1])
    not_yet = summary.overdue_tasks(dues, timezone.now())
    later = summary.overdue_tasks(dues, timezone.now() + timedelta(days=4))
    assert (not_yet, later) == (2, 3)  # the step due in three days counts once it is past due


@at(2026, 12, 3, 10, 0)
def test_tasks_due_today_and_tomorrow_count_to_the_instant_and_each_day_s_first_pass_moves_the_two_days_on(world):
    office_id = world.songkhla.pk  # the world's two overdue steps were due on 30 November
    task = open_task(started_case(world.songkhla, world.people.head, overdue=False), "assign")
    Task.objects.filter(pk=task.pk).update(scheduled=bangkok(2026, 12, 4, 16, 30))  # tomorrow
    dues = summary.task_dues(office_id)  # recounted on 3 December
    assert [n for _due, n in dues["instants"]] == [1]
    assert summary.overdue_tasks(dues, bangkok(2026, 12, 4, 16, 29)) == 2
    assert summary.overdue_tasks(dues, bangkok(2026, 12, 4, 16, 31)) == 3

    Task.objects.filter(pk=task.pk).update(scheduled=bangkok(2026, 12, 5, 16, 30))  # beyond the two days
    dues = summary.task_dues(office_id)
    assert dues["instants"] == [] and ["2026-12-05", 1] in dues["days"]
    # not recounted for two days: the task due on the day read is counted from the next day
    assert summary.overdue_tasks(dues, bangkok(2026, 12, 5, 16, 31)) == 2
    assert summary.overdue_tasks(dues, bangkok(2026, 12, 6, 0, 0)) == 3
    recounted = summary.task_dues(office_id, now=bangkok(2026, 12, 5, 0, 1))  # the daily recount of 5 December
    assert summary.overdue_tasks(recounted, bangkok(2026, 12, 5, 16, 29)) == 2
    assert summary.overdue_tasks(recounted, bangkok(2026, 12, 5, 16, 31)) == 3

    # the first pass of a day recounts every office counted on an earlier day
    OfficeState.objects.filter(office=office_id).update(task_dues=recounted)  # (counted on 5 December)
    OfficeState.objects.exclude(office=office_id).update(task_dues={})  # (never counted)
    assert refresh_summaries() == OfficeState.objects.count() == 3
    assert OfficeState.objects.get(office=office_id).task_dues["day"] == "2026-12-03"
    assert refresh_summaries() == 0


def test_a_step_that_writes_no_mark_is_found_by_the_pass_from_the_task_it_created(client, world, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as in production: the worker's pass, not the commit
    deputy, fy, office_id = world.people.deputy, world.fy, world.songkhla.pk
    refresh_summaries()
    assert overdue(deputy, fy, office_id) == (2, 2)
    do(client, world.people.head, world.overdue_case, "assign", {"inspector": world.people.inspector.pk})
    assert not StaleBucket.objects.exists()  # an assignment moves no other figure: no mark
    assert overdue(deputy, fy, office_id) == (2, 1)  # as of the last pass
    assert refresh_summaries() == 1  # the pass finds the step from its new "inspect" task
    assert overdue(deputy, fy, office_id) == (1, 1)
    assert refresh_summaries() == 0  # nothing created since: nothing recounted


def test_with_celery_eager_a_step_that_writes_no_mark_settles_on_its_commit(
    client, world, django_capture_on_commit_callbacks
):
    deputy, fy, office_id = world.people.deputy, world.fy, world.songkhla.pk
    refresh_summaries()
    with django_capture_on_commit_callbacks(execute=True):
        do(client, world.people.head, world.overdue_case, "assign", {"inspector": world.people.inspector.pk})
    assert overdue(deputy, fy, office_id) == (1, 1)


def test_tasks_written_around_the_services_are_found_and_a_rebuild_recounts_every_office(world):
    deputy, fy, office_id = world.people.deputy, world.fy, world.songkhla.pk
    refresh_summaries()
    started_case(world.songkhla, world.people.head, overdue=True)  # its due date set in the table
    assert overdue(deputy, fy, office_id) == (2, 3)
    refresh_summaries()
    assert overdue(deputy, fy, office_id) == (3, 3)
    OfficeState.objects.update(task_dues={})
    TaskWatermark.objects.all().delete()
    refresh_summaries()  # the table never read: every office recounted
    assert overdue(deputy, fy, office_id) == (3, 3)
    OfficeState.objects.update(task_dues={})
    summary.rebuild()
    assert overdue(deputy, fy, office_id) == (3, 3)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a transaction open during a pass needs two connections")
@pytest.mark.django_db(transaction=True)
def test_a_task_whose_transaction_was_open_when_a_pass_read_past_it_is_counted_by_a_later_pass(
    reference_data, world, settings
):
    """PostgreSQL hands out ids at insert: a completion's task can be committed after a later id was
    read. The pass keeps the ids it has not seen and reads them again."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    deputy, fy, office_id = world.people.deputy, world.fy, world.songkhla.pk
    refresh_summaries()
    inserted, release, errors, slow = threading.Event(), threading.Event(), [], []

    def open_transaction():
        try:
            with transaction.atomic():
                slow.append(started_case(world.songkhla, world.people.head, overdue=True))
                inserted.set()
                assert release.wait(60)
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
            inserted.set()
        finally:
            connections.close_all()

    thread = threading.Thread(target=open_transaction)
    thread.start()
    try:
        assert inserted.wait(60) and not errors
        # committed, with higher ids (in another office: its case number counter is not the one locked)
        started_case(world.lopburi, world.people.lopburi_head, overdue=False)
        refresh_summaries()
        gaps = TaskWatermark.objects.get().gaps
        assert gaps and overdue(deputy, fy, office_id) == (2, 2)  # the open transaction's rows unseen
    finally:
        release.set()
        thread.join(60)
    assert not errors
    assert overdue(deputy, fy, office_id) == (2, 3)
    assert refresh_summaries() == 1
    assert overdue(deputy, fy, office_id) == (3, 3)
    slow_task = open_task(slow[0], "assign").pk
    assert slow_task in gaps and slow_task not in TaskWatermark.objects.get().gaps  # read again, no longer a gap


def test_the_first_pass_keeps_the_ids_it_has_not_seen_below_the_last_task_as_gaps(world):
    """A watermark set at the last task (the first pass, a rebuild) keeps the missing ids below it: a
    transaction still open then commits them later."""
    deputy, fy, office_id = world.people.deputy, world.fy, world.songkhla.pk
    late = open_task(started_case(world.songkhla, world.people.head, overdue=True), "assign")
    started_case(world.lopburi, world.people.lopburi_head, overdue=False)  # higher ids, committed
    row = {f.attname: getattr(late, f.attname) for f in Task._meta.concrete_fields}
    Task.objects.filter(pk=late.pk).delete()  # as if its transaction were still open
    TaskWatermark.objects.update(last_id=None, gaps=[])
    refresh_summaries()
    assert late.pk in TaskWatermark.objects.get().gaps and overdue(deputy, fy, office_id) == (2, 2)
    Task.objects.create(**row)  # committed now
    refresh_summaries()
    assert late.pk not in TaskWatermark.objects.get().gaps and overdue(deputy, fy, office_id) == (3, 3)
