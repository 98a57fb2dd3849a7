"""A map of the provinces drawn on the server as SVG from our own geography data, nothing fetched:
one circle per province at the median of its sub-districts' coordinates (the shared thai-geo CSVs,
settings.GEO_DATA_DIR, read once per process), coloured by a chosen figure of its provincial office,
each linking to that office's dashboard. A province whose sub-districts carry no coordinates (in
today's data only Bangkok, which has no provincial industry office) is listed under the map instead.

The projection is equirectangular, longitudes shrunk by the cosine of the country's middle latitude:
at Thailand's size the shapes are what a reader expects and no library is needed."""

import csv
import math
import statistics
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .tracking import Board, Figures


@dataclass(frozen=True)
class Place:
    code: int  # the province's official 2-digit code (Province.pk)
    name_th: str
    lat: float | None
    lon: float | None


def _rows(name: str) -> list[dict]:
    path = Path(settings.GEO_DATA_DIR) / name
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [row for row in csv.DictReader(fh) if not row.get("deleted_at")]


@cache
def places() -> dict[int, Place]:
    """{province code: Place}, as org.geo.load_geography reads the same files (the official code is
    the first two digits of the province's districts' codes)."""
    districts = _rows("districts.csv")
    code_of_province = {row["province_id"]: int(row["id"][:2]) for row in districts}
    province_of_district = {row["id"]: code_of_province[row["province_id"]] for row in districts}
    points: dict[int, list[tuple[float, float]]] = {}
    for row in _rows("sub_districts.csv"):
        code = province_of_district.get(row["district_id"])
        if code is not None and row["lat"].strip() and row["long"].strip():
            points.setdefault(code, []).append((float(row["lat"]), float(row["long"])))
    result = {}
    for row in _rows("provinces.csv"):
        code = code_of_province.get(row["id"])
        if code is None:
            continue
        found = points.get(code)
        lat = statistics.median(p[0] for p in found) if found else None
        lon = statistics.median(p[1] for p in found) if found else None
        result[code] = Place(code, row["name_th"].strip(), lat, lon)
    return result


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str  # "%" or ""
    higher_is_better: bool

    def of(self, f: Figures) -> Decimal | int | None:
        return {
            "done": f.done_pct, "compliance": f.compliance_pct, "in_time": f.in_time_pct,
            "disbursed": f.disbursed_pct, "orders": f.orders_open, "overdue": f.overdue, "behind": f.behind,
            "reports_late": f.reports_late,
        }[self.key]  # fmt: skip


MEASURES = [
    Measure("done", _("Inspections done of plan (%)"), "%", True),
    Measure("compliance", _("Compliance (%)"), "%", True),
    Measure("in_time", _("Complaints answered in time (%)"), "%", True),
    Measure("disbursed", _("Disbursed of allocation (%)"), "%", True),
    Measure("orders", _("Orders in force"), "", False),
    Measure("overdue", _("Overdue tasks"), "", False),
    Measure("behind", _("Projects behind plan"), "", False),
    Measure("reports_late", _("Progress reports late"), "", False),
]
BY_KEY = {m.key: m for m in MEASURES}

# Five steps of one colour ramp (ColorBrewer YlGnBu / OrRd, readable by the colour-blind), light = low.
GOOD_RAMP = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]
BAD_RAMP = ["#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000"]
NO_DATA, OUTSIDE = "#ffffff", "#d9d9d9"

WIDTH, PAD, RADIUS = 360, 14, 8


def measure_of(request) -> Measure:
    """?figure=<key> (done by default); an unknown one is a 404, as an unknown fiscal year."""
    key = request.GET.get("figure") or MEASURES[0].key
    if key not in BY_KEY:
        raise Http404
    return BY_KEY[key]


def _bins(measure: Measure, values: list) -> list[tuple[float, float]]:
    """Five equal steps: 0–100 for a percentage, 0–the largest value for a count."""
    top = 100.0 if measure.unit == "%" else float(max(values, default=0) or 1)
    step = top / 5
    return [(step * i, step * (i + 1)) for i in range(5)]


def _step(value: float, bins) -> int:
    for n, (_low, high) in enumerate(bins):
        if value <= high:
            return n
    return len(bins) - 1


def province_map(board: Board, measure: Measure) -> dict:
    """What templates/dashboards/_map.html draws: every placed province (grey when not in the
    board's scope), the board's offices coloured by `measure`, a legend and the provinces not placed."""
    every = places()
    placed = [p for p in every.values() if p.lat is not None]
    lat_mid = (min(p.lat for p in placed) + max(p.lat for p in placed)) / 2
    shrink = math.cos(math.radians(lat_mid))
    west, east = min(p.lon for p in placed), max(p.lon for p in placed)
    north, south = max(p.lat for p in placed), min(p.lat for p in placed)
    scale = (WIDTH - 2 * PAD) / ((east - west) * shrink)
    height = round((north - south) * scale + 2 * PAD)

    def xy(place: Place) -> tuple[float, float]:
        return round(PAD + (place.lon - west) * shrink * scale, 1), round(PAD + (north - place.lat) * scale, 1)

    ramp = GOOD_RAMP if measure.higher_is_better else BAD_RAMP
    values = {unit.province_id: measure.of(f) for unit, f in board.offices if unit.province_id}
    bins = _bins(measure, [float(v) for v in values.values() if v is not None])
    in_scope = {unit.province_id: unit for unit, _f in board.offices}
    dots, unplaced = [], []
    for place in sorted(every.values(), key=lambda p: p.code):
        unit = in_scope.get(place.code)
        if place.lat is None:
            if unit is not None:
                unplaced.append({"name": place.name_th, "url": reverse("dashboards:office", args=[unit.pk])})
            continue
        x, y = xy(place)
        # a province outside the scope is an unnamed grey dot: it shapes the country, says nothing more
        dot = {"x": x, "y": y, "name": "", "url": "", "value": None, "fill": OUTSIDE, "r": RADIUS - 3}
        if unit is not None:
            dot["name"] = place.name_th
            value = values.get(place.code)
            dot |= {"url": reverse("dashboards:office", args=[unit.pk]), "value": value, "r": RADIUS,
                    "fill": NO_DATA if value is None else ramp[_step(float(value), bins)]}  # fmt: skip
        dots.append(dot)
    dots.sort(key=lambda d: d["url"] != "")  # the scope's circles drawn last, on top
    legend = [{"fill": ramp[n], "low": low, "high": high} for n, (low, high) in enumerate(bins)]
    return {
        "measure": measure, "measures": MEASURES, "width": WIDTH, "height": height, "dots": dots,
        "legend": legend, "no_data": NO_DATA, "outside": OUTSIDE, "unplaced": unplaced,
        "ranked": sorted((d for d in dots if d["url"]), key=lambda d: d["name"]),
    }  # fmt: skip
