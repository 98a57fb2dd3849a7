"""The explainable risk score of a factory: a sum of components, each `min(units × points per unit,
maximum)`, where the units are a raw input (reports late, discrepancies found, orders in force or
not complied with, accepted complaints, years since the last closed inspection, factory type,
category) and the weights are data (RiskWeight, CategoryRisk).

Inputs are read in bulk with one aggregate query per input for a batch of factories, so refreshing
5 or 2,000 factories costs the same number of queries; `risk_refresh` is what the services call when
an input changes (inspection closed, order issued or followed up, complaint accepted), and
`risk_recompute_all` (manage.py recompute_risk) walks the whole registry in batches."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Max, Q
from django.utils import timezone

from registry.models import Factory
from workflows.inspection.models import Answer, CorrectiveOrder, Inspection, OrderStatus

from .models import CategoryRisk, RiskComponent, RiskScore, RiskWeight

BATCH = 2000
LOOKBACK_YEARS = 3  # discrepancies, orders not complied with and complaints older than this no longer count
TENTH = Decimal("0.1")
C = RiskComponent

# component: (points per unit, maximum points, Thai explanation, English explanation). The maxima add up to 100.
DEFAULT_WEIGHTS: dict[str, tuple[str, str, str, str]] = {
    C.LATE_REPORTS: ("5", "15", "รายงานการประกอบกิจการที่ยื่นล่าช้าหรือไม่ยื่น ฉบับละ 5 คะแนน สูงสุด 15 คะแนน",
                     "Self-reports filed late or not at all: 5 points each, at most 15."),
    C.DISCREPANCIES: ("3", "15", "ข้อมูลที่ตรวจพบไม่ตรงกับที่โรงงานรายงาน (ในรอบ 3 ปี) รายการละ 3 คะแนน สูงสุด 15 คะแนน",
                      "Observed figures that differ from the self-report (last 3 years): 3 points each, at most 15."),
    C.OPEN_ORDERS: ("10", "15", "คำสั่งให้ปรับปรุงแก้ไขที่ยังมีผลอยู่ ฉบับละ 10 คะแนน สูงสุด 15 คะแนน",
                    "Corrective orders in force: 10 points each, at most 15."),
    C.IGNORED_ORDERS: ("15", "15", "คำสั่งที่โรงงานไม่ปฏิบัติตาม (ในรอบ 3 ปี) ฉบับละ 15 คะแนน สูงสุด 15 คะแนน",
                       "Orders not complied with (last 3 years): 15 points each, at most 15."),
    C.COMPLAINTS: ("5", "10", "เรื่องร้องเรียนที่รับไว้ตรวจสอบ (ในรอบ 3 ปี) เรื่องละ 5 คะแนน สูงสุด 10 คะแนน",
                   "Accepted complaints (last 3 years): 5 points each, at most 10."),
    C.SINCE_INSPECTION: ("4", "15", "ระยะเวลานับจากการตรวจครั้งล่าสุด ปีละ 4 คะแนน สูงสุด 15 คะแนน "
                         "(ไม่เคยตรวจได้คะแนนเต็ม)",
                         "Years since the last closed inspection: 4 points a year, at most 15 (never inspected: 15)."),
    C.FACTORY_TYPE: ("5", "10", "ประเภทโรงงาน: จำพวกที่ 2 ได้ 5 คะแนน จำพวกที่ 3 ได้ 10 คะแนน",
                     "Factory type: type 2 gives 5 points, type 3 gives 10."),
    C.CATEGORY: ("1", "5", "ลำดับประเภทโรงงานที่มีความเสี่ยงสูง ตามหน่วยความเสี่ยงที่กำหนดไว้ หน่วยละ 1 คะแนน สูงสุด 5 คะแนน",
                 "High-risk factory categories: 1 point per risk unit set for the category, at most 5."),
}  # fmt: skip


@dataclass(frozen=True)
class Weight:
    per_unit: Decimal
    max_points: Decimal
    explanation: str = ""


def weights() -> dict[str, Weight]:
    """The weights in force (one query); a component without a row uses its default."""
    rows = {w.component: w for w in RiskWeight.objects.all()}
    result = {}
    for component, (per_unit, max_points, th, _en) in DEFAULT_WEIGHTS.items():
        row = rows.get(component)
        result[component] = (
            Weight(row.points_per_unit, row.max_points, row.explanation)
            if row
            else Weight(Decimal(per_unit), Decimal(max_points), th)
        )
    return result


def points(units, weight: Weight) -> Decimal:
    """The points of one component: units × points per unit, at most the maximum; `None` units
    (e.g. never inspected) give the maximum."""
    if units is None:
        return weight.max_points.quantize(TENTH)
    return min(Decimal(str(units)) * weight.per_unit, weight.max_points).quantize(TENTH)


# --- inputs: {factory_id: units} for a batch of factories, one query each ---------------------------


def _since(on: date) -> datetime:
    return timezone.make_aware(datetime.combine(on - timedelta(days=365 * LOOKBACK_YEARS), time.min))


def late_reports(ids: list[int], *, on: date) -> dict[int, int] | None:
    """Self-reports late or missing (registry.selfreports); None while that module is not installed."""
    try:
        from registry.selfreports.selectors import overdue_counts
    except ImportError:  # the self-reports part of the registry is not there yet: no points, and the page says so
        return None
    return overdue_counts(ids, on=on)


def discrepancies(ids: list[int], *, on: date) -> dict[int, int]:
    rows = (
        Answer.objects.filter(discrepancy=True, inspection__factory_id__in=ids, inspection__created_at__gte=_since(on))
        .values_list("inspection__factory_id")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def orders(ids: list[int], *, on: date) -> tuple[dict[int, int], dict[int, int]]:
    """(orders in force, orders not complied with in the lookback) per factory, in one query."""
    ignored = Q(status=OrderStatus.NOT_COMPLIED, drafted_at__gte=_since(on))
    rows = (
        CorrectiveOrder.objects.filter(inspection__factory_id__in=ids)
        .filter(Q(status=OrderStatus.ISSUED) | ignored)
        .values("inspection__factory_id")
        .annotate(open=Count("pk", filter=Q(status=OrderStatus.ISSUED)), ignored=Count("pk", filter=ignored))
    )
    in_force, not_complied = {}, {}
    for row in rows:
        in_force[row["inspection__factory_id"]] = row["open"]
        not_complied[row["inspection__factory_id"]] = row["ignored"]
    return in_force, not_complied


def complaints(ids: list[int], *, on: date) -> dict[int, int]:
    """Complaints the office accepted (status accepted, or answered/closed after an inspection)."""
    from workflows.complaint.models import Complaint, ComplaintStatus

    rows = (
        Complaint.objects.filter(factory_id__in=ids, created_at__gte=_since(on))
        .filter(Q(status=ComplaintStatus.ACCEPTED) | Q(inspection__isnull=False))
        .exclude(status=ComplaintStatus.REJECTED)
        .values_list("factory_id")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def last_inspections(ids: list[int]) -> dict[int, date]:
    rows = (
        Inspection.objects.filter(factory_id__in=ids, closed_at__isnull=False)
        .values_list("factory_id")
        .annotate(last=Max("closed_at"))
    )
    return {factory_id: timezone.localdate(last) for factory_id, last in rows}


def years_since(last: date | None, on: date) -> Decimal | None:
    return None if last is None else (Decimal(max((on - last).days, 0)) / Decimal("365.25")).quantize(TENTH)


def category_units(code: str, table: dict[str, CategoryRisk]) -> tuple[int, str]:
    """(units, the matching code) for a category code: the exact code, else its category number."""
    row = table.get(code) or table.get(code.split("(")[0].strip())
    return (row.units, row.code) if row else (0, "")


# --- scoring ----------------------------------------------------------------------------------------


def score_rows(factories: list[tuple[int, int, str]], *, on: date, weights: dict[str, Weight],
               categories: dict[str, CategoryRisk]) -> list[RiskScore]:  # fmt: skip
    """Unsaved RiskScore rows for (pk, factory_type, category_code) tuples: 5 queries plus the self-reports'."""
    ids = [f[0] for f in factories]
    reports = late_reports(ids, on=on)
    found = discrepancies(ids, on=on)
    in_force, not_complied = orders(ids, on=on)
    accepted = complaints(ids, on=on)
    last = last_inspections(ids)
    now = timezone.now()
    rows = []
    for pk, factory_type, category_code in factories:
        units, code = category_units(category_code, categories)
        inputs = {
            C.LATE_REPORTS: {"units": (reports or {}).get(pk, 0), **({"unavailable": True} if reports is None else {})},
            C.DISCREPANCIES: {"units": found.get(pk, 0)},
            C.OPEN_ORDERS: {"units": in_force.get(pk, 0)},
            C.IGNORED_ORDERS: {"units": not_complied.get(pk, 0)},
            C.COMPLAINTS: {"units": accepted.get(pk, 0)},
            C.SINCE_INSPECTION: {
                "units": years_since(last.get(pk), on),
                "last": last[pk].isoformat() if pk in last else None,
            },
            C.FACTORY_TYPE: {"units": max(factory_type - 1, 0), "type": factory_type},
            C.CATEGORY: {"units": units, "code": category_code, "matched": code},
        }
        components, total = {}, Decimal(0)
        for component, data in inputs.items():
            value = points(data["units"], weights[component])
            total += value
            components[component] = {**data, "units": _json_units(data["units"]), "points": str(value)}
        rows.append(RiskScore(factory_id=pk, score=total, components=components, computed_at=now))
    return rows


