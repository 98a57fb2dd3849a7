"""The approvals core's services, shared by every flow: chain → pending → decide, and single rounds.

A case's approvals are reached through its related manager (`order.approvals`, `project.approvals`,
`inspection.reviews`, `plan.reviews`, `report.rounds`); the models are workflows.models.approvals.
Nothing here deletes: a case sent back and submitted again gets a new round, the earlier rounds stay.
Who may decide, what a decision does to the case and what the audit trail says stay with each flow's
services."""

from django.db.models import Max
from django.utils import timezone

from .chain import ChainStep
from .models.approvals import ApprovalStep, DecisionRound, RoundDecision, StepDecision


def chain_open(approvals, steps: list[ChainStep]) -> list[ApprovalStep]:
    """Record the resolved chain `steps` as a new round of the case's `approvals` (its related
    manager); a vacant level is recorded as skipped (two queries)."""
    number = (approvals.aggregate(last=Max("round"))["last"] or 0) + 1
    now = timezone.now()
    case = {approvals.field.name: approvals.instance}
    rows = [
        approvals.model(
            **case, round=number, step=index, level=step.kind, position=step.position, approver=step.person,
            approver_as=step.signed_as, decision=StepDecision.SKIPPED if step.vacant else StepDecision.PENDING,
            decided_at=now if step.vacant else None,
        )
        for index, step in enumerate(steps, start=1)
    ]  # fmt: skip
    return approvals.model.objects.bulk_create(rows)


def pending(approvals) -> ApprovalStep | None:
    """The step waiting for a decision: the first pending step of the case's chain (one query)."""
    return approvals.filter(decision=StepDecision.PENDING).order_by("round", "step").first()


def decide(step: ApprovalStep, *, approve: bool, comments: str = "") -> ApprovalStep:
    """Record the approver's decision on `step`. Sent back, the steps above it in the round are never
    reached (and so no longer pending)."""
    step.decision = StepDecision.APPROVED if approve else StepDecision.RETURNED
    step.comments, step.decided_at = comments, timezone.now()
    step.save(update_fields=["decision", "comments", "decided_at"])
    if not approve:
        _leave_unreached(type(step), f"{step.case_field}_id", step.case_id, step.round, step.step)
    return step


def round_record(
    rounds, *, by, by_as: str, decision: str, comments: str = "", number: int | None = None
) -> DecisionRound:
    """Record one decision on the case as its next round (`number` when the caller knows it)."""
    if number is None:
        number = (rounds.aggregate(last=Max("number"))["last"] or 0) + 1
    review = next_round(rounds, by=by, by_as=by_as, decision=decision, comments=comments, number=number)
    review.save()
    return review


def next_round(rounds, *, by, by_as: str, decision: str, comments: str, number: int) -> DecisionRound:
    """`round_record`'s round not yet saved: for the statement of the audit entry that records the decision
    to write it (workflows.audit.record's `writing`)."""
    if decision not in RoundDecision.values:
        raise ValueError(decision)
    case = {rounds.field.name: rounds.instance}
    return rounds.model(**case, number=number, decided_by=by, decided_as=by_as, decision=decision, comments=comments)


def close_returned_rounds(steps, case_field: str) -> None:
    """Mark "not reached" the steps left waiting above a step sent back (for data recorded before
    `decide` did it); `steps` is a step model, historical ones included."""
    case = f"{case_field}_id"
    for sent_back in steps.objects.filter(decision=StepDecision.RETURNED).values(case, "round", "step"):
        _leave_unreached(steps, case, sent_back[case], sent_back["round"], sent_back["step"])


def _leave_unreached(steps, case: str, case_id: int, round: int, step: int) -> None:
    above = steps.objects.filter(**{case: case_id}, round=round, step__gt=step)
    above.filter(decision=StepDecision.PENDING).update(decision=StepDecision.UNREACHED)
