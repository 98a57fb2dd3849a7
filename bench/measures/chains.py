"""Whole chains from code, committed as in production (start → assign → inspect → review →
sign-off), ours and stock Viewflow's in the same run, on Lopburi factories without an open case."""

import time

from registry.models import Factory

from .. import drive
from ..timing import interleaved, statements

CHAINS_PER_REP = 10


def free_factories(office_id: int, count: int) -> list[Factory]:
    free = Factory.objects.filter(office_id=office_id).exclude(inspections__closed_at__isnull=True)
    found = list(free.order_by("pk")[:count])
    if not found:
        raise RuntimeError("No factory without an open case in the office that runs the chains.")
    return [found[i % len(found)] for i in range(count)]  # a chain closes its case: the factory is free again


def step_profile(chain: drive.Chain) -> tuple[dict[str, str], int]:
    """Milliseconds and statements of each step of one chain, and its statements in all (each step's
    look-up of its task and the hand-over of its e-mail to the broker after the commit included)."""
    profile, total = {}, 0
    for step in drive.STEPS:
        started = time.perf_counter()
        sql = statements(getattr(chain, step))
        profile[step] = f"{(time.perf_counter() - started) * 1000:.1f} ms, {len(sql)} statements"
        total += len(sql)
    return profile, total


def measure(cast, chains: int = CHAINS_PER_REP) -> tuple[dict, dict]:
    staff = cast.lopburi
    factories = free_factories(staff.office_id, chains)

    def run(chain_class):
        return lambda factory: chain_class(factory, staff).run()

    ours, stock = interleaved(run(drive.OurChain), run(drive.StockChain), factories)
    our_steps, our_total = step_profile(drive.OurChain(factories[0], staff))
    stock_steps, stock_total = step_profile(drive.StockChain(factories[0], staff))
    figures = {
        "chain_per_s": ours.inverse(chains),
        "stock_chain_per_s": stock.inverse(chains),
        "chain_queries": our_total,
        "stock_chain_queries": stock_total,
    }
    evidence = {"one chain step by step (ours)": our_steps, "one chain step by step (stock)": stock_steps}
    return figures, evidence
