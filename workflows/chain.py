"""The approval chain resolver, shared by every flow: given a case, the ordered approver positions
from the rules, resolved to people on a day. An acting person takes the task (both names kept);
a vacant position with no acting person passes to the next level up, and that is recorded."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q

from org.filling import filler_of, signature
from org.models import ActingAssignment, Person, Position, PositionKind, Unit

from .models import ApprovalRule
from .models.approval import CHAIN_KINDS

DEFAULT_LEVELS = [PositionKind.PROVINCIAL_OFFICER]


@dataclass(frozen=True)
class ChainStep:
    kind: str
    position: Position | None
    person: Person | None
    acting: ActingAssignment | None = None

    @property
    def vacant(self) -> bool:
        return self.person is None

    @property
    def signed_as(self) -> str:
        """What the signature block says: the position, or "acting for" it."""
        if self.position is None:
            return ""
        return signature(self.position.title_th, self.acting.kind if self.acting else "")


def matching_rule(*, subject: str, order_kind: str = "", severity: int | None = None, amount: Decimal | None = None):
    rules = ApprovalRule.objects.filter(subject=subject, active=True)
    rules = rules.filter(Q(order_kind="") | Q(order_kind=order_kind))
    rules = rules.filter(Q(min_severity__isnull=True) | Q(min_severity__lte=severity or 0))
    rules = rules.filter(Q(min_amount__isnull=True) | Q(min_amount__lte=amount or 0))
    return rules.order_by("-priority", "-min_severity", "-min_amount", "pk").first()


def position_for(kind: str, office: Unit) -> Position | None:
    """The position of `kind` responsible for `office`: its own officer, or the executive overseeing
    its cluster (or the office itself)."""
    if kind == PositionKind.PROVINCIAL_OFFICER:
        return Position.objects.filter(kind=kind, unit=office).order_by("pk").first()
    return (
        Position.objects.filter(kind=kind, oversees__in=[office.pk, office.parent_id]).distinct().order_by("pk").first()
    )


def resolve_chain(
    *, subject: str, office: Unit, on: date, order_kind: str = "", severity: int | None = None,
    amount: Decimal | None = None,
) -> list[ChainStep]:  # fmt: skip
    """Every level the rule names, in order; vacant levels stay in the list (marked vacant) and
    the next level up is added when the vacant one was the last."""
    rule = matching_rule(subject=subject, order_kind=order_kind, severity=severity, amount=amount)
    levels = list(rule.levels if rule else DEFAULT_LEVELS)
    steps: list[ChainStep] = []
    index = 0
    while index < len(levels):
        kind = levels[index]
        position = position_for(kind, office)
        person, acting = filler_of(position, on) if position else (None, None)
        steps.append(ChainStep(kind, position, person, acting))
        if person is None and index == len(levels) - 1:
            higher = CHAIN_KINDS.index(kind) + 1
            if higher < len(CHAIN_KINDS):
                levels.append(CHAIN_KINDS[higher])
        index += 1
    return steps
