"""The dashboard's background work: the summary tables brought up to date off the request path."""

from celery import shared_task

from . import summary


@shared_task
def refresh_summaries() -> int:
    """Recompute the buckets the committed changes marked (dashboards.summary.settle), every
    summary.SETTLE_SECONDS from beat; idempotent, and safe with two workers at once."""
    return summary.settle()
