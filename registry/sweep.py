"""The sweep of stuck imports (Celery beat, every five minutes). An import whose work was last handed
to a worker longer ago than its limit — more than its task's hard time limit, so no worker can still be
on it — is sent once more; stuck again, it ends failed, with the reason on its page for whoever
uploaded it. A worker killed mid-import, a message the broker lost: never "checking rows" for ever."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from project.celery import IMPORT_SOFT_TIME_LIMIT
from workflows import outbox
from workflows.models import OutboxMessage

from .imports import fail_job
from .models import FactoryImport, ImportStatus
from .selfreports.models import ReportImport

STUCK_AFTER = timedelta(seconds=IMPORT_SOFT_TIME_LIMIT + 5 * 60)
TRIES = 2  # the first delivery and one more
JOBS = (
    (FactoryImport, "registry.tasks.import_factories"),
    (ReportImport, "registry.selfreports.tasks.import_reports"),
)
UNFINISHED = (ImportStatus.PENDING, ImportStatus.VALIDATING, ImportStatus.WRITING)


def sweep_stuck_imports() -> tuple[int, int]:
    """Returns (re-queued, failed)."""
    now = timezone.now()
    requeued = failed = 0
    for model, task in JOBS:
        for job in model.objects.filter(
            finished_at__isnull=True, status__in=UNFINISHED, created_at__lt=now - STUCK_AFTER
        ):
            sends = list(OutboxMessage.objects.filter(task=task, args=[job.pk]))
            last = max((message.sent_at or message.created_at for message in sends), default=job.created_at)
            if now - last < STUCK_AFTER:
                continue
            if len(sends) < TRIES:
                with transaction.atomic():
                    outbox.enqueue(task, job.pk)
                requeued += 1
            elif fail_job(job, stuck_reason(job)):
                failed += 1
    return requeued, failed


def stuck_reason(job) -> str:
    minutes = int(STUCK_AFTER.total_seconds() // 60)
    return _(
        "The import did not finish within %(minutes)s minutes, even when started a second time, and was "
        "stopped; nothing was saved. Upload the file again, or give the system administrator the import "
        "number %(job)s."
    ) % {"minutes": minutes, "job": job.pk}
