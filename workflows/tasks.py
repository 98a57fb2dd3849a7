from celery import shared_task

from .notify import send_for_task


@shared_task
def send_task_mail(task_id: int) -> bool:
    return send_for_task(task_id)
