"""Plan-vs-result arithmetic as pure functions (no database): fiscal months, cumulative sums,
and why a project is behind its monthly plan or its fiscal year's quarterly disbursement target.

The fiscal year starts in October: month 1 is October, quarter 1 ends with December, quarter 4
with September. A month is judged once it has ended; a quarter once its last month has ended."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from org.calendar import BE_OFFSET, fiscal_quarter, fiscal_year

ZERO = Decimal("0")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")
QUARTER_END_MONTHS = (12, 3, 6, 9)


def month_start(value: date) -> date:
    return value.replace(day=1)


def add_months(value: date, months: int) -> date:
    index = value.year * 12 + value.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def fiscal_months(fy_be: int) -> list[date]:
    """The twelve months of a BE fiscal year, October first."""
    first = date(fy_be - BE_OFFSET - 1, 10, 1)
    return [add_months(first, n) for n in range(12)]


def quarter_months(fy_be: int, quarter: int) -> list[date]:
    return fiscal_months(fy_be)[(quarter - 1) * 3 : quarter * 3]


def last_ended_month(on: date) -> date:
    """The latest month that has ended on `on` (a month is over once the next one starts)."""
    return add_months(month_start(on), -1)


def ended_quarters(fy_be: int, on: date) -> list[int]:
    """The quarters of `fy_be` whose last month has ended on `on`."""
    last = last_ended_month(on)
    return [q for q in (1, 2, 3, 4) if quarter_months(fy_be, q)[-1] <= last]


def be_text(value: date | None) -> str:
    """25/03/2567: a date as stored in the audit trail, readable in either language (Buddhist era)."""
    return f"{value.day:02d}/{value.month:02d}/{value.year + BE_OFFSET}" if value else ""


def be_month_text(value: date) -> str:
    """03/2567: a month in the Buddhist era."""
    return f"{value.month:02d}/{value.year + BE_OFFSET}"


def pct(part: Decimal, whole: Decimal) -> Decimal:
    """`part` as a percentage of `whole`, two decimals (0 when there is no whole)."""
    if not whole:
        return ZERO
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


def cumulative(by_month: Mapping[date, Decimal], through: date) -> Decimal:
    """The sum of the monthly amounts up to and including the month of `through`."""
    last = month_start(through)
    return sum((amount or ZERO for month, amount in by_month.items() if month <= last), ZERO)


def running_totals(by_month: Mapping[date, Decimal], months: Iterable[date]) -> list[Decimal]:
    total, result = ZERO, []
    for month in months:
        total += by_month.get(month) or ZERO
        result.append(total)
    return result


def latest_at(by_month: Mapping[date, Decimal], through: date) -> Decimal:
    """A cumulative figure (physical progress) as last stated up to the month of `through`."""
    last = month_start(through)
    months = [m for m in by_month if m <= last and by_month[m] is not None]
    return by_month[max(months)] if months else ZERO


@dataclass(frozen=True)
class Behind:
    """One reason why a project is behind plan, readable by a person."""

    kind: str  # "disbursement", "progress" or "quarter"
    month: date
    planned: Decimal
    actual: Decimal

    def __str__(self):
        be = be_month_text(self.month)
        if self.kind == "quarter":
            text = _("Q%(q)s FY %(fy)s: disbursed %(actual)s%% of the allocation, target %(planned)s%%")
            return str(text % {"q": fiscal_quarter(self.month), "fy": fiscal_year(self.month),
                               "actual": self.actual, "planned": self.planned})  # fmt: skip
        if self.kind == "progress":
            text = _("Physical progress at %(month)s: %(actual)s%% against a plan of %(planned)s%%")
        else:
            text = _(
                "Cumulative disbursement at %(month)s: %(actual)s%% of the allocation against a plan of %(planned)s%%"
            )
        return str(text % {"month": be, "actual": self.actual, "planned": self.planned})


def behind_plan(
    *,
    fy_be: int,
    allocation: Decimal,
    planned_disbursement: Mapping[date, Decimal],
    planned_progress: Mapping[date, Decimal],
    disbursed: Mapping[date, Decimal],
    progress: Mapping[date, Decimal],
    on: date,
    threshold: Decimal,
    quarter_targets: tuple[Decimal, Decimal, Decimal, Decimal] | None = None,
) -> list[Behind]:
    """Why a project is behind on `on`: at the last ended month of its fiscal year, cumulative
    disbursement (as % of the allocation) or physical progress trailing the plan by more than
    `threshold` points; and the latest ended quarter when its cumulative disbursement missed its target."""
    months = fiscal_months(fy_be)
    last = min(last_ended_month(on), months[-1])
    if last < months[0]:
        return []
    reasons = []
    planned_pct = pct(cumulative(planned_disbursement, last), allocation)
    actual_pct = pct(cumulative(disbursed, last), allocation)
    if planned_pct - actual_pct > threshold:
        reasons.append(Behind("disbursement", last, planned_pct, actual_pct))
    planned_progress_now = latest_at(planned_progress, last)
    progress_now = latest_at(progress, last)
    if planned_progress_now - progress_now > threshold:
        reasons.append(Behind("progress", last, planned_progress_now, progress_now))
    quarters = ended_quarters(fy_be, on)
    if quarter_targets is not None and quarters:
        quarter = quarters[-1]  # a quarter missed earlier but made up since no longer counts
        end = quarter_months(fy_be, quarter)[-1]
        actual = pct(cumulative(disbursed, end), allocation)
        if actual < quarter_targets[quarter - 1]:
            reasons.append(Behind("quarter", end, quarter_targets[quarter - 1], actual))
    return reasons
