from datetime import date

import pytest

from registry.selfreports.periods import Period, PeriodError, periods_due_between


@pytest.mark.parametrize(
    ("frequency", "text", "start", "end", "label"),
    [
        ("yearly", "2567", date(2024, 1, 1), date(2024, 12, 31), "ปี 2567"),
        ("half", "2567-H1", date(2024, 1, 1), date(2024, 6, 30), "ครึ่งปีแรก 2567"),
        ("half", "2567-h2", date(2024, 7, 1), date(2024, 12, 31), "ครึ่งปีหลัง 2567"),
        ("monthly", "2567-02", date(2024, 2, 1), date(2024, 2, 29), "กุมภาพันธ์ 2567"),
        ("monthly", "2024-12", date(2024, 12, 1), date(2024, 12, 31), "ธันวาคม 2567"),
    ],
)
def test_periods_parse_and_read_in_the_buddhist_era(frequency, text, start, end, label):
    period = Period.parse(frequency, text)
    assert (period.start, period.end, period.label("th")) == (start, end, label)
    assert Period.parse(frequency, period.code) == period


def test_english_labels_keep_the_buddhist_era_year():
    assert Period(date(2024, 1, 1), "half").label("en") == "First half 2567 BE"


@pytest.mark.parametrize(
    ("frequency", "text"), [("yearly", "2567-H1"), ("half", "2567"), ("monthly", "2567-13"), ("yearly", "abc")]
)
def test_a_period_of_the_wrong_shape_is_refused(frequency, text):
    with pytest.raises(PeriodError):
        Period.parse(frequency, text)


def test_periods_due_between_counts_both_edges():
    # Half-yearly, due 30 days after: H1 2567 due 30 Jul 2024, H2 2567 due 30 Jan 2025.
    found = periods_due_between("half", 30, date(2024, 7, 30), date(2025, 1, 30))
    assert [p.code for p in found] == ["2567-H1", "2567-H2"]
    assert periods_due_between("half", 30, date(2024, 7, 31), date(2025, 1, 29)) == []
    assert [p.code for p in periods_due_between("monthly", 15, date(2024, 3, 16), date(2024, 5, 15))] == [
        "2567-03", "2567-04",
    ]  # fmt: skip
