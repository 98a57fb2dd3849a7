"""Charts of the dashboard drawn on the server as SVG (no script, nothing fetched): per row, the
share of the plan's inspections done and the share of the allocation disbursed, with the quarter's
disbursement target as a marker."""

import unicodedata
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


# A Thai line may break anywhere between syllables but not before a vowel or tone mark written
# above, below or after its consonant, nor after a vowel written before it (เ แ โ ใ ไ).
NO_BREAK_BEFORE = set("ะาำๅๆ")
NO_BREAK_AFTER = set("เแโใไ")
# Words of unit names a line best starts with (Thai has no spaces between words).
WORDS = ("กลุ่ม", "จังหวัด", "ภาค", "ตะวัน", "เฉียง", "ตอน", "ฝั่ง", "อ่าว", "อุตสาหกรรม", "กลาง", "เหนือ", "ใต้")


def _may_break(text: str, i: int) -> bool:
    return not (unicodedata.category(text[i]) == "Mn" or text[i] in NO_BREAK_BEFORE or text[i - 1] in NO_BREAK_AFTER)


def label_lines(name: str, width: int = LABEL_CHARS) -> list[str]:
    """A label on one line, or two: the name is wrapped (at a space, else where Thai may break), never
    cut, so two names that differ at their end ("…ตอนบน 1", "…ตอนบน 2") stay different. Only a name
    longer than two lines loses its middle, keeping its end."""
    if len(name) <= width:
        return [name]
    middle = min(len(name) / 2, width)
    limit = range(1, min(len(name), width + 1))
    words = [i for i in limit if name[i - 1] == " " or any(name.startswith(w, i) for w in WORDS)]
    near = [i for i in words if abs(i - middle) <= 10]
    breaks = near or [i for i in range(1, min(len(name), width + 1)) if _may_break(name, i)] or [width]
    cut = min(breaks, key=lambda i: abs(i - middle))
    first, rest = name[:cut].rstrip(), name[cut:].lstrip()
    if len(rest) > width:
        start = next((i for i in range(len(rest) - width + 1, len(rest)) if _may_break(rest, i)), len(rest) - width)
        rest = "…" + rest[start:]
    return [first, rest]


@register.inclusion_tag("dashboards/_chart.html")
def progress_chart(rows, target=None):
    """rows: tracking.Row; target: tracking.Target (its pct may be None)."""
    lines = []
    for n, row in enumerate(rows):
        y = TOP + n * ROW_H
        name = row.label
        label = label_lines(name)
        done, paid = _bar(y, row.figures.done_pct), _bar(y + BAR_H + 2, row.figures.disbursed_pct)
        text_y = y + BAR_H + 4 if len(label) == 1 else y + BAR_H - 2
        lines.append({"label": label, "full": name, "y": y, "text_y": text_y, "done": done, "paid": paid})
    target_x = None
    if target is not None and target.pct is not None:
        target_x = LABEL_W + round(BAR_W * float(target.pct) / 100, 1)
    return {
        "lines": lines, "target": target, "target_x": target_x, "label_w": LABEL_W, "bar_w": BAR_W,
        "bar_h": BAR_H, "width": LABEL_W + BAR_W + 80, "height": TOP + len(lines) * ROW_H + 20,
        "axis_50": LABEL_W + BAR_W / 2, "axis_100": LABEL_W + BAR_W, "legend_y": 14,
    }  # fmt: skip
