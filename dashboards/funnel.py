"""Funnel-plot control limits for a proportion (Spiegelhalter, "Funnel plots for comparing institutional
performance", Statistics in Medicine 24, 2005, appendix A.1.1), standard library only.

For n trials around a target rate p0 the limit at level q is the exact binomial q-quantile, made
continuous by interpolation: r_q is the smallest r with P(R <= r) >= q, and with
    alpha = (P(R <= r_q) - q) / (P(R <= r_q) - P(R <= r_q - 1))
the limit on the proportion scale is (r_q - alpha) / n. The 95 % limits take q = 0.025 and 0.975,
the 99.8 % limits q = 0.001 and 0.999. For large n they approach p0 +/- z * sqrt(p0 (1 - p0) / n)."""

import math
from dataclasses import dataclass
from functools import cache

LEVELS = {"95": (0.025, 0.975), "99.8": (0.001, 0.999)}


def _log_pmf(r: int, n: int, p: float) -> float:
    return math.lgamma(n + 1) - math.lgamma(r + 1) - math.lgamma(n - r + 1) + r * math.log(p) + (n - r) * math.log1p(-p)


@cache
def cdf(n: int, p: float) -> tuple[float, ...]:
    """P(R <= r) for r = 0..n, R ~ Binomial(n, p)."""
    if p <= 0:
        return tuple(1.0 for _ in range(n + 1))
    if p >= 1:
        return tuple(0.0 if r < n else 1.0 for r in range(n + 1))
    total, result = 0.0, []
    for r in range(n + 1):
        total += math.exp(_log_pmf(r, n, p))
        result.append(min(total, 1.0))
    return tuple(result)


def limit(n: int, p0: float, q: float) -> float:
    """The interpolated q-quantile of Binomial(n, p0) / n (see the module's docstring)."""
    if n <= 0:
        raise ValueError("n must be positive")
    f = cdf(n, p0)
    r = next((r for r, value in enumerate(f) if value >= q), n)
    below = f[r - 1] if r > 0 else 0.0
    alpha = (f[r] - q) / (f[r] - below) if f[r] > below else 0.0
    return min(max((r - alpha) / n, 0.0), 1.0)


@dataclass(frozen=True)
class Limits:
    n: int
    lower95: float
    upper95: float
    lower998: float
    upper998: float


def limits(n: int, p0: float) -> Limits:
    (l95, u95), (l998, u998) = LEVELS["95"], LEVELS["99.8"]
    return Limits(n, limit(n, p0, l95), limit(n, p0, u95), limit(n, p0, l998), limit(n, p0, u998))


LENIENT, STRICT = "lenient", "strict"  # finds non-compliance less / more often than the nation
ALERT, ALARM = "alert", "alarm"  # outside the 95 % / the 99.8 % limits


def flag(bad: int, n: int, p0: float) -> tuple[str, str] | tuple[None, None]:
    """(direction, level) of a non-compliance rate bad/n outside the limits around p0, else (None, None)."""
    rate, lim = bad / n, limits(n, p0)
    if rate > lim.upper998:
        return STRICT, ALARM
    if rate < lim.lower998:
        return LENIENT, ALARM
    if rate > lim.upper95:
        return STRICT, ALERT
    if rate < lim.lower95:
        return LENIENT, ALERT
    return None, None
