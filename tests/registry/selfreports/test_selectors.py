"""The read contract other parts build on: latest_values (inspection cross-check) and overdue_counts
(risk score), and the late/missing rule at the edges of a period."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.selfreports.periods import Period
from registry.selfreports.selectors import ReportedValue, latest_values, overdue_counts, overdue_list
from registry.selfreports.services import selfreport_file
from tests.factories import FactoryFactory
from tests.registry.selfreports.factories import OperatorFactory, SelfReportFactory, local

pytestmark = pytest.mark.django_db

H1_2567 = Period(date(2024, 1, 1), "half")  # due 30 Jul 2024 (30 days)
H2_2567 = Period(date(2024, 7, 1), "half")
YEAR_2567 = Period(date(2024, 1, 1), "yearly")  # due 1 Mar 2025 (60 days)


def rw_values(**changes):
    return {"wastewater_m3_per_day": "120", "bod": "20", "cod": "80", "tss": "30", "ph": "7.2", **changes}


def test_latest_values_takes_the_latest_period_and_the_amended_revision(kinds):
    factory = FactoryFactory()
    operator = OperatorFactory(factory=factory).person
    selfreport_file(factory=factory, kind=kinds["rw"], period=H1_2567, values=rw_values(bod="15"), by=operator)
    second = selfreport_file(factory=factory, kind=kinds["rw"], period=H2_2567, values=rw_values(bod="25"), by=operator)
    amended = selfreport_file(
        factory=factory, kind=kinds["rw"], period=H2_2567, values=rw_values(bod="45"), by=operator, amend=True
    )
    other = FactoryFactory()
    SelfReportFactory(factory=other, kind=kinds["rw"], period=H2_2567, values={"bod": Decimal("999")})

    with CaptureQueriesContext(connection) as queries:
        found = latest_values(factory, ["bod", "ph", "workers"])
    assert len(queries) <= 2
    assert set(found) == {"bod", "ph"}  # nothing reported for workers
    bod = found["bod"]
    assert isinstance(bod, ReportedValue)
    assert bod.value == Decimal("45") and bod.unit == "มก./ล." and bod.kind_code == "rw"
    assert bod.period_label == "ครึ่งปีหลัง 2567" and bod.kind_label == "รว."
    assert bod.report_id == amended.pk != second.pk and bod.filed_at == amended.filed_at
    assert found["ph"].value == Decimal("7.2") and found["ph"].unit == ""


def test_latest_values_reads_across_kinds(kinds):
    factory = FactoryFactory()
    SelfReportFactory(
        factory=factory, kind=kinds["ops"], period=YEAR_2567, values={"workers": 120, "machinery_hp": 850}
    )
    SelfReportFactory(factory=factory, kind=kinds["rw"], period=H1_2567, values={"wastewater_m3_per_day": 300})
    found = latest_values(factory, ["workers", "machinery_hp", "wastewater_m3_per_day"])
    assert {k: (v.value, v.kind_code) for k, v in found.items()} == {
        "workers": (120, "ops"),
        "machinery_hp": (850, "ops"),
        "wastewater_m3_per_day": (300, "rw"),
    }
    assert found["workers"].period_label == "ปี 2567" and found["workers"].unit == "คน"


def test_a_report_is_not_overdue_on_its_due_date_and_missing_the_day_after(kinds):
    # Operating since 2567: nothing of 2566 is required, the first report due is รว. for H1 2567.
    factory = FactoryFactory(factory_type=3, operating_since=date(2024, 1, 1))
    assert H1_2567.due(30) == date(2024, 7, 30)
    assert overdue_counts([factory.pk], on=date(2024, 7, 30)) == {}
    assert overdue_counts([factory.pk], on=date(2024, 7, 31)) == {factory.pk: 1}
    [row] = overdue_list(type(factory).objects.filter(pk=factory.pk), on=date(2024, 7, 31))
    assert (row.kind.code, row.period, row.status) == ("rw", H1_2567, "missing")


def test_filed_by_the_end_of_the_due_date_is_on_time_and_a_day_later_is_late_for_good(kinds):
    on_time, late = FactoryFactory.create_batch(2, factory_type=3, operating_since=date(2024, 1, 1))
    SelfReportFactory(factory=on_time, kind=kinds["rw"], period=H1_2567, first_filed_at=local(2024, 7, 30, 23, 59))
    SelfReportFactory(factory=late, kind=kinds["rw"], period=H1_2567, first_filed_at=local(2024, 7, 31, 0, 1))
    counts = overdue_counts([on_time.pk, late.pk], on=date(2024, 8, 15))
    assert counts == {late.pk: 1}
    [row] = overdue_list(type(late).objects.filter(pk__in=[on_time.pk, late.pk]), on=date(2024, 8, 15))
    assert row.factory == late and row.status == "late" and row.filed_at == local(2024, 7, 31, 0, 1)


def test_a_report_filed_in_the_small_hours_after_the_day_asked_about_is_missing_on_that_day(kinds):
    factory = FactoryFactory(factory_type=3, operating_since=date(2024, 1, 1))
    # 03:00 Bangkok on 2 Aug is still 1 Aug in UTC: as of 1 Aug the report had not been filed
    SelfReportFactory(factory=factory, kind=kinds["rw"], period=H1_2567, first_filed_at=local(2024, 8, 2, 3, 0))
    [row] = overdue_list(type(factory).objects.filter(pk=factory.pk), on=date(2024, 8, 1))
    assert (row.status, row.filed_at) == ("missing", None)
    [row] = overdue_list(type(factory).objects.filter(pk=factory.pk), on=date(2024, 8, 2))
    assert row.status == "late"


def test_an_amendment_after_the_due_date_does_not_make_an_on_time_report_late(kinds):
    factory = FactoryFactory(factory_type=3, operating_since=date(2024, 1, 1))
    operator = OperatorFactory(factory=factory).person
    selfreport_file(factory=factory, kind=kinds["rw"], period=H1_2567, values=rw_values(), by=operator)
    from registry.models import SelfReport

    SelfReport.objects.filter(factory=factory).update(first_filed_at=local(2024, 7, 1), filed_at=local(2024, 7, 1))
    selfreport_file(
        factory=factory, kind=kinds["rw"], period=H1_2567, values=rw_values(bod="21"), by=operator, amend=True
    )
    assert overdue_counts([factory.pk], on=date(2024, 9, 1)) == {}


def test_which_factories_must_file(kinds):
    type1 = FactoryFactory(factory_type=1)  # files the yearly operations report only
    type2 = FactoryFactory(factory_type=2)  # the same
    type3 = FactoryFactory(factory_type=3)  # files all four
    closed = FactoryFactory(factory_type=3, status="closed")
    newcomer = FactoryFactory(factory_type=3, operating_since=date(2025, 1, 1))  # after 2567 ended
    on = date(2025, 3, 2)  # the yearly reports for 2567 fell due yesterday; rw H2 2567 in Jan, H1 in Jul 2024
    counts = overdue_counts([type1.pk, type2.pk, type3.pk, closed.pk, newcomer.pk], on=on)
    assert counts == {type1.pk: 1, type2.pk: 1, type3.pk: 3 + 2}


def test_overdue_counts_uses_a_constant_number_of_queries(kinds):
    factories = FactoryFactory.create_batch(3, factory_type=3)
    with CaptureQueriesContext(connection) as few:
        overdue_counts(on=date(2025, 3, 2))
    factories += FactoryFactory.create_batch(30, factory_type=3)
    SelfReportFactory(factory=factories[-1], kind=kinds["rw"], period=H2_2567, first_filed_at=local(2025, 1, 5))
    with CaptureQueriesContext(connection) as many:
        counts = overdue_counts(on=date(2025, 3, 2))
    assert len(many) == len(few) <= 3
    assert counts[factories[0].pk] == 5 and counts[factories[-1].pk] == 4


def test_a_monthly_kind_added_as_data_is_counted_month_by_month(kinds):
    from registry.selfreports.models import ReportField, ReportKind

    energy = ReportKind.objects.create(code="energy", name_th="รายงานการใช้พลังงานรายเดือน", name_en="Monthly energy",
                                       frequency="monthly", due_days=15, factory_types=[3])  # fmt: skip
    ReportField.objects.create(kind=energy, key="electricity_kwh", label_th="ไฟฟ้า", label_en="Electricity", unit="kWh")
    for kind in kinds.values():  # only the new kind is in use here
        kind.active = False
        kind.save()
    factory = FactoryFactory(factory_type=3, operating_since=date(2024, 1, 1))
    assert overdue_counts([factory.pk], on=date(2024, 2, 15)) == {}  # January is due on 15 Feb
    assert overdue_counts([factory.pk], on=date(2024, 2, 16)) == {factory.pk: 1}
    SelfReportFactory(factory=factory, kind=energy, period=Period(date(2024, 1, 1), "monthly"),
                      first_filed_at=local(2024, 2, 10, 9))  # fmt: skip
    assert overdue_counts([factory.pk], on=date(2024, 3, 16)) == {factory.pk: 1}  # February is missing
    assert overdue_counts([factory.pk], on=date(2024, 3, 15)) == {}
