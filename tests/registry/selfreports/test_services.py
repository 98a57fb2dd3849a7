"""Filing and amending through the one service: a period filed twice is amended, never duplicated; every
revision is kept and audited. Many at once (selfreport_file_many): the same rules per filing, the good
ones filed, in statements that do not grow with the filings."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from permissions import operators
from registry.errors import RegistryError
from registry.models import SelfReport
from registry.selfreports.periods import Period
from registry.selfreports.selectors import revisions
from registry.selfreports.services import Filing, Refusal, selfreport_file, selfreport_file_many, selfreport_submit
from tests.clock import at
from tests.conftest import LOPBURI
from tests.factories import FactoryFactory
from tests.registry.selfreports.factories import OperatorFactory
from workflows import audit
from workflows.models import AuditEntry

pytestmark = pytest.mark.django_db

H1 = Period(date(2024, 1, 1), "half")
RW = {"wastewater_m3_per_day": "120", "bod": "18", "cod": "75", "tss": "30", "ph": "7.1"}


@pytest.fixture
def operator(db):
    return OperatorFactory(factory=FactoryFactory(factory_type=3))


def file(kinds, link, **kw):
    return selfreport_file(factory=link.factory, kind=kinds["rw"], period=H1, by=link.person, **{"values": RW, **kw})


def test_filing_stores_the_values_with_their_units_and_is_audited(kinds, operator):
    report = file(kinds, operator)
    assert (report.revision, report.is_current, report.filed_by) == (1, True, operator.person)
    values = {v.key: (v.number, v.unit) for v in report.values.all()}
    assert values["bod"] == (Decimal("18"), "มก./ล.") and values["ph"] == (Decimal("7.1"), "")
    [entry] = audit.timeline(report)
    assert entry.action == "selfreport.file" and entry.actor == operator.person
    assert entry.after["bod"] == "18" and entry.after["period"] == "2567-H1"
    assert audit.verify(audit.chain_key(report)) == []


def test_filing_a_filed_period_again_is_refused_and_points_to_amending(kinds, operator):
    file(kinds, operator)
    with translation.override("en"), pytest.raises(RegistryError) as caught:
        file(kinds, operator, values={**RW, "bod": "19"})
    assert "already filed" in caught.value.errors["period"] and "Amend" in caught.value.errors["period"]
    assert SelfReport.objects.count() == 1


def test_amending_keeps_the_earlier_revision_and_records_before_and_after(kinds, operator):
    first = file(kinds, operator)
    second = file(kinds, operator, values={**RW, "bod": "25"}, amend=True, note="ค่าจากห้องปฏิบัติการฉบับแก้ไข")
    first.refresh_from_db()
    assert (first.is_current, second.is_current, second.revision) == (False, True, 2)
    assert second.first_filed_at == first.first_filed_at  # lateness is judged on the first filing
    assert [r.revision for r in revisions(second)] == [2, 1]
    assert {v.key: v.number for v in first.values.all()}["bod"] == Decimal("18")  # history intact
    assert SelfReport.objects.filter(factory=operator.factory, is_current=True).count() == 1
    [entry] = audit.timeline(second)
    assert entry.action == "selfreport.amend" and entry.before["bod"] == "18" and entry.after["bod"] == "25"
    assert entry.comment == "ค่าจากห้องปฏิบัติการฉบับแก้ไข"


def test_an_amendment_that_changes_nothing_is_refused(kinds, operator):
    file(kinds, operator)
    with translation.override("en"), pytest.raises(RegistryError) as caught:
        file(kinds, operator, values={**RW, "bod": "18.0"}, amend=True)
    assert caught.value.errors == {"amend": "The amendment changes no value."}
    assert SelfReport.objects.count() == 1


def test_the_database_refuses_two_current_revisions_of_one_period(kinds, operator):
    report = file(kinds, operator)
    with pytest.raises(IntegrityError), transaction.atomic():
        SelfReport.objects.create(
            factory=report.factory, kind=report.kind, period_start=report.period_start, period_end=report.period_end,
            revision=2, first_filed_at=report.first_filed_at, filed_at=report.filed_at, filed_by=report.filed_by,
        )  # fmt: skip


def test_an_operator_cannot_file_for_another_factory(kinds, operator):
    other = FactoryFactory(factory_type=3)
    with pytest.raises(PermissionDenied):
        selfreport_file(factory=other, kind=kinds["rw"], period=H1, values=RW, by=operator.person)
    assert not SelfReport.objects.exists() and not AuditEntry.objects.exists()


def test_office_staff_may_file_for_a_factory_of_their_office_only(kinds, songkhla_inspector, lopburi_head):
    songkhla = FactoryFactory(factory_type=3)
    report = selfreport_file(factory=songkhla, kind=kinds["rw"], period=H1, values=RW, by=songkhla_inspector)
    assert report.filed_by == songkhla_inspector
    with pytest.raises(PermissionDenied):
        selfreport_file(factory=FactoryFactory(factory_type=3, province_code=LOPBURI), kind=kinds["rw"], period=H1,
                        values=RW, by=songkhla_inspector)  # fmt: skip
    with pytest.raises(PermissionDenied):
        selfreport_file(factory=songkhla, kind=kinds["rw"], period=H1, values=RW, by=lopburi_head, amend=True)
    assert SelfReport.objects.count() == 1


def test_the_api_entry_takes_codes_and_refuses_unknown_ones(kinds, operator):
    report = selfreport_submit(
        factory=operator.factory, kind_code="rw", period="2567-H1", values=RW, by=operator.person
    )
    assert (report.kind.code, report.period, report.channel) == ("rw", H1, "api")
    with translation.override("en"), pytest.raises(RegistryError) as caught:
        selfreport_submit(factory=operator.factory, kind_code="rv", period="2567-H1", values=RW, by=operator.person)
    assert caught.value.errors == {"kind": "Unknown report kind rv."}
    with pytest.raises(RegistryError) as caught:
        selfreport_submit(factory=operator.factory, kind_code="rw", period="2567-H3", values=RW, by=operator.person)
    assert set(caught.value.errors) == {"period"}
    assert SelfReport.objects.count() == 1


@at(2026, 12, 2, 3, 42)  # 1 Dec 20:42 UTC: the UTC date is still the day before
def test_a_refusal_names_the_bangkok_day_of_the_first_filing(kinds, operator):
    file(kinds, operator)
    with translation.override("th"), pytest.raises(RegistryError) as caught:
        file(kinds, operator, values={**RW, "bod": "19"})
    assert "2 ธ.ค. 2569" in caught.value.errors["period"]


# --- many at once: the same rules, per filing, in statements that do not grow --------------------


H2 = Period(date(2024, 7, 1), "half")


def filings(kinds, link, periods, **kw) -> list[Filing]:
    return [Filing(factory=link.factory, kind=kinds["rw"], period=period, values={**RW, **kw}) for period in periods]


def test_many_filings_keep_the_good_and_refuse_each_bad_one_with_its_reason(kinds, operator):
    filed_before = file(kinds, operator)  # H1 of 2567
    earlier = [Period(date(year, 1, 1), "half") for year in (2021, 2022)]
    batch = [
        *filings(kinds, operator, earlier),  # 0, 1 filed
        Filing(factory=operator.factory, kind=kinds["rw"], period=H1, values={**RW, "bod": "19"}, amend=True),  # 2
        Filing(factory=operator.factory, kind=kinds["rw"], period=H1, values={**RW, "bod": "20"}, amend=True),  # 3
        Filing(factory=operator.factory, kind=kinds["rw"], period=H2, values={**RW, "ph": "15"}),  # 4 a figure
        Filing(factory=operator.factory, kind=kinds["rw"], period=earlier[0], values=RW),  # 5 repeats 0
    ]
    with translation.override("en"):
        selfreport_file_many(filings=batch, by=operator.person, channel="api")
    assert [f.refusal for f in batch] == [None, None, None, Refusal.DUPLICATE, Refusal.INVALID, Refusal.DUPLICATE]
    assert batch[3].duplicate_of is batch[2] and batch[3].error.errors == {"period": "repeats row 2"}
    assert set(batch[4].error.errors) == {"ph"} and batch[5].duplicate_of is batch[0]
    assert batch[2].superseded == filed_before and batch[2].report.revision == 2
    filed_before.refresh_from_db()
    assert not filed_before.is_current
    assert SelfReport.objects.filter(is_current=True).count() == 3 and SelfReport.objects.count() == 4
    for filing in batch[:3]:
        [entry] = audit.timeline(filing.report)
        assert entry.actor == operator.person and entry.after["channel"] == "api"
        assert audit.verify(audit.chain_key(filing.report)) == []
    assert audit.timeline(batch[2].report).get().before["bod"] == "18"


def test_many_filings_refuse_a_filed_period_and_an_amendment_that_changes_nothing(kinds, operator):
    file(kinds, operator)
    again, same = (
        Filing(operator.factory, kinds["rw"], H1, RW),
        Filing(operator.factory, kinds["rw"], H1, RW, amend=True),
    )
    selfreport_file_many(filings=[again], by=operator.person)
    selfreport_file_many(filings=[same], by=operator.person)
    assert (again.refusal, same.refusal) == (Refusal.ALREADY_FILED, Refusal.NO_CHANGE)
    assert again.report is None and same.superseded is None and SelfReport.objects.count() == 1


def test_many_filings_for_a_factory_not_yours_file_none(kinds, operator):
    other = OperatorFactory(factory=FactoryFactory(factory_type=3))
    batch = [*filings(kinds, operator, [H1]), *filings(kinds, other, [H1])]
    with pytest.raises(PermissionDenied):
        selfreport_file_many(filings=batch, by=operator.person)
    assert not SelfReport.objects.exists() and not AuditEntry.objects.exists()


def test_many_filings_cost_the_statements_of_one(kinds, operator):
    periods = [Period(date(year, month, 1), "half") for year in range(2000, 2020) for month in (1, 7)]
    operators.factory_ids(operator.person)  # the operator's factories, read once a request
    with CaptureQueriesContext(connection) as one:
        selfreport_file_many(filings=filings(kinds, operator, periods[:1]), by=operator.person)
    with CaptureQueriesContext(connection) as forty:
        selfreport_file_many(filings=filings(kinds, operator, periods[1:]), by=operator.person)
    assert SelfReport.objects.count() == 40
    assert len(forty.captured_queries) == len(one.captured_queries) <= 10, [q["sql"][:80] for q in forty]
