"""One human-task completion from code (review → approve, which creates the data-assigned
sign-off task), counted as tests/workflows/inspection/test_query_budget.py counts it: the task is
looked up first (not counted), the acting person is as a new request loads them (access scope not
read yet), caches are warm; then lock, start, the task's work and execute. Counted are the
statements strictly inside the completion's own transaction: its first captured statement opens it
(SAVEPOINT here, BEGIN in a request) and its last closes it (RELEASE SAVEPOINT / COMMIT); those two
are not counted, for ours and for stock alike. What a flow sends inside its transaction counts
(stock's gateway savepoints included). Everything runs inside a transaction rolled back to a
savepoint after every repetition, so each completes the same task."""

from django.db import transaction

from registry.models import Factory

from .. import drive
from ..timing import kinds, seconds, statements

OPENS, CLOSES = ("SAVEPOINT", "BEGIN"), ("RELEASE SAVEPOINT", "COMMIT")


def inside(queries: list[dict]) -> list[dict]:
    """The statements strictly inside the completion's own transaction (its bracket dropped)."""
    if not (
        len(queries) >= 2
        and queries[0]["sql"].lstrip().upper().startswith(OPENS)
        and queries[-1]["sql"].lstrip().upper().startswith(CLOSES)
    ):
        raise RuntimeError(
            "A completion must run in one transaction of its own: "
            + repr([q["sql"][:60] for q in queries[:1] + queries[-1:]])
        )
    return queries[1:-1]


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
        sql = inside(statements(same.complete))
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
