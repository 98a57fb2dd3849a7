"""The Celery app, and how its work survives faults.

Work that must follow a commit is not sent from the request: it is written to the outbox in the
request's transaction and relayed (workflows.outbox); a broker outage costs a minute of delay, never
a request. Here: a message is acknowledged only when its task ended (a worker killed mid-task leaves
it to be delivered again), a worker takes one message at a time, every task has a time limit, and a
task meeting a transient database or broker error is tried again later with a growing delay.

Beat runs as ONE process of its own (`celery -A project beat`), however many workers run
(`celery -A project worker`, never with -B): two beats would send every periodic task twice."""

import os
import random
import smtplib

from celery import Celery, Task
from celery.schedules import crontab

from .env import env_int

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

# The longest a task may run (imports of tens of thousands of rows), and the broker's patience with a
# message taken but not acknowledged: Redis gives it to another worker after VISIBILITY_TIMEOUT, so it
# must outlast the longest task, or a slow import would be started twice.
IMPORT_SOFT_TIME_LIMIT = env_int("CELERY_IMPORT_SOFT_TIME_LIMIT", 30 * 60, minimum=1)
VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", IMPORT_SOFT_TIME_LIMIT + 35 * 60, minimum=1)
# Options of the long tasks (CSV imports, every factory's risk score): their own time limit, and they
# commit as they go, so their outbox row is marked done after them; what keeps a second delivery from
# writing twice is their own (an import's finished_at, registry.imports.run_checked; a recompute of
# every score gives the same scores).
LONG_TASK = {
    "outbox_atomic": False,
    "soft_time_limit": IMPORT_SOFT_TIME_LIMIT,
    "time_limit": IMPORT_SOFT_TIME_LIMIT + 60,
}
RETRY_BACKOFF_MAX = 10 * 60
MAX_RETRIES = 6
TRANSIENT_MAIL_ERRORS = (smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected)


class KamkapTask(Task):
    """Every task of the project. Given `outbox_id` (by workflows.outbox), it runs its outbox row's work
    once: a redelivered or retried message whose row is done does nothing. A transient error (the
    database or the broker unreachable for a moment) is tried again with exponential back-off."""

    outbox_atomic = True  # the row is marked done in the same transaction as the work
    typing = False  # the caller's arguments are not checked against run(): `outbox_id` is not run()'s

    def __call__(self, *args, outbox_id=None, **kwargs):
        from django.db import InterfaceError, OperationalError
        from kombu.exceptions import OperationalError as BrokerError

        from workflows import outbox

        try:
            if outbox_id is None:
                return super().__call__(*args, **kwargs)
            return outbox.run_once(outbox_id, lambda: self.run(*args, **kwargs), atomic=self.outbox_atomic)
        except (OperationalError, InterfaceError, BrokerError, ConnectionError, *TRANSIENT_MAIL_ERRORS) as exc:
            if self.request.called_directly or self.request.is_eager or self.request.retries >= MAX_RETRIES:
                raise  # in the web process the outbox row stays pending for the relay
            raise self.retry(exc=exc, countdown=self.backoff()) from exc

    def backoff(self) -> int:
        """5 s, 10 s, 20 s … up to ten minutes, with jitter so that workers do not retry in step."""
        ceiling = min(RETRY_BACKOFF_MAX, 5 * 2**self.request.retries)
        return random.randint(ceiling // 2, ceiling)  # noqa: S311 (not for security)


# Added to settings.CELERY_BEAT_SCHEDULE (the rest of the schedule lives there).
RELIABILITY_SCHEDULE = {
    # Outbox rows the request could not hand to the broker at commit (broker down): every minute.
    "relay-outbox": {"task": "workflows.tasks.relay_outbox", "schedule": 60.0},
    # Imports still waiting or running past their limit: run once more, or failed with the reason.
    "sweep-stuck-imports": {"task": "registry.tasks.sweep_stuck_imports", "schedule": crontab(minute="*/5")},
}


def _add_reliability_schedule(sender, **kwargs):
    for name, entry in RELIABILITY_SCHEDULE.items():
        sender.conf.beat_schedule.setdefault(name, entry)


app = Celery("kamkap", task_cls=KamkapTask)
app.on_after_configure.connect(_add_reliability_schedule)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,  # a worker process killed mid-task: the message goes back at once
    worker_cancel_long_running_tasks_on_connection_loss=True,  # they are delivered again anyway
    worker_prefetch_multiplier=1,
    task_soft_time_limit=env_int("CELERY_SOFT_TIME_LIMIT", 5 * 60, minimum=1),
    task_time_limit=env_int("CELERY_TIME_LIMIT", 6 * 60, minimum=1),
    task_ignore_result=True,  # nobody reads results; the outbox row says what was done
    # A publish fails fast when the broker is unreachable (the outbox keeps the work).
    broker_connection_timeout=2,
    broker_connection_retry_on_startup=True,
    broker_transport_options={
        "visibility_timeout": VISIBILITY_TIMEOUT,
        # How often a worker looks for messages whose worker died (Kombu's defaults for the default timeout).
        "unacked_restore_interval": min(10, max(1, VISIBILITY_TIMEOUT // 10)),
        "unacked_restore_throttle": min(10, max(1, VISIBILITY_TIMEOUT // 100)),
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
    },
    redis_socket_connect_timeout=2,
    redis_socket_timeout=5,
)

app.autodiscover_tasks()
