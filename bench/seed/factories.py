"""Factories: registry.demo's realistic rows, parsed by the import's own row rules, bulk-inserted."""

from registry.demo import demo_rows
from registry.imports import parse_row
from registry.models import Factory
from registry.rules import GeoIndex

from .bulk import BATCH, insert


def make_factories(total: int, seed: int = 7) -> int:
    geo = GeoIndex.load()
    rows = demo_rows(total=total, seed=seed)
    for start in range(0, len(rows), BATCH):
        insert(Factory, [parse_row(row, geo) for row in rows[start : start + BATCH]])
    return len(rows)


def factories_by_office() -> dict[int, list[tuple[int, str]]]:
    """(pk, registration number) of the factories each office supervises (Bangkok's have none)."""
    found: dict[int, list[tuple[int, str]]] = {}
    rows = Factory.objects.filter(office__isnull=False).order_by("pk").values_list("office_id", "pk", "reg_no")
    for office_id, pk, reg_no in rows.iterator(chunk_size=BATCH):
        found.setdefault(office_id, []).append((pk, reg_no))
    return found
