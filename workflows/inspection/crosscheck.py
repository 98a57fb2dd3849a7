"""The cross-check: what the inspector observes against what the factory reported itself.

A checklist item names its self-reported counterpart (`reported_field`, a field key of a report kind,
e.g. `bod`) and a tolerance in per cent. While inspecting, each such item shows the factory's latest
filed value beside the field; on every save the observed figure is compared with it and the answer
keeps the value, which report it came from, the deviation and the flag — so the review, the case
page, the PDF and the counts per factory read what the inspector saw."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from .models import Answer


@dataclass(frozen=True)
class Comparison:
    reported: Decimal | None
    source: str
    deviation_pct: Decimal | None
    discrepancy: bool


NOT_COMPARED = Comparison(None, "", None, False)
ONE_DECIMAL = Decimal("0.1")


def deviation_pct(observed: Decimal | None, reported: Decimal | None) -> Decimal | None:
    """How far the observed value is from the reported one, in per cent of the reported value
    (None when either is missing or the reported value is 0)."""
    if observed is None or reported is None or reported == 0:
        return None
    return (abs(Decimal(observed) - reported) / abs(reported) * 100).quantize(ONE_DECIMAL)


def is_discrepancy(item, observed: Decimal | None, reported: Decimal | None) -> bool:
    """Beyond the item's tolerance: strictly more than tolerance_pct away (exactly at the tolerance is
    still consistent). A reported 0 differs from any observed non-zero value."""
    if observed is None or reported is None or item.tolerance_pct is None:
        return False
    if reported == 0:
        return Decimal(observed) != 0
    return abs(Decimal(observed) - reported) * 100 > item.tolerance_pct * abs(reported)


def latest_reported(factory, items) -> dict:
    """{item_id: ReportedValue} for the items that have a self-reported counterpart the factory (the
    object or its key) filed."""
    from registry.selfreports.selectors import latest_values

    keyed = [item for item in items if item.reported_field]
    if not keyed:
        return {}
    values = latest_values(factory, sorted({item.reported_field for item in keyed}))
    return {item.pk: values[item.reported_field] for item in keyed if item.reported_field in values}


def compare(item, observed: Decimal | None, reported_value) -> Comparison:
    if reported_value is None:
        return NOT_COMPARED
    reported = reported_value.value
    source = f"{reported_value.kind_label} {reported_value.period_label}".strip()[:120]
    return Comparison(reported, source, deviation_pct(observed, reported), is_discrepancy(item, observed, reported))


def discrepancy_counts(factory_ids) -> dict[int, int]:
    """Discrepancies found per factory over all its inspections (one query)."""
    rows = (
        Answer.objects.filter(discrepancy=True, inspection__factory_id__in=list(factory_ids))
        .values("inspection__factory_id")
        .annotate(n=Count("pk"))
    )
    return {row["inspection__factory_id"]: row["n"] for row in rows}
