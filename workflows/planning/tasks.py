from celery import shared_task

from .risk import risk_recompute_all


@shared_task
def recompute_risk_all() -> int:
    """Every factory's score again (after the process administrator changed a weight)."""
    return risk_recompute_all()