def _json_units(units):
    return str(units) if isinstance(units, Decimal) else units


def _save(rows: list[RiskScore]) -> None:
    RiskScore.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["factory"], update_fields=["score", "components", "computed_at"]
    )


def _categories() -> dict[str, CategoryRisk]:
    return {row.code: row for row in CategoryRisk.objects.all()}


def risk_refresh(factory_ids: Iterable[int], *, on: date | None = None) -> int:
    """Recompute and store the scores of these factories (the services call this when an input
    changes). A constant number of queries per batch of BATCH factories."""
    ids = sorted(set(factory_ids))
    if not ids:
        return 0
    on = on or timezone.localdate()
    weight, categories = weights(), _categories()
    done = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        factories = list(Factory.objects.filter(pk__in=chunk).values_list("pk", "factory_type", "category_code"))
        _save(score_rows(factories, on=on, weights=weight, categories=categories))
        done += len(factories)
    return done


def risk_recompute_all(
    *, on: date | None = None, batch: int = BATCH, progress: Callable[[int, int], None] | None = None
) -> int:
    """Every factory's score, walking the registry by primary key in batches (manage.py recompute_risk)."""
    on = on or timezone.localdate()
    weight, categories = weights(), _categories()
    total = Factory.objects.count()
    done, after = 0, 0
    while True:
        factories = list(
            Factory.objects.filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", "factory_type", "category_code")[:batch]
        )
        if not factories:
            break
        _save(score_rows(factories, on=on, weights=weight, categories=categories))
        done, after = done + len(factories), factories[-1][0]
        if progress:
            progress(done, total)
    return done
