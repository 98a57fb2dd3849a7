"""The explainable risk score: components sum to the score, weights are data, bulk recompute keeps
a constant number of queries, the services refresh the score when an input changes, "why" page."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import LOPBURI, staff
from tests.factories import FactoryFactory
from tests.workflows.planning.conftest import accepted_complaint, inspection
from workflows.complaint import services as complaint_services
from workflows.complaint.models import Complaint
from workflows.inspection import services as inspection_services
from workflows.models import OutboxMessage
from workflows.planning import risk, selectors
from workflows.planning.models import CategoryRisk, RiskComponent, RiskScore, RiskWeight
from workflows.planning.tasks import refresh_risk

pytestmark = pytest.mark.django_db
C = RiskComponent


def score_of(factory) -> RiskScore:
    risk.risk_refresh([factory.pk])
    return RiskScore.objects.get(factory=factory)


def points(score: RiskScore) -> dict[str, Decimal]:
    return {name: Decimal(data["points"]) for name, data in score.components.items()}


def test_components_sum_to_the_score(risky):
    factory = risky(FactoryFactory(factory_type=3, category_code="52(2)"), discrepancies=2, issued=1, ignored=1,
                    complaints=1, years=2)  # fmt: skip
    score = score_of(factory)
    assert sum(points(score).values()) == score.score
    assert points(score) == {
        C.LATE_REPORTS: points(score)[C.LATE_REPORTS],  # from the self-reports, whatever they say
        C.DISCREPANCIES: Decimal("6.0"),  # 2 × 3
        C.OPEN_ORDERS: Decimal("10.0"),  # 1 × 10
        C.IGNORED_ORDERS: Decimal("15.0"),  # 1 × 15
        C.COMPLAINTS: Decimal("5.0"),  # 1 × 5
        C.SINCE_INSPECTION: Decimal("8.0"),  # 2.0 years × 4
        C.FACTORY_TYPE: Decimal("10.0"),  # type 3
        C.CATEGORY: Decimal("3.0"),  # category 52: 3 units (seeded)
    }
    lines = selectors.explain(score)
    assert sum(line.points for line in lines) == score.score
    assert [line.component for line in lines] == list(C.values)


def test_late_or_missing_self_reports_come_from_the_registry(kinds):
    """The self-reports' own rule (registry.selfreports.selectors.overdue_counts): the first รว. of a
    type-3 factory operating since 2567 is missing the day after its due date, 30 Jul 2567."""
    factory = FactoryFactory(factory_type=3, operating_since=date(2024, 1, 1))
    risk.risk_refresh([factory.pk], on=date(2024, 7, 30))
    assert RiskScore.objects.get(factory=factory).components[C.LATE_REPORTS] == {"units": 0, "points": "0.0"}
    risk.risk_refresh([factory.pk], on=date(2024, 7, 31))
    score = RiskScore.objects.get(factory=factory)
    assert score.components[C.LATE_REPORTS] == {"units": 1, "points": "5.0"}
    assert selectors.raw_text(C.LATE_REPORTS, score.components[C.LATE_REPORTS]) in (
        "1 report late or missing", "ยื่นรายงานล่าช้าหรือไม่ยื่น 1 ฉบับ",
    )  # fmt: skip


def test_each_component_is_capped_at_its_maximum_and_never_inspected_gives_the_maximum(risky):
    factory = risky(FactoryFactory(factory_type=1, category_code="3(1)"), complaints=4)
    score = score_of(factory)
    assert score.components[C.COMPLAINTS]["units"] == 4
    assert points(score)[C.COMPLAINTS] == Decimal("10.0")  # 4 × 5 capped at 10
    assert score.components[C.SINCE_INSPECTION]["units"] is None
    assert points(score)[C.SINCE_INSPECTION] == Decimal("15.0")
    assert points(score)[C.FACTORY_TYPE] == Decimal("0.0") and points(score)[C.CATEGORY] == Decimal("0.0")


def test_weights_and_category_risks_are_data_that_change_the_score(risky):
    factory = risky(FactoryFactory(factory_type=2, category_code="52(1)"), years=1)
    before = score_of(factory)
    RiskWeight.objects.filter(component=C.FACTORY_TYPE).update(points_per_unit=Decimal("8"))
    CategoryRisk.objects.create(code="52(1)", units=5)  # the exact code wins over the category number
    after = score_of(factory)
    assert points(after)[C.FACTORY_TYPE] == Decimal("8.0") and points(before)[C.FACTORY_TYPE] == Decimal("5.0")
    assert points(after)[C.CATEGORY] == Decimal("5.0") and points(before)[C.CATEGORY] == Decimal("3.0")
    assert after.score - before.score == Decimal("5.0")
    assert after.components[C.CATEGORY]["matched"] == "52(1)"


def test_closed_inspections_outside_the_lookback_no_longer_count_their_discrepancies(risky):
    factory = risky(FactoryFactory(), discrepancies=2, years=4)
    from workflows.inspection.models import Inspection

    Inspection.objects.filter(factory=factory).update(created_at=Inspection.objects.first().closed_at)
    score = score_of(factory)
    assert score.components[C.DISCREPANCIES]["units"] == 0
    assert points(score)[C.SINCE_INSPECTION] == Decimal("15.0")  # 4 years × 4 = 16, capped at 15


def refresh_queries(factories) -> int:
    ids = [f.pk for f in factories]
    with CaptureQueriesContext(connection) as queries:
        risk.risk_refresh(ids)
    return len(queries)


def test_bulk_recompute_takes_the_same_number_of_queries_for_5_or_50_factories(risky):
    def make(n):
        made = [FactoryFactory() for _ in range(n)]
        for index, factory in enumerate(made):
            risky(factory, discrepancies=index % 2, issued=index % 3 == 0, complaints=index % 2, years=index % 4)
        return made

    few, many = make(5), make(50)
    assert refresh_queries(few) == refresh_queries(many)
    assert RiskScore.objects.filter(factory__in=many).count() == 50


def test_recompute_command_scores_every_factory_and_reports_progress(risky):
    factories = [FactoryFactory() for _ in range(7)]
    out = StringIO()
    call_command("recompute_risk", batch=3, stdout=out)
    assert RiskScore.objects.filter(factory__in=factories).count() == 7
    assert "7/7 factories" in out.getvalue() and "risk scores in" in out.getvalue()


def test_closing_an_inspection_refreshes_the_score(songkhla, checklist, factory, django_capture_on_commit_callbacks):
    assert score_of(factory).components[C.SINCE_INSPECTION]["units"] is None
    case = inspection(factory, checklist, songkhla.head, closed_days_ago=None)
    with django_capture_on_commit_callbacks(execute=True):  # the refresh follows the commit, through the outbox
        inspection_services.inspection_close(inspection=case)
        assert RiskScore.objects.get(factory=factory).components[C.SINCE_INSPECTION]["units"] is None
    assert OutboxMessage.objects.get(task=refresh_risk.name, args=[[factory.pk]]).done_at is not None
    stored = RiskScore.objects.get(factory=factory)
    assert stored.components[C.SINCE_INSPECTION]["units"] == "0.0"
    assert points(stored)[C.SINCE_INSPECTION] == Decimal("0.0")


def test_accepting_a_complaint_refreshes_the_score(songkhla, checklist, factory):
    complaint = complaint_services.complaint_submit(
        data={"description": "โรงงานปล่อยน้ำเสียสีดำลงคลองข้างหมู่บ้านทุกคืน", "province": factory.province_id,
              "district": factory.district_id, "factory": factory.pk},
        photos=[], source_ip=None,
    )  # fmt: skip
    assert score_of(factory).components[C.COMPLAINTS]["units"] == 0
    complaint_services.complaint_triage(complaint=complaint, by=songkhla.head, accept=True)
    assert RiskScore.objects.get(factory=factory).components[C.COMPLAINTS]["units"] == 1
    assert Complaint.objects.get(pk=complaint.pk).inspection is not None


def test_rejected_complaints_do_not_count(factory):
    accepted_complaint(factory, status="rejected")
    assert score_of(factory).components[C.COMPLAINTS]["units"] == 0


def test_why_page_shows_every_component_with_its_raw_input(client, songkhla, risky):
    factory = risky(FactoryFactory(factory_type=3), complaints=2, years=3)
    risk.risk_refresh([factory.pk])
    client.force_login(songkhla.head)
    response = client.get(reverse("planning:why", args=[factory.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('data-testid="risk-component"') == len(C.values)
    assert "ร้องเรียน" in page and "2" in page
    assert str(RiskScore.objects.get(factory=factory).score) in page


def test_risk_list_is_sorted_by_score_and_scoped_to_the_office(client, songkhla, risky):
    low = risky(FactoryFactory(factory_type=1, category_code="3(1)"), years=0)
    high = risky(FactoryFactory(factory_type=3), complaints=2, issued=1)
    elsewhere = FactoryFactory(province_code=LOPBURI)
    risk.risk_recompute_all()
    client.force_login(songkhla.head)
    rows = list(client.get(reverse("planning:risk")).context["page"])
    assert rows.index(high) < rows.index(low) and elsewhere not in rows
    client.force_login(staff(LOPBURI, "group_head"))
    assert client.get(reverse("planning:why", args=[high.pk])).status_code == 404
