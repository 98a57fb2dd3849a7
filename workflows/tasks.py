from celery import shared_task
from viewflow.workflow.timers import fire_due_timers

from . import outbox, sla
from .notify import send_for_task, send_notices


@shared_task
def send_task_mail(task_id: int) -> bool:
    """Enqueued through the outbox: the row is marked done with the e-mail, so it is sent once."""
    return send_for_task(task_id)


@shared_task(outbox_atomic=False)
def send_notice_mails(notice_ids: list[int]) -> int:
    """Enqueued through the outbox by notify.write_many: each notification is marked e-mailed in the
    transaction of its own e-mail, so a retry or a second delivery sends none twice."""
    return send_notices(notice_ids)


@shared_task
def relay_outbox() -> tuple[int, int]:
    """Every minute (beat): hand the broker the outbox rows it could not take at commit."""
    return outbox.relay()


@shared_task
def fire_timers() -> int:
    """Wake the flows whose Timer is due (e.g. the follow-up inspection at an order's deadline)."""
    return fire_due_timers()


@shared_task
def sla_sweep() -> tuple[int, int]:
    return sla.sweep()
