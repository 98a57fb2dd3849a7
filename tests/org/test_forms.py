from datetime import date

import pytest

from org.forms import BEDateField, parse_be_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25/03/2567", date(2024, 3, 25)),
        ("29/2/2567", date(2024, 2, 29)),  # leap day, BE year
        ("2567-03-25", date(2024, 3, 25)),
        ("2024-03-25", date(2024, 3, 25)),
        ("1.10.2566", date(2023, 10, 1)),
    ],
)
def test_dates_are_read_in_buddhist_era(text, expected):
    assert parse_be_date(text) == expected


@pytest.mark.parametrize("text", ["29/02/2566", "32/01/2567", "March 2024", "25/03"])
def test_impossible_or_unreadable_dates_are_refused_with_a_clear_message(text):
    field = BEDateField(required=False)
    with pytest.raises(Exception) as exc:
        field.clean(text)
    assert "25/03/2567" in str(exc.value.messages[0]) or "2567" in str(exc.value)


def test_dates_are_shown_in_buddhist_era():
    assert BEDateField().prepare_value(date(2023, 10, 1)) == "01/10/2566"
