"""One human-task completion from code (review → approve, which creates the data-assigned
sign-off task), counted as tests/workflows/inspection/test_query_budget.py counts it: the task is
looked up first, then lock, start, the task's work and execute. Everything runs inside a
transaction rolled back to a savepoint after every repetition, so each completes the same task."""

from django.db import transaction

from registry.models import Factory

from .. import drive
from ..timing import kinds, seconds, statements


class SameReview:
    """A chain stopped before its review; the review task fetched afresh after each rollback."""

    def __init__(self, chain: drive.Chain):
        self.chain = chain.run(until="inspect")
        self.point = self.task = None

    def reset(self):
        if self.point is not None:
            transaction.savepoint_rollback(self.point)
        self.point = transaction.savepoint()
        self.task = self.chain.task("review")

    def complete(self):
        drive.complete(self.task, self.chain.review_work)


def _measure(chain: drive.Chain):
    with transaction.atomic():
        same = SameReview(chain)
        timing = seconds(same.complete, setup=same.reset)
        same.reset()
        sql = statements(same.complete)
        transaction.set_rollback(True)
    return timing, sql


def measure(cast) -> tuple[dict, dict]:
    staff = cast.lopburi
    factory = Factory.objects.filter(office_id=staff.office_id).exclude(inspections__closed_at__isnull=True).first()
    ours, ours_sql = _measure(drive.OurChain(factory, staff))
    _stock, stock_sql = _measure(drive.StockChain(factory, staff))
    figures = {
        "complete_task_queries": len(ours_sql),
        "complete_task_ms": ours.scaled(1000),
        "stock_complete_task_queries": len(stock_sql),
    }
    evidence = {
        "completion statements by kind (ours)": kinds(ours_sql),
        "completion statements by kind (stock)": kinds(stock_sql),
        "completion statements (ours)": [q["sql"][:200] for q in ours_sql],
    }
    return figures, evidence
