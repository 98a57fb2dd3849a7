"""The outbox: work that must follow a commit, written in the same transaction as the commit.

    outbox.enqueue(send_task_mail, task.pk)

writes a row in the caller's transaction; once that transaction commits, the row is handed to the
broker at once, with a short timeout and no retries, over a connection the thread keeps (one that the
broker dropped is opened again on its next use). When the broker is unreachable the row simply stays pending —
the request is neither slowed nor failed — and the relay (`relay()`, every minute from Celery beat, or
`manage.py relay_outbox`) hands it over when the broker is back. A row handed over but still not done
half an hour later (the broker restarted without its queue on disk) is handed over again by the relay.
A rolled-back transaction leaves no row, so no work is sent for a change that never happened.

The task receives the row's id (`outbox_id`, handled by project.celery.KamkapTask) and marks the row
done in the same transaction as its work: a message delivered twice (a worker killed before it
acknowledged, a retry, a relay racing the commit hook) does its work once. Long tasks that commit as
they go (imports, project.celery.LONG_TASK) mark it after their work and keep their own guard.

With Celery eager (the embedded demo, the tests) the hand-over runs the task in the process, after
the commit, as before; the row is then marked sent, its attempt counted and done in one statement,
in the task's transaction (nothing written after it)."""

import logging
import os
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from datetime import timedelta
from functools import cache
from typing import Any

from celery import Task, current_app
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.db.transaction import TransactionManagementError
from django.utils import timezone
from kombu.common import maybe_declare
from kombu.utils.uuid import uuid

from project.prepared import inserted

from .models import OutboxMessage

logger = logging.getLogger(__name__)
CONNECT_TIMEOUT = 2  # seconds to reach the broker before the row is left for the relay
RELAY_BATCH = 500
EAGER_ATTEMPTS = 5  # with Celery eager, a row whose task failed this often is left (with its error) to a person
KEEP_DONE = timedelta(days=14)  # done rows are kept a while to look into, then deleted by the relay
# After the broker failed once, a process leaves its rows to the relay this long without trying: a
# request that gives three tasks does not wait three timeouts of a broker that does not answer.
QUIET_SECONDS = 15
_quiet_until = 0.0
_running_eagerly: ContextVar[int | None] = ContextVar("outbox_running_eagerly", default=None)  # the row publish runs
# A row handed over this long ago and not done is handed over again (`lost`): longer than a task may run
# with its retries' waits (project.celery), so that a row a worker still holds is rarely sent twice — and
# were it, the second delivery would find it done.
RESEND_AFTER = timedelta(minutes=30)
HANDOVERS = 3  # the first and two more
LOST = f"not done {RESEND_AFTER // timedelta(minutes=1)} minutes after it was handed to the broker: handed over again"
# This thread's connection to the broker, kept from one hand-over to the next: opening one costs more than
# the hand-over itself (Redis on loopback, measured once in session 14: 8.7 ms a message on a new
# connection, 1.1 ms on a kept one; tests/project/test_broker_outage.py counts the connections opened).
_kept = threading.local()


def enqueue(task: Task | str, *args: Any, **kwargs: Any) -> OutboxMessage:
    """Run `task(*args, **kwargs)` once, after the current transaction commits (arguments: JSON).

    The row is written already marked sent (its one attempt counted) when it will be handed over at the
    commit — not eager, the broker not failing lately —, so that a hand-over that succeeds writes
    nothing after the commit; one that fails, or is not tried, marks it pending again. A process
    killed between its commit and the hand-over leaves a row marked sent that the broker never had:
    the relay hands it over again (`lost`)."""
    message = inserted(_message(task, args, kwargs))  # (a row or two at every step of a case: its INSERT built once)
    transaction.on_commit(lambda: publish(message, after_failure_wait=True))
    return message


def unwritten(task: Task | str, *args: Any, **kwargs: Any) -> OutboxMessage:
    """`enqueue`'s row not yet written, for the caller to write with another statement of the open transaction
    (workflows.audit.record's `writing`, workflows.task_rows.insert_linked's `mail`): handed over when the
    transaction commits, as `enqueue`'s."""
    if not transaction.get_connection().in_atomic_block:
        raise TransactionManagementError("An outbox row written with another statement needs a transaction.")
    message = _message(task, args, kwargs)
    transaction.on_commit(lambda: _publish_written(message))
    return message


def _message(task: Task | str, args: tuple, kwargs: dict) -> OutboxMessage:
    """The row, marked sent already when it will be handed over at the commit (`enqueue`)."""
    name = task if isinstance(task, str) else task.name
    at_commit = not current_app.conf.task_always_eager and time.monotonic() >= _quiet_until
    marked = {"sent_at": timezone.now(), "attempts": 1} if at_commit else {}
    message = OutboxMessage(task=name, args=list(args), kwargs=kwargs, **marked)
    message.marked_sent = at_commit
    return message


