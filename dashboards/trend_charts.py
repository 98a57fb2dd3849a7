"""Monthly trends against the year before, drawn on the server as SVG (no script, nothing fetched):
per figure, this fiscal year's months so far as a solid line and the previous year's twelve as a
dashed one, from the summary tables (tracking.Trends, read with the page's figures: no statement of
its own). Each chart links to the list behind it."""

from dataclasses import dataclass

from django.utils.dates import MONTHS_AP
from django.utils.translation import gettext_lazy as _

from org.calendar import fiscal_year

from .funnel_plot import _nice, _range
from .summary import fiscal_month
from .tracking import Trends

W, H = 340, 180
LEFT, RIGHT, TOP, BOTTOM = 36, 10, 12, 26
FISCAL_MONTHS = [10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9]


@dataclass(frozen=True)
class Measure:
    key: str  # a field of dashboards.models.OfficeMonth
    label: str
    link: str  # which of the page's lists: "cases", "orders", "complaints"


MEASURES = [
    Measure("signed_off", _("Inspections done (signed off)"), "cases"),
    Measure("orders_issued", _("Corrective orders issued"), "orders"),
    Measure("complaints", _("Complaints received"), "complaints"),
]


def months_shown(fy: int, today) -> int:
    """How many months of `fy` have begun by `today` (12 for a past year, 0 for a future one)."""
    current = fiscal_year(today)
    if fy < current:
        return 12
    return fiscal_month(today) if fy == current else 0


def chart(trends: Trends, measure: Measure, today, url: str) -> dict:
    fy = trends.fy
    this = trends.of(measure.key, fy)[: months_shown(fy, today)]
    last = trends.of(measure.key, fy - 1)
    top = max([*this, *last, 4])
    step = max(1.0, _nice(top))
    ticks = _range(step, top * 1.05) or [0]
    y_top = max(ticks[-1], top)
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(i: int) -> float:
        return round(LEFT + plot_w * (i + 0.5) / 12, 1)

    def y(v: float) -> float:
        return round(TOP + plot_h * (1 - v / y_top), 1)

    def line(values: list[int], first: int = 0) -> str:
        return " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values, start=first))

    names = [str(MONTHS_AP[m]) for m in FISCAL_MONTHS]
    # the month under way is drawn apart (a hollow point on a dotted line) and left out of the
    # comparison with last year, which would otherwise always read as a fall
    ended = len(this) - 1 if fy == fiscal_year(today) else len(this)
    same_months = sum(last[:ended])
    change = None
    if ended and same_months:
        change = round((sum(this[:ended]) - same_months) * 100 / same_months)
    return {
        "measure": measure, "url": url, "fy": fy, "previous": fy - 1, "width": W, "height": H,
        "left": LEFT, "right": W - RIGHT, "top": TOP, "bottom": H - BOTTOM,
        "this_line": line(this[:ended]), "last_line": line(last),
        "partial_line": line(this[max(ended - 1, 0) :], max(ended - 1, 0)) if ended < len(this) else "",
        "this_points": [{"x": x(i), "y": y(v), "v": v, "month": names[i], "partial": i >= ended}
                        for i, v in enumerate(this)],
        "last_points": [{"x": x(i), "y": y(v), "v": v, "month": names[i]} for i, v in enumerate(last)],
        "ticks": [{"y": y(t), "label": f"{t:g}"} for t in ticks],
        "months": [{"x": x(i), "label": name} for i, name in enumerate(names) if i % 2 == 0],
        "label_y": H - 8, "total": sum(this), "ended_total": sum(this[:ended]), "same_months": same_months,
        "change": change, "ended": ended, "first_month": names[0], "last_ended": names[ended - 1] if ended else "",
    }  # fmt: skip


def charts(trends: Trends | None, today, links: dict[str, str]) -> list[dict]:
    if trends is None:
        return []
    return [chart(trends, m, today, links[m.link]) for m in MEASURES]
