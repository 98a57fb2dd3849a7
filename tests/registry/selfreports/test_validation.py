"""Each standard report kind refuses what does not fit its fields, with a message naming the field."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from registry.errors import RegistryError
from registry.selfreports.periods import Period
from registry.selfreports.services import check_filing
from tests.factories import FactoryFactory

pytestmark = pytest.mark.django_db

YEAR = Period(date(2024, 1, 1), "yearly")
H2 = Period(date(2024, 7, 1), "half")

GOOD = {
    "ops": {"main_product": "ยางแผ่นรมควัน", "production_tonnes": "1,200", "workers": "85", "machinery_hp": "420.5",
            "electricity_kwh": "950000", "raw_material": "น้ำยางสด", "raw_material_tonnes": "1500"},
    "rw": {"wastewater_m3_per_day": "120", "bod": "18", "cod": "75", "tss": "30", "ph": "7.1"},
    "hazmat": {"substance": "กรดซัลฟิวริก", "stored_kg": "2000", "used_kg": "15000"},
    "waste": {"waste_tonnes": "40", "hazardous_waste_tonnes": "2.5", "disposal": "ส่งผู้รับกำจัดที่ได้รับอนุญาต"},
}  # fmt: skip
PERIOD = {"ops": YEAR, "rw": H2, "hazmat": YEAR, "waste": YEAR}


def errors_of(kinds, code, values, *, factory=None, period=None) -> dict:
    factory = factory or FactoryFactory(factory_type=3)
    with translation.override("en"), pytest.raises(RegistryError) as caught:
        check_filing(factory=factory, kind=kinds[code], period=period or PERIOD[code], values=values)
    return caught.value.errors


@pytest.mark.parametrize("code", GOOD)
def test_a_complete_report_of_each_kind_is_accepted(kinds, code):
    cleaned = check_filing(
        factory=FactoryFactory(factory_type=3), kind=kinds[code], period=PERIOD[code], values=GOOD[code]
    )
    assert set(cleaned) == {k for k, v in GOOD[code].items() if v}


def test_ops_numbers_are_parsed_with_thousands_separators(kinds):
    cleaned = check_filing(factory=FactoryFactory(), kind=kinds["ops"], period=YEAR, values=GOOD["ops"])
    assert cleaned["production_tonnes"] == Decimal("1200") and cleaned["machinery_hp"] == Decimal("420.5")


def test_ops_workers_must_be_a_whole_number_and_hp_not_negative(kinds):
    errors = errors_of(kinds, "ops", {**GOOD["ops"], "workers": "85.5", "machinery_hp": "-3"})
    assert errors["workers"] == "Workers: must be a whole number"
    assert errors["machinery_hp"] == "Total machinery power: must be between 0 and 1000000 แรงม้า"


def test_rw_ph_out_of_range_and_concentration_not_a_number(kinds):
    errors = errors_of(kinds, "rw", {**GOOD["rw"], "ph": "15", "bod": "twenty"})
    assert errors == {"ph": "pH: must be between 0 and 14", "bod": "BOD: must be a number"}


def test_rw_required_figures_are_named_and_optional_stack_figures_may_be_left_out(kinds):
    errors = errors_of(kinds, "rw", {**GOOD["rw"], "cod": "", "tss": " "})
    assert errors == {"cod": "COD: is required", "tss": "Suspended solids (TSS): is required"}


def test_rw_is_only_for_type_3_factories(kinds):
    errors = errors_of(kinds, "rw", GOOD["rw"], factory=FactoryFactory(factory_type=2))
    assert errors == {"kind": "Factories of this type do not file this report."}


def test_rw_takes_half_year_periods_only(kinds):
    errors = errors_of(kinds, "rw", GOOD["rw"], period=YEAR)
    assert "2567-H1" in errors["period"]


def test_hazmat_quantities_cannot_be_negative_and_substance_is_required(kinds):
    errors = errors_of(kinds, "hazmat", {"substance": "", "stored_kg": "-1", "used_kg": "10"})
    assert errors["substance"] == "Main hazardous substance: is required"
    assert errors["stored_kg"].startswith("Largest quantity stored: must be between 0 and")


def test_waste_rejects_a_field_it_does_not_have(kinds):
    errors = errors_of(kinds, "waste", {**GOOD["waste"], "bod": "10"})
    assert errors == {"bod": "is not a field of this report"}


def test_a_period_not_over_yet_cannot_be_filed(kinds, today):
    current = Period.containing("yearly", today)
    errors = errors_of(kinds, "ops", GOOD["ops"], period=current)
    assert "file its report after that" in errors["period"]


def test_a_kind_no_longer_in_use_is_refused(kinds):
    kinds["waste"].active = False
    kinds["waste"].save()
    assert errors_of(kinds, "waste", GOOD["waste"]) == {"kind": "This report kind is no longer in use."}
