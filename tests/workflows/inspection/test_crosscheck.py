"""The cross-check rule: an observed figure is a discrepancy exactly when it is further from the
factory's self-reported value than the item's tolerance allows."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from workflows.inspection.crosscheck import deviation_pct, is_discrepancy

TEN_PCT = SimpleNamespace(tolerance_pct=Decimal(10))


@pytest.mark.parametrize(
    ("observed", "reported", "flagged"),
    [
        ("110", "100", False),  # exactly at the tolerance: consistent
        ("90", "100", False),
        ("110.001", "100", True),  # just beyond, either side
        ("89.999", "100", True),
        ("100", "100", False),
        ("0", "0", False),  # a reported 0 tolerates only an observed 0
        ("0.1", "0", True),
        ("-5", "-4", True),  # negative values compare by magnitude (e.g. a temperature difference)
        ("8.6", "8.0", False),  # pH-like small values: 7.5 % off
    ],
)
def test_discrepancy_exactly_beyond_tolerance(observed, reported, flagged):
    assert is_discrepancy(TEN_PCT, Decimal(observed), Decimal(reported)) is flagged


def test_nothing_to_compare_is_never_a_discrepancy():
    assert not is_discrepancy(TEN_PCT, None, Decimal(100))
    assert not is_discrepancy(TEN_PCT, Decimal(100), None)
    assert not is_discrepancy(SimpleNamespace(tolerance_pct=None), Decimal(500), Decimal(100))


def test_deviation_in_percent_of_the_reported_value():
    assert deviation_pct(Decimal(112), Decimal(100)) == Decimal("12.0")
    assert deviation_pct(Decimal(96), Decimal(120)) == Decimal("20.0")
    assert deviation_pct(Decimal(1), Decimal(3)) == Decimal("66.7")
    assert deviation_pct(Decimal(5), Decimal(0)) is None
    assert deviation_pct(None, Decimal(3)) is None
