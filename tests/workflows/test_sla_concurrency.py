# ruff: noqa: F811 (pytest fixtures imported from the inspection conftest are arguments of the test)
"""Two SLA sweeps at the same moment (two workers, or beat firing twice) on PostgreSQL: every overdue
task is escalated, and each exactly once — one conditional UPDATE decides who escalates it."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from viewflow.workflow.models import Task

from tests.factories import FactoryFactory
from tests.races import both_at_once
from tests.workflows.inspection.conftest import checklist, songkhla  # noqa: F401
from tests.workflows.inspection.test_flow_paths import open_task
from workflows import audit, sla
from workflows.inspection import services
from workflows.models import AuditEntry, NoticeKind, Notification, TaskNotice

pytestmark = [
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="concurrent sweeps are tested on PostgreSQL (make test runs the suite there too)",
    ),
]
TASKS = 20


def test_two_sweeps_at_once_escalate_each_overdue_task_once(reference_data, songkhla, checklist):
    songkhla.officer.email = "pio@example.go.th"
    songkhla.officer.save()
    tasks = [
        open_task(services.inspection_start(factory=FactoryFactory(), by=songkhla.head), "assign") for _ in range(TASKS)
    ]
    Task.objects.filter(pk__in=[t.pk for t in tasks]).update(scheduled=timezone.now() - timedelta(hours=2))
    mail.outbox.clear()
    results = both_at_once(lambda _index: sla.sweep())
    assert sum(escalated for _reminded, escalated in results) == TASKS
    assert TaskNotice.objects.filter(escalated_at__isnull=False).count() == TASKS
    escalations = [m for m in mail.outbox if m.to == ["pio@example.go.th"]]
    assert len(escalations) == TASKS
    # one item in the superior's list and one audit entry per task, the chains intact
    assert Notification.objects.filter(kind=NoticeKind.ESCALATED, person=songkhla.officer).count() == TASKS
    assert AuditEntry.objects.filter(action="task.escalate").count() == TASKS
    assert audit.verify() == []
    assert sla.sweep() == (0, 0)


def test_two_sweeps_at_once_resume_each_clock_stopped_until_now_once(reference_data, songkhla, checklist):
    """Clocks stopped on their own until a time that has come (a follow-up waiting out the factory's
    compliance period, workflows.due.wait_for_compliance): each runs again once, its due date moved on
    once, whichever sweep gets it."""
    from workflows import due

    now = timezone.now()
    tasks = [
        open_task(services.inspection_start(factory=FactoryFactory(), by=songkhla.head), "assign") for _ in range(TASKS)
    ]
    stop = {"at": (now - timedelta(days=7)).isoformat(), "until": (now - timedelta(hours=1)).isoformat(),
            "reason": "ระยะเวลาปฏิบัติตามคำสั่ง", "by": None}  # fmt: skip
    for task in tasks:
        Task.objects.filter(pk=task.pk).update(scheduled=now + timedelta(days=30), data={due.CLOCK: stop})
    results = both_at_once(lambda _index: sla.sweep())
    assert results[0] == results[1] == (0, 0)
    assert not Task.objects.filter(pk__in=[t.pk for t in tasks], data__has_key=due.CLOCK).exists()
    moved = AuditEntry.objects.filter(action="task.due_moved")
    assert sorted(moved.values_list("after__task", flat=True)) == sorted(t.pk for t in tasks)
    assert audit.verify() == []
    assert due.resume_elapsed() == 0
