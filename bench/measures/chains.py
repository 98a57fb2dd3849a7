"""Whole chains from code, committed as in production (start → assign → inspect → review →
sign-off), ours and stock Viewflow's in the same run, on Lopburi factories without an open case."""

import time

from registry.models import Factory

from .. import drive
from ..timing import paired, statements

CHAINS_PER_REP = 10


def free_factories(office_id: int, count: int) -> list[Factory]:
    free = Factory.objects.filter(office_id=office_id).exclude(inspections__closed_at__isnull=True)
    found = list(free.order_by("pk")[:count])
    if not found:
        raise RuntimeError("No factory without an open case in the office that runs the chains.")
    return [found[i % len(found)] for i in range(count)]  # a chain closes its case: the factory is free again


def step_profile(chain: drive.Chain) -> dict[str, str]:
    """Milliseconds and statements of each step of one chain."""
    profile = {}
    for step in drive.STEPS:
        started = time.perf_counter()
        sql = statements(getattr(chain, step))
        profile[step] = f"{(time.perf_counter() - started) * 1000:.1f} ms, {len(sql)} statements"
    return profile


def measure(cast, chains: int = CHAINS_PER_REP) -> tuple[dict, dict]:
    staff = cast.lopburi
    factories = free_factories(staff.office_id, chains)

    def run(chain_class):
        return lambda: [chain_class(factory, staff).run() for factory in factories]

    ours, stock = paired(run(drive.OurChain), run(drive.StockChain))
    figures = {"chain_per_s": ours.inverse(chains), "stock_chain_per_s": stock.inverse(chains)}
    evidence = {
        "one chain step by step (ours)": step_profile(drive.OurChain(factories[0], staff)),
        "one chain step by step (stock)": step_profile(drive.StockChain(factories[0], staff)),
    }
    return figures, evidence
