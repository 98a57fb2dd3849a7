"""Charts of the dashboard drawn on the server as SVG (no script, nothing fetched): per row, the
share of the plan's inspections done and the share of the allocation disbursed, with the quarter's
disbursement target as a marker."""

from dataclasses import dataclass
from decimal import Decimal

from django import template

register = template.Library()

LABEL_W, BAR_W, ROW_H, BAR_H, TOP = 300, 420, 46, 14, 34
LABEL_CHARS = 38


@dataclass(frozen=True)
class Bar:
    y: int
    width: float
    pct: Decimal | None


def _bar(y: int, pct: Decimal | None) -> Bar:
    share = min(max(float(pct or 0), 0.0), 100.0)
    return Bar(y, round(BAR_W * share / 100, 1), pct)


@register.inclusion_tag("dashboards/_chart.html")
def progress_chart(rows, target=None):
    """rows: tracking.Row; target: tracking.Target (its pct may be None)."""
    lines = []
    for n, row in enumerate(rows):
        y = TOP + n * ROW_H
        name = row.label
        label = name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"
        done, paid = _bar(y, row.figures.done_pct), _bar(y + BAR_H + 2, row.figures.disbursed_pct)
        lines.append({"label": label, "full": name, "y": y, "text_y": y + BAR_H + 4, "done": done, "paid": paid})
    target_x = None
    if target is not None and target.pct is not None:
        target_x = LABEL_W + round(BAR_W * float(target.pct) / 100, 1)
    return {
        "lines": lines, "target": target, "target_x": target_x, "label_w": LABEL_W, "bar_w": BAR_W,
        "bar_h": BAR_H, "width": LABEL_W + BAR_W + 80, "height": TOP + len(lines) * ROW_H + 20,
        "axis_50": LABEL_W + BAR_W / 2, "axis_100": LABEL_W + BAR_W, "legend_y": 14,
    }  # fmt: skip
