"""Quarterly inspection plans: generation within capacity, highest risk first, never a factory with
an open case nor twice; the group head edits and submits, the provincial industry officer (or the
person acting for the post) approves or returns; approval starts and assigns the cases; access."""

from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from org.calendar import fiscal_year
from tests.clock import at
from tests.conftest import LOPBURI, staff
from tests.factories import FactoryFactory
from tests.workflows.planning.conftest import inspection
from workflows.audit import verify
from workflows.inspection.models import Inspection, InspectionReason
from workflows.models.approvals import RoundDecision
from workflows.planning import services
from workflows.planning.errors import PlanningError
from workflows.planning.models import InspectionPlan, PlanItem, PlanStatus

# Plans are made for quarters 2 and 3 of "this" fiscal year: in the first quarter, so both lie ahead.
pytestmark = [pytest.mark.django_db, at(2026, 11, 16)]


@pytest.fixture(autouse=True)
def english():
    """Service messages are matched in English (the Thai catalogue may change); pages stay Thai."""
    with translation.override("en"):
        yield


@pytest.fixture
def year(today):
    return fiscal_year(today)


@pytest.fixture
def ranked(songkhla, risky):
    """Eight Songkhla factories of clearly different risk, highest first."""
    factories = [FactoryFactory(factory_type=1, category_code="3(1)") for _ in range(8)]
    for index, factory in enumerate(factories):
        risky(factory, complaints=max(0, 2 - index // 3), issued=1 if index < 2 else 0, years=(7 - index) / 2)
    return factories


def generate(songkhla, year, quarter=2, capacity=2):
    services.capacity_set(office=songkhla.unit, cases_per_inspector=capacity, by=songkhla.head)
    return services.plan_generate(office=songkhla.unit, fiscal_year=year, quarter=quarter, by=songkhla.head)


def planned(plan) -> list:
    return [item.factory for item in plan.items.select_related("factory").order_by("rank")]


def open_task(plan, name):
    return Task.objects.get(
        process__planprocess__plan=plan, flow_task__endswith=f".{name}", status__in=[STATUS.NEW, STATUS.ASSIGNED]
    )


def task_url(task):
    return reverse(f"planning:flow:{task.flow_task.name}:execute", args=[task.process_id, task.pk])


def do(client, user, plan, name, data):
    task = open_task(plan, name)
    assert task.owner == user, f"{name} is owned by {task.owner}, not {user}"
    client.force_login(user)
    response = client.post(task_url(task), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def test_plan_takes_the_highest_risk_factories_within_capacity_and_skips_open_cases(songkhla, checklist, ranked, year):
    top = ranked[0]
    inspection(top, checklist, songkhla.head, closed_days_ago=None)  # an open case: never planned again
    plan = generate(songkhla, year, capacity=2)
    assert plan.inspectors == 2 and plan.capacity == 4
    assert planned(plan) == ranked[1:5]
    scores = list(plan.items.order_by("rank").values_list("risk_score", flat=True))
    assert scores == sorted(scores, reverse=True)
    assert plan.status == PlanStatus.DRAFT and open_task(plan, "prepare").owner == songkhla.head


def test_a_factory_is_never_planned_twice_nor_in_two_pending_plans(songkhla, ranked, year):
    first = generate(songkhla, year, quarter=2, capacity=2)
    second = generate(songkhla, year, quarter=3, capacity=2)
    assert not set(planned(first)) & set(planned(second))
    with pytest.raises(PlanningError, match="already in the plan"):
        services.plan_item_add(plan=first, factory=planned(first)[0], by=songkhla.head)
    with pytest.raises(PlanningError, match="another plan"):
        services.plan_item_remove(plan=first, item=first.items.order_by("rank").last(), by=songkhla.head)
        services.plan_item_add(plan=first, factory=planned(second)[0], by=songkhla.head)
    with pytest.raises(PlanningError):
        generate(songkhla, year, quarter=2)  # one plan per office and quarter


def test_adding_by_hand_respects_capacity_and_open_cases(songkhla, checklist, ranked, year):
    plan = generate(songkhla, year, capacity=2)
    with pytest.raises(PlanningError, match="full"):
        services.plan_item_add(plan=plan, factory=ranked[6], by=songkhla.head)
    services.plan_item_remove(plan=plan, item=plan.items.order_by("rank").last(), by=songkhla.head)
    busy = ranked[7]
    inspection(busy, checklist, songkhla.head, closed_days_ago=None)
    with pytest.raises(PlanningError, match="open inspection"):
        services.plan_item_add(plan=plan, factory=busy, by=songkhla.head)
    with pytest.raises(PlanningError, match="not supervised"):
        services.plan_item_add(plan=plan, factory=FactoryFactory(province_code=LOPBURI), by=songkhla.head)
    item = services.plan_item_add(plan=plan, factory=ranked[6], by=songkhla.head)
    assert item.added_by_hand and plan.items.count() == plan.capacity


def test_approval_starts_the_cases_and_assigns_them_to_the_least_loaded_inspectors(
    client, songkhla, checklist, ranked, year
):
    plan = generate(songkhla, year, capacity=2)
    do(client, songkhla.head, plan, "prepare", {"note": "เสนอแผนไตรมาส 2"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED and open_task(plan, "approve").owner == songkhla.officer
    do(client, songkhla.officer, plan, "approve", {"decision": "approve"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.approved_by == songkhla.officer
    items = list(plan.items.select_related("inspection"))
    cases = [item.inspection for item in items]
    assert all(case is not None and case.reason == InspectionReason.PLAN for case in cases)
    assert Counter(case.inspector for case in cases) == {songkhla.inspector: 2, songkhla.inspector2: 2}
    inspect_owners = Task.objects.filter(
        process__inspectionprocess__inspection__in=cases, flow_task__endswith=".inspect", status=STATUS.ASSIGNED
    ).values_list("owner", flat=True)
    assert sorted(inspect_owners) == sorted(case.inspector_id for case in cases)
    assert not Task.objects.filter(process__planprocess__plan=plan, status__in=[STATUS.NEW, STATUS.ASSIGNED]).exists()
    assert verify(f"inspectionplan:{plan.pk}") == []
    page = client.get(reverse("planning:plan", args=[plan.pk])).content.decode()
    assert "0 จาก 4" in page or "0 of 4" in page


def test_a_factory_that_got_an_open_case_meanwhile_is_skipped_at_approval(client, songkhla, checklist, ranked, year):
    plan = generate(songkhla, year, capacity=2)
    busy = planned(plan)[0]
    do(client, songkhla.head, plan, "prepare", {})
    inspection(busy, checklist, songkhla.head, closed_days_ago=None)
    do(client, songkhla.officer, plan, "approve", {"decision": "approve"})
    item = PlanItem.objects.get(plan=plan, factory=busy)
    assert item.inspection is None and item.skipped_reason
    assert Inspection.objects.filter(factory=busy, closed_at__isnull=True).count() == 1
    assert plan.items.filter(inspection__isnull=False).count() == 3


def test_return_loop_goes_back_to_the_group_head_and_keeps_every_round(client, songkhla, ranked, year):
    plan = generate(songkhla, year, capacity=2)
    do(client, songkhla.head, plan, "prepare", {})
    do(client, songkhla.officer, plan, "approve", {"decision": "return", "comments": "ตัดโรงงานลำดับสุดท้ายออก"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and open_task(plan, "prepare").owner == songkhla.head
    client.force_login(songkhla.head)
    last = plan.items.order_by("rank").last()
    response = client.post(reverse("planning:item_remove", args=[plan.pk, last.pk]))
    assert response.status_code == 302 and plan.items.count() == 3
    do(client, songkhla.head, plan, "prepare", {})
    do(client, songkhla.officer, plan, "approve", {"decision": "approve"})
    assert list(plan.reviews.values_list("number", "decision")) == [
        (1, RoundDecision.RETURN),
        (2, RoundDecision.APPROVE),
    ]
    assert Inspection.objects.filter(plan_item__plan=plan).count() == 3


def test_return_without_comments_is_refused_and_changes_nothing(client, songkhla, ranked, year):
    plan = generate(songkhla, year, capacity=2)
    do(client, songkhla.head, plan, "prepare", {})
    client.force_login(songkhla.officer)
    response = client.post(task_url(open_task(plan, "approve")), {"decision": "return"})
    assert response.status_code in (200, 422)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED and not plan.reviews.exists()


def test_a_person_acting_for_the_officer_approves_and_both_names_are_kept(
    client, songkhla, ranked, year, acting_songkhla_officer
):
    plan = generate(songkhla, year, capacity=1)
    do(client, songkhla.head, plan, "prepare", {})
    do(client, acting_songkhla_officer, plan, "approve", {"decision": "approve"})
    plan.refresh_from_db()
    assert plan.approved_by == acting_songkhla_officer and plan.approved_as.startswith("รักษาราชการแทน")


def state(plan):
    return (
        InspectionPlan.objects.filter(pk=plan.pk).values_list("status", flat=True).get(),
        sorted(plan.items.values_list("factory_id", flat=True)),
        list(Task.objects.filter(process__planprocess__plan=plan).values_list("status", "owner")),
        Inspection.objects.count(),
    )


@pytest.mark.parametrize("who", ["anonymous", "other_province_head", "same_office_inspector"])
def test_strangers_cannot_see_edit_or_approve_a_plan(client, songkhla, ranked, year, who):
    plan = generate(songkhla, year, capacity=2)
    do(client, songkhla.head, plan, "prepare", {})
    client.logout()
    if who == "other_province_head":
        client.force_login(staff(LOPBURI, "group_head"))
    elif who == "same_office_inspector":
        client.force_login(songkhla.inspector)
    before = state(plan)
    page = client.get(reverse("planning:plan", args=[plan.pk]))
    approve = client.post(task_url(open_task(plan, "approve")), {"decision": "approve"})
    remove = client.post(reverse("planning:item_remove", args=[plan.pk, plan.items.first().pk]))
    generated = client.post(reverse("planning:generate"), {"office": songkhla.unit.pk, "fiscal_year": year,
                                                          "quarter": 3})  # fmt: skip
    if who == "anonymous":
        assert all(r.status_code == 302 and "/accounts/login/" in r["Location"] for r in (page, approve, remove))
    elif who == "other_province_head":
        assert page.status_code == 404 and remove.status_code == 404 and approve.status_code == 403
    else:  # sees the office's plan (progress), may not change or approve it
        assert page.status_code == 200 and approve.status_code == 403 and remove.status_code == 403
    assert state(plan) == before
    assert not InspectionPlan.objects.filter(quarter=3).exists() and generated.status_code == 302


def test_the_group_head_cannot_approve_the_plan_through_the_service(songkhla, ranked, year):
    plan = generate(songkhla, year, capacity=2)
    services.plan_submit(plan=plan, by=songkhla.head)
    with pytest.raises(PermissionDenied):
        services.plan_decide(plan=plan, by=songkhla.head, decision=RoundDecision.APPROVE)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_progress_is_visible_up_the_chain_but_not_in_another_province(client, songkhla, ranked, year):
    plan = generate(songkhla, year, capacity=2)
    client.force_login(songkhla.aps)
    rows = list(client.get(reverse("planning:list")).context["page"])
    assert [(p.pk, p.planned, p.done) for p in rows] == [(plan.pk, 4, 0)]
    assert client.get(reverse("planning:plan", args=[plan.pk])).status_code == 200
    client.force_login(staff(LOPBURI, "provincial_officer"))
    assert list(client.get(reverse("planning:list")).context["page"]) == []


def test_a_plan_is_not_made_for_a_past_quarter_nor_by_an_inspector(songkhla, ranked, year):
    with pytest.raises(PlanningError, match="past quarter"):
        services.plan_generate(office=songkhla.unit, fiscal_year=year - 1, quarter=4, by=songkhla.head)
    with pytest.raises(PermissionDenied):
        services.plan_generate(office=songkhla.unit, fiscal_year=year + 1, quarter=1, by=songkhla.inspector)
    assert not InspectionPlan.objects.exists()
