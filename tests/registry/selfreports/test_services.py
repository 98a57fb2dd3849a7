"""Filing and amending through the one service: a period filed twice is amended, never duplicated; every
revision is kept and audited."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import translation

from registry.errors import RegistryError
from registry.models import SelfReport
from registry.selfreports.periods import Period
from registry.selfreports.selectors import revisions
from registry.selfreports.services import selfreport_file, selfreport_submit
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