def _publish_written(message: OutboxMessage) -> None:
    if message.pk is None:  # the caller of `unwritten` wrote it with nothing: a mistake, not a broker's failure
        raise RuntimeError(f"The outbox row of {message.task} was never written.")
    publish(message, after_failure_wait=True)


def publish(message: OutboxMessage, *, after_failure_wait: bool = False) -> bool:
    """Hand one row to the broker now. False (and the row left pending, its error kept) when the
    broker or, in eager mode, the task failed; never raises. `after_failure_wait`: not even tried
    within QUIET_SECONDS of this process's last broker failure (the relay always tries)."""
    global _quiet_until
    eager = current_app.conf.task_always_eager
    marked = getattr(message, "marked_sent", False)  # by enqueue, in the transaction: nothing to write on success
    if after_failure_wait and not eager and time.monotonic() < _quiet_until:
        if marked:  # the broker failed since the row was written: pending, untried
            message.sent_at, message.attempts, message.marked_sent = None, 0, False
            OutboxMessage.objects.filter(pk=message.pk).update(sent_at=None, attempts=0)
        return False
    handing = _running_eagerly.set(message.pk) if eager else None
    try:
        _send(message, eager=eager)
    except Exception as exc:  # noqa: BLE001 (whatever went wrong, the row waits for the relay)
        logger.warning("Outbox message %s (%s) not sent: %r", message.pk, message.task, exc)
        if not eager:
            _quiet_until = time.monotonic() + QUIET_SECONDS
        message.attempts += 0 if marked else 1
        message.sent_at, message.last_error, message.marked_sent = None, repr(exc)[:2000], False
        OutboxMessage.objects.filter(pk=message.pk).update(
            sent_at=None, attempts=message.attempts, last_error=message.last_error
        )
        return False
    finally:
        if handing is not None:
            _running_eagerly.reset(handing)
    if marked:
        return True
    message.attempts, message.sent_at = message.attempts + 1, timezone.now()
    if not eager:  # eager: the task's run_once marked the row sent and done with its work (or found it done)
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=message.attempts, sent_at=message.sent_at, last_error=message.last_error
        )
    return True


def _send(message: OutboxMessage, *, eager: bool) -> None:
    app = current_app
    kwargs = {**message.kwargs, "outbox_id": message.pk}
    if eager:
        app.tasks[message.task].apply_async(message.args, kwargs)
        return
    try:
        _hand_over(app, _producer(app), message, kwargs)
    except Exception:
        close_connection()  # the next hand-over starts afresh
        raise


def _hand_over(app, producer, message: OutboxMessage, kwargs: dict) -> None:
    """One message by `producer`, tried once (the shared producer pool would retry for many seconds), made
    and sent by the two steps of Celery's send_task (`amqp.create_task_message`, `amqp.send_task_message`)
    with the task's options and route read once per task (`_options`): send_task's own work around them
    (options merged, routed, a result made, a parent looked for) was two thirds of a hand-over. Not added to
    a running task's trail (a hand-over is not the sub-task of whatever runs the relay). Its arguments shown
    (argsrepr: the worker's log) by Python's repr, a row's arguments being a few ids; its queue declared once
    per connection (`_producer`). A message to the in-memory broker: 0.17 ms by send_task as Celery's
    documentation calls it, 0.03 ms so (4 Dec 2026, one-off measurement)."""
    made_with, options = _options(app, message.task)
    made = app.amqp.create_task_message(
        uuid(), message.task, message.args, kwargs, argsrepr=repr(message.args), kwargsrepr=repr(kwargs),
        ignore_result=True, **made_with,
    )  # fmt: skip
    app.amqp.send_task_message(producer, message.task, made, retry=False, declare=(), **options)


@cache
def _options(app, name: str) -> tuple[dict, dict]:
    """What send_task gives a message of the task `name`: its time limits and whether it tells the task's
    sending to monitors, and its options (the task's own, then its route: the queue)."""
    task = app.tasks.get(name)
    options = {key: value for key, value in (task._get_exec_options() if task else {}).items() if value is not None}
    made_with = {key: options.pop(key) for key in ("time_limit", "soft_time_limit") if key in options}
    made_with["create_sent_event"] = app.conf.task_send_sent_event
    options.pop("ignore_result", None)
    return made_with, app.amqp.router.route(options, name, (), {}, task)


