from celery import shared_task

from .grants import sync_all


@shared_task
def sync_grants_daily() -> tuple[int, int]:
    return sync_all()
