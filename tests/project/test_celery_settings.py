"""Celery is set up to lose no work: late acknowledgement, one message at a time, time limits, the
relay and the sweep in beat's schedule, every task of the project running an outbox row once."""

from project.celery import IMPORT_SOFT_TIME_LIMIT, VISIBILITY_TIMEOUT, KamkapTask
from project.celery import app as celery_app
from registry.selfreports.tasks import import_reports
from registry.tasks import import_factories
from workflows.planning.tasks import recompute_risk_all
from workflows.tasks import relay_outbox, send_task_mail


def test_a_message_is_acknowledged_when_its_task_ended_and_taken_one_at_a_time():
    conf = celery_app.conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit
    assert conf.broker_connection_timeout <= 2
    assert conf.broker_transport_options["socket_connect_timeout"] <= 2


def test_an_import_has_its_own_limit_and_the_broker_waits_longer_than_any_task():
    for task in (import_factories, import_reports, recompute_risk_all):
        assert task.soft_time_limit == IMPORT_SOFT_TIME_LIMIT < task.time_limit
        assert task.outbox_atomic is False  # its progress commits as it goes
    assert VISIBILITY_TIMEOUT > import_factories.time_limit > celery_app.conf.task_time_limit


def test_beat_relays_the_outbox_every_minute_and_sweeps_stuck_imports():
    schedule = celery_app.conf.beat_schedule
    assert schedule["relay-outbox"]["task"] == relay_outbox.name and schedule["relay-outbox"]["schedule"] == 60
    assert schedule["sweep-stuck-imports"]["task"] == "registry.tasks.sweep_stuck_imports"
    assert "sla-sweep" in schedule  # the project's own entries are kept
    assert all(isinstance(task, KamkapTask) for task in (send_task_mail, relay_outbox, import_factories))
