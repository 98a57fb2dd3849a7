"""The clock of a test. A test whose expectation depends on the day sets it, so the suite passes on
any day of the year (`make test-dates` runs it under faketime at the turns of the calendar):

    @at(2026, 11, 16)            # 16 Nov 2026, 10:00 Bangkok time
    def test_...(today): ...     # `today` (tests.conftest) is then that day

`at` is time-machine's own marker with a Bangkok wall-clock instant; the clock ticks from there, and
time-machine sets it before any fixture of the test runs."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

BANGKOK = ZoneInfo("Asia/Bangkok")


def bangkok(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """An aware instant given as Bangkok's wall clock."""
    return datetime(year, month, day, hour, minute, tzinfo=BANGKOK)


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> pytest.MarkDecorator:
    """Run the test (or, as `pytestmark`, the module) at this Bangkok wall-clock instant."""
    return pytest.mark.time_machine(bangkok(year, month, day, hour, minute))
