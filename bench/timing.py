"""Repetitions, medians and spreads (time.perf_counter), and statement counts."""

import statistics
import time
from collections import Counter
from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext

REPS = 5
SLOW_REPS = 3
SLOW_S = 2.0  # a warm-up longer than this gets SLOW_REPS repetitions
FAST_REPS = 15
FAST_S = 0.25  # a warm-up shorter than this gets FAST_REPS: a page's median steadied on a shared machine


@dataclass(frozen=True)
class Figure:
    median: float
    low: float
    high: float
    reps: int

    def scaled(self, factor: float, digits: int = 1) -> "Figure":
        return Figure(*(round(v * factor, digits) for v in (self.median, self.low, self.high)), self.reps)

    def inverse(self, count: int, digits: int = 1) -> "Figure":
        """Seconds per `count` operations → operations per second."""
        return Figure(*(round(count / v, digits) for v in (self.median, self.high, self.low)), self.reps)


def _figure(values: list[float]) -> Figure:
    return Figure(statistics.median(values), min(values), max(values), len(values))


def timed(func) -> float:
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


def seconds(func, *, reps: int = REPS, setup=None) -> Figure:
    """Time `func()` after one warm-up, REPS times (FAST_REPS when it is fast, SLOW_REPS when slow);
    `setup()` (untimed) runs before each call."""
    setup = setup or (lambda: None)
    setup()
    warm = timed(func)
    reps = SLOW_REPS if warm > SLOW_S else FAST_REPS if warm < FAST_S and reps == REPS else reps
    values = []
    for _ in range(reps):
        setup()
        values.append(timed(func))
    return _figure(values)


def paired(ours, stock, *, reps: int = REPS) -> tuple[Figure, Figure]:
    """Time two rivals in turn, rep by rep, so that a change in the machine's load hits both."""
    warm = timed(ours) + timed(stock)
    reps = SLOW_REPS if warm > SLOW_S * 2 else reps
    values = [(timed(ours), timed(stock)) for _ in range(reps)]
    return _figure([a for a, _b in values]), _figure([b for _a, b in values])


def interleaved(ours, stock, items: list, *, reps: int = REPS) -> tuple[Figure, Figure]:
    """Time two rivals item by item, `ours(item)` then `stock(item)`, each repetition the sum of each's times
    over `items`: a change in the machine's load (a checkpoint, another process) hits both within
    milliseconds, not one rival's whole batch (after one warm-up round, untimed)."""
    for item in items:
        ours(item), stock(item)
    values = []
    for _ in range(reps):
        total_ours = total_stock = 0.0
        for item in items:
            began = time.perf_counter()
            ours(item)
            between = time.perf_counter()
            stock(item)
            total_ours, total_stock = total_ours + between - began, total_stock + time.perf_counter() - between
        values.append((total_ours, total_stock))
    return _figure([a for a, _b in values]), _figure([b for _a, b in values])


def statements(func) -> list[dict]:
    """The SQL statements `func()` runs on the default database ({"sql", "time"} each)."""
    with CaptureQueriesContext(connection) as captured:
        func()
    return captured.captured_queries


def explain(sql: str) -> str:
    """The database's plan for a captured statement, on one line."""
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        return " | ".join(str(row[-1]).strip() for row in cursor.fetchall())


def kinds(queries: list[dict]) -> dict[str, int]:
    """How many statements of each kind: SELECT, INSERT, UPDATE, SAVEPOINT..."""
    return dict(Counter(query["sql"].split(None, 1)[0].upper() for query in queries).most_common())
