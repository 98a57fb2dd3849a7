"""The cross-check: an observed figure is a discrepancy exactly when it is further from the factory's
self-reported value than the item's tolerance allows; the inspect page shows the latest filed value,
the saved answer keeps what it was compared with, the review lists the differences."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from registry.selfreports import services as report_services
from registry.selfreports.periods import Period
from tests.registry.selfreports.factories import OperatorFactory, SelfReportFactory
from tests.workflows.inspection.test_flow_paths import checklist_answers, do, open_task
from workflows.inspection import crosscheck, selectors, services
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


# --- with real self-reports: the inspect page, the saved answer, the review, the PDF, the count ----------


def task_url(inspection, name):
    task = open_task(inspection, name)
    return reverse(f"inspection:flow:{name}:execute", args=[task.process_id, task.pk])


def reported_workers(factory, kinds, workers, **kw):
    return SelfReportFactory(factory=factory, kind=kinds["ops"], values={"workers": Decimal(workers)}, **kw)


def inspect(client, songkhla, factory, workers):
    inspection = services.inspection_start(factory=factory, by=songkhla.head)
    do(client, songkhla.head, inspection, "assign", {"inspector": songkhla.inspector.pk})
    do(client, songkhla.inspector, inspection, "inspect", checklist_answers(inspection, exit_ok=True, workers=workers))
    return inspection


@pytest.mark.django_db
def test_inspect_page_shows_the_latest_reported_value_beside_the_field(client, songkhla, checklist, factory, kinds):
    reported_workers(factory, kinds, 120)
    inspection = services.inspection_start(factory=factory, by=songkhla.head)
    do(client, songkhla.head, inspection, "assign", {"inspector": songkhla.inspector.pk})
    client.force_login(songkhla.inspector)
    page = client.get(task_url(inspection, "inspect")).content.decode()
    assert 'data-testid="reported-S2"' in page and 'data-reported="120' in page
    assert "รายงานประจำปี" in page  # which report the value is from


@pytest.mark.django_db
@pytest.mark.parametrize(("observed", "flagged"), [(108, False), (96, True)])
def test_saved_answer_keeps_the_comparison_and_flags_beyond_tolerance(
    client,
    songkhla,
    checklist,
    factory,
    kinds,
    observed,
    flagged,
):
    reported_workers(factory, kinds, 120)
    inspection = inspect(client, songkhla, factory, observed)
    answer = inspection.answers.get(item__code="S2")
    assert answer.reported_number == 120 and "รายงานประจำปี" in answer.reported_source
    assert answer.discrepancy is flagged
    assert answer.deviation_pct == crosscheck.deviation_pct(Decimal(observed), Decimal(120))
    assert crosscheck.discrepancy_counts([factory.pk]) == ({factory.pk: 1} if flagged else {})
    client.force_login(songkhla.head)
    review = client.get(task_url(inspection, "review")).content.decode()
    assert ('data-testid="discrepancies"' in review) is flagged


@pytest.mark.django_db
def test_no_report_no_comparison(client, songkhla, checklist, factory, kinds):
    inspection = inspect(client, songkhla, factory, 96)
    answer = inspection.answers.get(item__code="S2")
    assert answer.reported_number is None and not answer.discrepancy and answer.reported_source == ""


@pytest.mark.django_db
def test_a_superseded_revision_is_not_compared(client, songkhla, checklist, factory, kinds):
    period = Period.containing(kinds["ops"].frequency, timezone.localdate()).previous()
    operator = OperatorFactory(factory=factory).person
    values = {
        f.key: Decimal(1) if f.value_type == "number" else "ยางแผ่นรมควัน"
        for f in kinds["ops"].fields.all()
        if f.required
    }
    report_services.selfreport_file(
        factory=factory, kind=kinds["ops"], period=period, values={**values, "workers": Decimal(200)}, by=operator
    )
    report_services.selfreport_file(
        factory=factory, kind=kinds["ops"], period=period, values={**values, "workers": Decimal(100)}, by=operator,
        amend=True,
    )  # fmt: skip
    inspection = inspect(client, songkhla, factory, 104)
    answer = inspection.answers.get(item__code="S2")
    assert answer.reported_number == 100 and not answer.discrepancy


@pytest.mark.django_db
def test_report_pdf_lists_the_discrepancy_with_its_report_deviation_and_tolerance(
    client, songkhla, checklist, factory, kinds
):
    from django.template.loader import render_to_string

    reported_workers(factory, kinds, 120)
    inspection = inspect(client, songkhla, factory, 96)
    html = render_to_string("pdf/inspection/report.html", selectors.report_context(inspection))
    assert "ค่าที่ไม่ตรงกับที่โรงงานรายงาน" in html
    assert "รายงานประจำปี" in html and "20%" in html and "±10%" in html


@pytest.mark.django_db
def test_factory_page_counts_its_discrepancies_and_links_its_risk(client, songkhla, checklist, factory, kinds):
    from workflows.planning.risk import risk_refresh

    reported_workers(factory, kinds, 120)
    inspect(client, songkhla, factory, 96)
    risk_refresh([factory.pk])
    client.force_login(songkhla.head)
    page = client.get(reverse("registry:factory:detail", args=[factory.pk])).content.decode()
    assert "พบค่าที่ไม่ตรงกับที่โรงงานรายงาน 1 รายการ" in page
    assert reverse("planning:why", args=[factory.pk]) in page
