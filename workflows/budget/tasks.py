"""Periodic jobs of budget follow-up (registered in project/settings.py CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from . import behind, services


@shared_task
def open_monthly_reports() -> int:
    """Open last month's progress report of every approved project (due the 10th)."""
    return services.open_due_reports()


@shared_task
def behind_plan_sweep() -> tuple[int, int]:
    """Flag projects behind plan and escalate those that stay behind."""
    return behind.sweep()
