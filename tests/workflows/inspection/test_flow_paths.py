"""Every path of InspectionFlow, driven through the real task screens (test client)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS
from viewflow.workflow.timers import fire_due_timers

from org import services as org_services
from registry.models import Factory
from workflows.audit import verify
from workflows.inspection import services
from workflows.inspection.models import Inspection, OrderStatus
from workflows.models.approvals import RoundDecision, StepDecision

pytestmark = pytest.mark.django_db


def open_task(inspection, name):
    return Task.objects.get(
        process__inspectionprocess__inspection=inspection, flow_task__endswith=f".{name}",
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
    )  # fmt: skip


def do(client, user, inspection, name, data, *, expect_redirect=True):
    task = open_task(inspection, name)
    assert task.owner == user, f"{name} is owned by {task.owner}, not {user}"
    client.force_login(user)
    url = reverse(f"inspection:flow:{name}:execute", args=[task.process_id, task.pk])
    response = client.post(url, data)
    if expect_redirect:
        assert response.status_code == 302, response.content.decode()[:2000]
    return response


def checklist_answers(inspection, *, exit_ok: bool, workers: int = 40):
    data = {"findings": "ตรวจพบตามรายการ", "inspected_on": "20/11/2569"}
    for item in services._items(inspection):
        if item.code == "S1":
            data[f"item_{item.pk}"] = "yes" if exit_ok else "no"
        else:
            data[f"item_{item.pk}"] = str(workers)
    return data


def start_and_inspect(client, songkhla, factory, *, exit_ok: bool) -> Inspection:
    inspection = services.inspection_start(factory=factory, by=songkhla.head)
    do(client, songkhla.head, inspection, "assign", {"inspector": songkhla.inspector.pk})
    do(client, songkhla.inspector, inspection, "inspect", checklist_answers(inspection, exit_ok=exit_ok))
    return inspection


def test_approve_path_closes_a_compliant_case(client, songkhla, checklist, factory):
    inspection = start_and_inspect(client, songkhla, factory, exit_ok=True)
    do(client, songkhla.head, inspection, "review", {"decision": "approve"})
    do(client, songkhla.officer, inspection, "sign_off", {"confirm": "on"})
    inspection.refresh_from_db()
    assert inspection.outcome == "compliant" and inspection.closed_at is not None
    assert inspection.signed_off_by == songkhla.officer
    assert verify(f"inspection:{inspection.pk}") == []
    # The close function and the end: each written once, done, and linked to the task before it.
    tasks = Task.objects.filter(process__inspectionprocess__inspection=inspection)
    sign_off, close, end = (tasks.get(flow_task__endswith=f".{name}") for name in ("sign_off", "close", "end"))
    assert {close.status, end.status, end.process.status} == {STATUS.DONE}
    assert close.started and close.finished and end.finished and end.process.finished
    assert list(close.previous.all()) == [sign_off] and list(end.previous.all()) == [close]


def test_return_and_resubmit_keeps_every_round(client, songkhla, checklist, factory):
    inspection = start_and_inspect(client, songkhla, factory, exit_ok=True)
    do(client, songkhla.head, inspection, "review", {"decision": "return", "comments": "แนบภาพถ่ายเพิ่ม"})
    do(client, songkhla.inspector, inspection, "inspect", checklist_answers(inspection, exit_ok=True, workers=41))
    do(client, songkhla.head, inspection, "review", {"decision": "approve"})
    rounds = list(inspection.reviews.values_list("number", "decision", "comments"))
    assert rounds == [(1, RoundDecision.RETURN, "แนบภาพถ่ายเพิ่ม"), (2, RoundDecision.APPROVE, "")]
    assert open_task(inspection, "sign_off").owner == songkhla.officer


def test_return_without_comments_is_refused_and_changes_nothing(client, songkhla, checklist, factory):
    inspection = start_and_inspect(client, songkhla, factory, exit_ok=True)
    response = do(client, songkhla.head, inspection, "review", {"decision": "return"}, expect_redirect=False)
    assert response.status_code in (200, 422)
    assert not inspection.reviews.exists()
    assert open_task(inspection, "review").owner == songkhla.head


def s37_drafted(client, songkhla, factory, period_days: int = 30) -> Inspection:
    """A non-compliant case reviewed, signed off and its s.37 order drafted: waiting for approval."""
    inspection = start_and_inspect(client, songkhla, factory, exit_ok=False)
    do(client, songkhla.head, inspection, "review", {"decision": "approve"})
    do(client, songkhla.officer, inspection, "sign_off", {"confirm": "on"})
    do(client, songkhla.officer, inspection, "draft_order", {
        "kind": "s37", "requirement": "เปิดทางหนีไฟ", "period_days": str(period_days),
    })  # fmt: skip
    return inspection


def s39_drafted(client, songkhla, factory):
    """A non-compliant case reviewed and its s.39 order drafted (by services): its chain resolved."""
    inspection = start_and_inspect(client, songkhla, factory, exit_ok=False)
    services.review_decide(inspection=inspection, by=songkhla.head, decision=RoundDecision.APPROVE)
    return services.order_draft(
        inspection=inspection, by=songkhla.officer, kind="s39", requirement="หยุดประกอบกิจการ",
        period_days=30,
    )  # fmt: skip


def test_non_compliant_s37_then_follow_up_compliant(client, songkhla, checklist, factory, rules):
    inspection = s37_drafted(client, songkhla, factory)
    do(client, songkhla.officer, inspection, "approve_order", {"approve": "1"})
    order = services.current_order(inspection)
    assert order.status == OrderStatus.ISSUED and order.signed_by == songkhla.officer
    assert fire_due_timers() == 0  # the follow-up waits for the deadline
    Task.objects.filter(flow_task_type="TIMER", status=STATUS.SCHEDULED).update(scheduled=timezone.now())
    assert fire_due_timers() == 1
    do(client, songkhla.inspector, inspection, "follow_up", {"complied": "1", "note": "แก้ไขแล้ว"})
    inspection.refresh_from_db()
    assert inspection.closed_at is not None
    assert services.current_order(inspection).status == OrderStatus.COMPLIED


def test_s37_not_obeyed_escalates_s39_up_to_the_deputy_ps(client, songkhla, checklist, factory, rules):
    inspection = s37_drafted(client, songkhla, factory, 15)
    do(client, songkhla.officer, inspection, "approve_order", {"approve": "1"})
    Task.objects.filter(flow_task_type="TIMER", status=STATUS.SCHEDULED).update(scheduled=timezone.now())
    fire_due_timers()
    do(client, songkhla.inspector, inspection, "follow_up", {"complied": "0", "note": "ยังปิดกั้นทางหนีไฟ"})
    s39 = services.current_order(inspection)
    assert s39.kind == "s39" and s39.status == OrderStatus.APPROVING
    assert [a.level for a in s39.approvals.all()] == ["provincial_officer", "assistant_ps", "deputy_ps"]
    for approver in (songkhla.officer, songkhla.aps, songkhla.dps):
        do(client, approver, inspection, "approve_order", {"approve": "1"})
    s39.refresh_from_db()
    assert s39.status == OrderStatus.ISSUED and s39.signed_by == songkhla.dps


def test_the_officer_puts_an_approval_back_in_the_queue_and_takes_it_again(client, songkhla, checklist, factory, rules):
    inspection = s37_drafted(client, songkhla, factory)
    task = open_task(inspection, "approve_order")
    args = [task.process_id, task.pk]
    client.force_login(songkhla.officer)
    assert client.post(reverse("inspection:flow:approve_order:unassign", args=args)).status_code == 302
    task.refresh_from_db()
    assert task.owner is None and task.status == STATUS.NEW
    for other in (songkhla.inspector, songkhla.head, songkhla.aps):  # only the approver the step names
        client.force_login(other)
        assert client.post(reverse("inspection:flow:approve_order:assign", args=args)).status_code == 403
        task.refresh_from_db()
        assert task.owner is None
    client.force_login(songkhla.officer)
    assert client.post(reverse("inspection:flow:approve_order:assign", args=args)).status_code == 302
    do(client, songkhla.officer, inspection, "approve_order", {"approve": "1"})
    assert services.current_order(inspection).status == OrderStatus.ISSUED


def test_acting_approver_takes_the_task_and_both_names_are_kept(client, songkhla, checklist, factory, rules):
    holding = songkhla.officer.holdings.get()
    org_services.end_holding(holding=holding, end=timezone.localdate() - timedelta(days=1))
    today = timezone.localdate()
    org_services.appoint_acting(
        position=holding.position, person=songkhla.head, start=today - timedelta(days=1), end=today + timedelta(days=9)
    )
    inspection = start_and_inspect(client, songkhla, factory, exit_ok=True)
    do(client, songkhla.head, inspection, "review", {"decision": "approve"})
    do(client, songkhla.head, inspection, "sign_off", {"confirm": "on"})
    inspection.refresh_from_db()
    assert inspection.signed_off_by == songkhla.head
    assert inspection.signed_off_as == "รักษาราชการแทน อุตสาหกรรมจังหวัดสงขลา"


def test_vacant_assistant_ps_is_skipped_and_recorded(client, songkhla, checklist, factory, rules):
    holding = songkhla.aps.holdings.get()
    org_services.end_holding(holding=holding, end=timezone.localdate() - timedelta(days=1))
    order = s39_drafted(client, songkhla, factory)
    steps = list(order.approvals.values_list("level", "decision", "approver"))
    assert steps == [
        ("provincial_officer", StepDecision.PENDING, songkhla.officer.pk),
        ("assistant_ps", StepDecision.SKIPPED, None),
        ("deputy_ps", StepDecision.PENDING, songkhla.dps.pk),
    ]


def test_a_factory_cannot_have_two_open_inspections(songkhla, checklist, factory):
    services.inspection_start(factory=factory, by=songkhla.head)
    with pytest.raises(services.InspectionError):
        services.inspection_start(factory=factory, by=songkhla.head)
    assert Inspection.objects.filter(factory=factory).count() == 1


def test_unanswered_checklist_cannot_be_submitted(client, songkhla, checklist, factory):
    inspection = services.inspection_start(factory=factory, by=songkhla.head)
    do(client, songkhla.head, inspection, "assign", {"inspector": songkhla.inspector.pk})
    response = do(client, songkhla.inspector, inspection, "inspect", {"findings": ""}, expect_redirect=False)
    assert 'data-testid="form-errors"' in response.content.decode()
    assert open_task(inspection, "inspect").owner == songkhla.inspector
    assert Factory.objects.filter(pk=factory.pk).exists()
