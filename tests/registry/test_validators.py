import pytest
from django.core.exceptions import ValidationError

from registry.validators import normalise_registration_number, validate_registration_number


@pytest.mark.parametrize("value", ["20900000012567", "10100000000001", "70900000000001", "2-09-000000-12567"])
def test_valid_registration_numbers(value):
    validate_registration_number(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("2090000001256", "reg_no_format"),  # 13 digits
        ("209000000125670", "reg_no_format"),  # 15 digits
        ("2090000001256A", "reg_no_format"),
        ("๒๐๙๐๐๐๐๐๐๑๒๕๖๗", "reg_no_format"),  # Thai digits are not accepted silently
        ("30900000012567", "reg_no_issuer"),
        ("", "reg_no_format"),
    ],
)
def test_invalid_registration_numbers_say_why(value, code):
    with pytest.raises(ValidationError) as exc:
        validate_registration_number(value)
    assert exc.value.code == code


def test_separators_are_dropped():
    assert normalise_registration_number("2-09-0 0000/012567") == "20900000012567"
