"""The approvals core (workflows.approvals) as orders use it: a re-drafted order keeps its earlier
approval rounds, as projects do; a step sent back leaves the steps above it unreached, never pending."""

import pytest

from tests.workflows.inspection.test_flow_paths import do, open_task, s37_drafted, s39_drafted, start_and_inspect
from workflows import approvals
from workflows.inspection import services
from workflows.inspection.models import OrderApproval, OrderStatus
from workflows.models.approvals import RoundDecision, StepDecision

pytestmark = pytest.mark.django_db


def rounds_of(order):
    return list(order.approvals.order_by("round", "step").values_list("round", "step", "decision"))


def test_a_redrafted_order_keeps_its_earlier_approval_rounds(client, songkhla, checklist, factory, rules):
    inspection = s37_drafted(client, songkhla, factory)
    order = services.current_order(inspection)
    do(client, songkhla.officer, inspection, "approve_order", {"approve": "0", "comments": "ระบุกำหนดเวลาใหม่"})
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT
    assert rounds_of(order) == [(1, 1, StepDecision.RETURNED)]

    do(client, songkhla.officer, inspection, "draft_order", {
        "kind": "s37", "requirement": "เปิดทางหนีไฟทั้งสองด้าน", "period_days": "45",
    })  # fmt: skip
    assert services.current_order(inspection) == order  # the same order, sent up again
    assert rounds_of(order) == [(1, 1, StepDecision.RETURNED), (2, 1, StepDecision.PENDING)]
    do(client, songkhla.officer, inspection, "approve_order", {"approve": "1"})
    order.refresh_from_db()
    assert order.status == OrderStatus.ISSUED and order.requirement == "เปิดทางหนีไฟทั้งสองด้าน"
    assert rounds_of(order) == [(1, 1, StepDecision.RETURNED), (2, 1, StepDecision.APPROVED)]
    assert order.approvals.get(round=1).comments == "ระบุกำหนดเวลาใหม่"


def test_a_step_sent_back_leaves_the_steps_above_it_unreached(client, songkhla, checklist, factory, rules):
    order = s39_drafted(client, songkhla, factory)
    services.order_decide(order=order, by=songkhla.officer, approve=True)
    services.order_decide(order=order, by=songkhla.aps, approve=False, comments="ทบทวนฐานความผิด")
    assert rounds_of(order) == [
        (1, 1, StepDecision.APPROVED), (1, 2, StepDecision.RETURNED), (1, 3, StepDecision.UNREACHED),
    ]  # fmt: skip
    assert services.pending_approval(order) is None

    order = services.order_draft(
        inspection=order.inspection, by=songkhla.officer, kind="s39", requirement="หยุดประกอบกิจการ",
        period_days=order.period_days,
    )  # fmt: skip
    step = services.pending_approval(order)
    assert (step.round, step.step, step.approver) == (2, 1, songkhla.officer)
    assert len(rounds_of(order)) == 6


def test_a_review_round_takes_the_next_number_and_a_known_decision(client, songkhla, checklist, factory):
    inspection = start_and_inspect(client, songkhla, factory, exit_ok=True)
    do(client, songkhla.head, inspection, "review", {"decision": "return", "comments": "แนบภาพถ่าย"})
    review = approvals.round_record(inspection.reviews, by=songkhla.head, by_as="", decision=RoundDecision.APPROVE)
    assert (review.number, review.approved) == (2, True)
    with pytest.raises(ValueError):
        approvals.round_record(inspection.reviews, by=songkhla.head, by_as="", decision="approved")
    assert inspection.reviews.count() == 2
    assert open_task(inspection, "inspect").owner == songkhla.inspector


def test_steps_left_waiting_above_an_old_return_are_closed(client, songkhla, checklist, factory, rules):
    """Before the core, a step sent back left the steps above it waiting (data migration 0009)."""
    order = s39_drafted(client, songkhla, factory)
    order.approvals.filter(step=1).update(decision=StepDecision.RETURNED)  # as recorded before the core
    assert services.pending_approval(order).step == 2
    approvals.close_returned_rounds(OrderApproval, "order")
    assert rounds_of(order) == [
        (1, 1, StepDecision.RETURNED), (1, 2, StepDecision.UNREACHED), (1, 3, StepDecision.UNREACHED),
    ]  # fmt: skip
    assert services.pending_approval(order) is None
