from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from org.calendar import fiscal_quarter, fiscal_year, fiscal_year_bounds, format_be


@pytest.mark.parametrize(
    ("day", "fy"),
    [
        (date(2023, 9, 30), 2566),  # last day of FY 2566
        (date(2023, 10, 1), 2567),  # first day of FY 2567
        (date(2024, 2, 29), 2567),  # leap day
        (date(2024, 9, 30), 2567),
        (date(2024, 10, 1), 2568),
        (date(2024, 1, 1), 2567),
    ],
)
def test_fiscal_year_is_named_by_the_be_year_it_ends_in(day, fy):
    assert fiscal_year(day) == fy


def test_fiscal_year_bounds_run_from_1_october_to_30_september():
    assert fiscal_year_bounds(2567) == (date(2023, 10, 1), date(2024, 9, 30))
    first, last = fiscal_year_bounds(2566)
    assert fiscal_year(first) == fiscal_year(last) == 2566


@pytest.mark.parametrize(
    ("day", "quarter"), [(date(2023, 10, 1), 1), (date(2023, 12, 31), 1), (date(2024, 1, 1), 2), (date(2024, 9, 30), 4)]
)
def test_fiscal_quarter_starts_in_october(day, quarter):
    assert fiscal_quarter(day) == quarter


def test_be_dates_in_thai_short_and_long():
    assert format_be(date(2024, 3, 25), lang="th") == "25 มี.ค. 2567"
    assert format_be(date(2024, 3, 25), "long", lang="th") == "25 มีนาคม 2567"
    assert format_be(date(2024, 2, 29), lang="th") == "29 ก.พ. 2567"
    assert format_be(None) == ""


def test_be_dates_in_english_keep_the_buddhist_year():
    assert format_be(date(2023, 12, 31), lang="en") == "31 Dec 2566 BE"


def test_aware_datetimes_are_shown_in_bangkok_time():
    # 20:30 UTC on 30 Sep is 03:30 on 1 Oct in Bangkok: a new day, a new fiscal year.
    moment = datetime(2023, 9, 30, 20, 30, tzinfo=ZoneInfo("UTC"))
    assert format_be(moment, lang="th") == "1 ต.ค. 2566 03:30"


def test_template_filter_uses_the_active_language():
    template = Template("{{ d|be_date }}|{{ d|be_date:'long' }}|{{ d|be_fiscal_year }}")
    with translation.override("th"):
        assert template.render(Context({"d": date(2023, 10, 1)})) == "1 ต.ค. 2566|1 ตุลาคม 2566|2567"
    with translation.override("en"):
        assert template.render(Context({"d": date(2023, 10, 1)})).startswith("1 Oct 2566 BE")