def _producer(app):
    """This thread's producer on its connection to the broker, made when it has none (Celery would make a
    producer for each message given only the connection). A connection kept by the parent of a forked
    process, or to another broker than the app's, is not used. One the broker dropped meanwhile (restarted,
    idle timeout) is opened again by redis-py on its next use."""
    url, pid = app.conf.broker_write_url or app.conf.broker_url, os.getpid()
    kept = getattr(_kept, "connection", None)
    if kept is not None and (_kept.url, _kept.pid) == (url, pid):
        return _kept.producer
    close_connection()
    connection = app.connection_for_write(connect_timeout=CONNECT_TIMEOUT)
    try:
        connection.ensure_connection(max_retries=0, timeout=CONNECT_TIMEOUT)
        maybe_declare(app.amqp.default_queue, connection.default_channel)  # once here, not at every message
    except Exception:
        connection.release()
        raise
    _kept.connection, _kept.url, _kept.pid = connection, url, pid
    _kept.producer = app.amqp.Producer(connection, auto_declare=False)
    return _kept.producer


def close_connection() -> None:
    """Forget this thread's kept broker connection (closed unless a parent process opened it)."""
    connection = getattr(_kept, "connection", None)
    _kept.connection = _kept.producer = None
    if connection is not None and _kept.pid == os.getpid():
        try:
            connection.release()
        except Exception:  # noqa: BLE001 (a connection already broken: nothing to close)
            logger.debug("Broker connection already closed", exc_info=True)


def relay(limit: int = RELAY_BATCH) -> tuple[int, int]:
    """Send the rows still pending, oldest first; stop at the first failure (the broker is still
    down: the rest would only wait for the same timeout). Then hand over again the rows lost on the
    way (`lost`). Returns (sent, still pending).

    With Celery eager the relay runs the tasks itself: a failure is that task's, the others go on."""
    OutboxMessage.objects.filter(done_at__lt=timezone.now() - KEEP_DONE).delete()
    eager = current_app.conf.task_always_eager
    pending = OutboxMessage.objects.unsent()
    if eager:  # a failure is the task's own: give up on a row after a few, and go on with the others
        pending = pending.filter(attempts__lt=EAGER_ATTEMPTS)
    sent, broker_up = _send_each(pending[:limit], stop_at_failure=not eager)
    if broker_up and not eager:
        again, _up = _send_each(lost()[:limit], stop_at_failure=True, note=LOST)
        sent += again
    return sent, OutboxMessage.objects.unsent().count()


def lost():
    """Rows handed to the broker more than RESEND_AFTER ago and still not done: the broker lost the
    message (restarted without its queue on disk, flushed) or its task failed for good. Each is handed
    over again, up to HANDOVERS times in all; a long task's rows are not (they run longer than that, and
    their jobs' own sweeps start them again: registry.sweep)."""
    long_tasks = [name for name, task in current_app.tasks.items() if not getattr(task, "outbox_atomic", True)]
    return OutboxMessage.objects.filter(
        done_at__isnull=True, sent_at__lt=timezone.now() - RESEND_AFTER, attempts__lt=HANDOVERS
    ).exclude(task__in=long_tasks)


def _send_each(messages, *, stop_at_failure: bool, note: str = "") -> tuple[int, bool]:
    """(how many were handed over, whether none failed)."""
    sent = 0
    for message in messages:
        if note:
            message.last_error = note
        if publish(message):
            sent += 1
        elif stop_at_failure:
            return sent, False
    return sent, True


def run_once(outbox_id: int, work: Callable[[], Any], *, atomic: bool = True) -> Any:
    """Do `work` unless the row is done; mark it done after. `atomic`: in one transaction with the
    work, the row locked meanwhile (a second delivery waits, then finds it done). Work that commits
    as it goes (an import's progress) keeps its own guard and runs with atomic=False."""
    if not atomic:
        if OutboxMessage.objects.filter(pk=outbox_id, done_at__isnull=False).exists():
            return None
        result = work()
        _mark_done(outbox_id)
        return result
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=outbox_id).first()
        if message is None or message.done_at is not None:
            return None
        result = work()
        _mark_done(outbox_id)
        return result


def _mark_done(outbox_id: int) -> None:
    """The row done. Run eagerly by publish (Celery eager), the same statement marks it sent and counts
    the attempt, which publish then does not write again."""
    now = timezone.now()
    fields = {"done_at": now}
    if _running_eagerly.get() == outbox_id:
        fields.update(sent_at=Coalesce(F("sent_at"), Value(now)), attempts=F("attempts") + 1)
    OutboxMessage.objects.filter(pk=outbox_id).update(**fields)
