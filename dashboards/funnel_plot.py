"""The funnel plot of dashboards.standard drawn as SVG on the server (no script): the nation's rate as a
line, the 95 % and 99.8 % limits as curves over the number of inspections, one point per inspector
linking to their cases."""

from . import funnel
from .standard import Standard

W, H = 640, 360
LEFT, RIGHT, TOP, BOTTOM = 52, 16, 16, 44
CURVE_POINTS = 60
COLOURS = {None: "#1a3a6b", funnel.ALERT: "#e6a100", funnel.ALARM: "#b00020"}


def _nice(top: float, steps: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) for about `steps` ticks up to `top`."""
    raw = top / steps
    power = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 10 ** -len(str(int(1 / raw)))
    for mult in (1, 2, 2.5, 5, 10):
        if raw <= mult * power:
            return mult * power
    return 10 * power


def plot(result: Standard) -> dict | None:
    p0 = result.nation.rate
    if p0 is None or not result.rows:
        return None
    n_max = max(max(r.mine.n for r in result.rows), 10)
    x_top = n_max * 1.05
    ns = sorted({max(1, round(1 + (n_max - 1) * (i / (CURVE_POINTS - 1)) ** 1.6)) for i in range(CURVE_POINTS)})
    curves = [funnel.limits(n, p0) for n in ns]
    rates = [r.mine.rate for r in result.rows]
    first = curves[min(len(curves) - 1, 2)]  # the curves start very wide: the axis follows the points
    y_top = min(1.0, max(max(rates), first.upper95, p0 * 2, 0.05) * 1.1)

    def x(n: float) -> float:
        return round(LEFT + (W - LEFT - RIGHT) * n / x_top, 1)

    def y(rate: float) -> float:
        return round(TOP + (H - TOP - BOTTOM) * (1 - rate / y_top), 1)  # beyond the axis: clipped in the SVG

    def line(attr: str) -> str:
        return " ".join(f"{x(c.n)},{y(getattr(c, attr))}" for c in curves)

    y_step, x_step = _nice(y_top), _nice(x_top)
    y_ticks = [{"y": y(v), "label": f"{v * 100:.0f}%"} for v in _range(y_step, y_top)]
    x_ticks = [{"x": x(v), "label": f"{v:g}"} for v in _range(x_step, x_top)]
    points = [
        {"x": x(r.mine.n), "y": y(r.mine.rate), "row": r, "colour": COLOURS[r.level],
         "radius": 6 if r.level else 4.5}
        for r in result.rows
    ]  # fmt: skip
    return {
        "width": W, "height": H, "left": LEFT, "right": W - RIGHT, "top": TOP, "bottom": H - BOTTOM,
        "national_y": y(p0), "p0": p0, "lower95": line("lower95"), "upper95": line("upper95"),
        "lower998": line("lower998"), "upper998": line("upper998"), "y_ticks": y_ticks, "x_ticks": x_ticks,
        "points": points, "x_label_y": H - 8, "x_mid": (LEFT + W - RIGHT) / 2,
        "plot_w": W - LEFT - RIGHT, "plot_h": H - TOP - BOTTOM,
    }  # fmt: skip


def _range(step: float, top: float) -> list[float]:
    values, v = [], 0.0
    while v <= top + 1e-9:
        values.append(round(v, 10))
        v += step
    return values
