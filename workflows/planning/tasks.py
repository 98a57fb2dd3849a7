from celery import shared_task

from project.celery import LONG_TASK

from .risk import risk_recompute_all


@shared_task(**LONG_TASK)
def recompute_risk_all() -> int:
    """Every factory's score again (after the process administrator changed a weight)."""
    return risk_recompute_all()
