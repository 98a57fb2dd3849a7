from celery import shared_task

from project.celery import LONG_TASK

from .risk import risk_recompute_all, risk_refresh


@shared_task(**LONG_TASK)
def recompute_risk_all() -> int:
    """Every factory's score again (after the process administrator changed a weight)."""
    return risk_recompute_all()


@shared_task
def refresh_risk(factory_ids: list[int]) -> int:
    """These factories' scores again, after the commit that changed one of their inputs (a case closed),
    through the outbox. Idempotent: the scores are recomputed from the data and stored in place (one
    row per factory), so a second delivery writes the same scores, and the outbox row is marked done in
    the same transaction."""
    return risk_refresh(factory_ids)
