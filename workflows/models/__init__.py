from .approval import ApprovalRule, RuleSubject
from .audit import AuditChain, AuditEntry
from .outbox import OutboxMessage
from .sla import DayCount, SlaRule, TaskNotice
from .unheld import UnheldReason, UnheldStep

__all__ = [
    "ApprovalRule",
    "RuleSubject",
    "AuditChain",
    "AuditEntry",
    "OutboxMessage",
    "DayCount",
    "SlaRule",
    "TaskNotice",
    "UnheldReason",
    "UnheldStep",
]
