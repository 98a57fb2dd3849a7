"""workflows.task_rows: a new task and its link to the task before it, in one statement on PostgreSQL,
stored as the model's save and the related manager's add store them; two writes elsewhere."""

import pytest
from django.db import connection
from django.db.models.signals import post_save
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from workflows import task_rows
from workflows.inspection import services
from workflows.inspection.flows import InspectionFlow

pytestmark = pytest.mark.django_db

ONE_STATEMENT = connection.vendor == "postgresql"


@pytest.fixture
def before(songkhla, checklist, factory):
    """The case's open assign task: the task the new rows link to."""
    case = services.inspection_start(factory=factory, by=songkhla.head)
    return Task.objects.get(process__inspectionprocess__inspection=case, flow_task=InspectionFlow.assign)


def new_task(before, **fields):
    return Task(process=before.process, flow_task=InspectionFlow.inspect, token=before.token, **fields)


def stored(task) -> dict:
    row = Task.objects.filter(pk=task.pk).values().get()
    row.pop("id")
    return {**row, "previous": list(Task.objects.get(pk=task.pk).previous.values_list("pk", flat=True))}


def test_the_rows_are_those_of_save_then_add(before, songkhla, django_assert_num_queries):
    due = timezone.now() + timezone.timedelta(days=3)
    fields = dict(owner=songkhla.inspector, status=STATUS.ASSIGNED, scheduled=due, data={"a": 1})
    written, expected = new_task(before, **fields), new_task(before, **fields)

    with django_assert_num_queries(1 if ONE_STATEMENT else 2):
        task_rows.insert_linked(written, before)
    expected.created = written.created
    expected.save()
    expected.previous.add(before)

    assert written.pk and written._state.adding is False and written._state.db == "default"
    assert stored(written) == stored(expected) and stored(written)["previous"] == [before.pk]
    assert list(before.leading.order_by("pk").values_list("pk", flat=True)) == [written.pk, expected.pk]


def test_without_a_task_before_it_is_saved_alone(before, django_assert_num_queries):
    task = new_task(before)

    with django_assert_num_queries(1):
        task_rows.insert_linked(task, None)

    assert stored(task)["previous"] == []


def test_a_task_already_saved_is_updated_and_linked(before):
    task = new_task(before)
    task.save()
    task.status = STATUS.DONE

    task_rows.insert_linked(task, before)

    assert stored(task)["status"] == STATUS.DONE and stored(task)["previous"] == [before.pk]


def test_a_receiver_of_the_save_signal_is_still_sent_it(before):
    heard = []

    def receiver(sender, instance, created, **kwargs):
        heard.append((instance.pk, created))

    post_save.connect(receiver, sender=Task)
    try:
        task = new_task(before)
        task_rows.insert_linked(task, before)
    finally:
        post_save.disconnect(receiver, sender=Task)

    assert heard == [(task.pk, True)] and stored(task)["previous"] == [before.pk]


def done(task):
    """The task completed as nodes.ViewActivation.complete leaves it inside execute: its row not written."""
    task.status, task.started, task.finished = STATUS.DONE, timezone.now(), timezone.now()
    task_rows.save_with_next(task)
    return task


def test_a_task_done_is_written_by_the_next_tasks_statement(before, django_assert_num_queries):
    """On PostgreSQL the done row is an UPDATE in the next task's statement; elsewhere its save first."""
    task = new_task(before)

    with django_assert_num_queries(1 if ONE_STATEMENT else 3):
        task_rows.insert_linked(task, done(before))

    row = stored(before)
    assert row["status"] == STATUS.DONE and row["finished"] == before.finished and row["started"] == before.started
    assert stored(task)["previous"] == [before.pk]
    with django_assert_num_queries(0):
        task_rows.flush(before)  # written already


def test_a_task_done_without_a_row_yet_is_inserted_by_the_next_tasks_statement(before, django_assert_num_queries):
    """A flow's start task (nodes.StartHandleActivation): its first row is an INSERT of the next task's
    statement on PostgreSQL, the link made to its new key; elsewhere its save, the task's, the link."""
    start = done(Task(process=before.process, flow_task=InspectionFlow.start, token=before.token))
    task, expected = new_task(before), done(Task(process=before.process, flow_task=InspectionFlow.start))

    with django_assert_num_queries(1 if ONE_STATEMENT else 3):
        task_rows.insert_linked(task, start)
    expected.token, expected.created, expected.status = start.token, start.created, start.status
    expected.started, expected.finished = start.started, start.finished
    task_rows.flush(expected)

    assert start.pk and start._state.adding is False and start._state.db == "default"
    assert stored(start) == stored(expected) and stored(start)["flow_task_type"] == "START"
    assert stored(task)["previous"] == [start.pk]
    with django_assert_num_queries(0):
        task_rows.flush(start)  # written already


def test_a_task_done_that_no_next_task_took_is_written_by_flush(before):
    task_rows.flush(done(before))

    assert stored(before)["status"] == STATUS.DONE and stored(before)["finished"] == before.finished


def test_a_task_done_whose_row_is_gone_fails_as_its_save_would(before):
    from django.db import DatabaseError, transaction

    gone = done(Task.objects.get(pk=before.pk))
    Task.previous.through.objects.filter(to_task=before.pk).delete()
    Task.objects.filter(pk=before.pk).delete()

    with pytest.raises(DatabaseError, match="did not affect any rows"), transaction.atomic():
        task_rows.insert_linked(new_task(before), gone)
    assert not Task.objects.filter(pk=before.pk).exists()


@pytest.mark.parametrize("previous", ["done", "saved", "none"])
def test_the_owners_mail_is_written_with_the_task_its_argument_the_new_key(before, songkhla, previous,
                                                                           django_assert_num_queries):  # fmt: skip
    """notify.task_mail's outbox row: on PostgreSQL an INSERT of the task's own statement (with the task
    done before it too), a save after the task's elsewhere or without a task before it."""
    from workflows import notify
    from workflows.models import OutboxMessage

    task = new_task(before, owner=songkhla.inspector, status=STATUS.ASSIGNED)
    mail = notify.task_mail(task)
    one = ONE_STATEMENT and previous != "none"
    extra = {"done": 1, "saved": 0, "none": -1}[previous]  # SQLite: the done task's save; no link to add

    with django_assert_num_queries(1 if one else 3 + extra):
        task_rows.insert_linked(task, {"done": done, "saved": lambda t: t, "none": lambda t: None}[previous](before),
                                mail=mail)  # fmt: skip

    assert mail.pk and mail._state.adding is False and mail.args == [task.pk]
    row = OutboxMessage.objects.get(pk=mail.pk)
    assert (row.task, row.args, row.kwargs, row.done_at) == ("workflows.tasks.send_task_mail", [task.pk], {}, None)
    assert stored(task)["previous"] == ([] if previous == "none" else [before.pk])


def test_a_task_without_an_owner_has_no_mail(before):
    from workflows import notify

    assert notify.task_mail(new_task(before)) is None
