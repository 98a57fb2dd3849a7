from .approval import ApprovalRule, RuleSubject
from .audit import AuditChain, AuditEntry
from .outbox import OutboxMessage
from .sla import SlaRule, TaskNotice
from .unheld import UnheldReason, UnheldStep

__all__ = [
    "ApprovalRule",
    "RuleSubject",
    "AuditChain",
    "AuditEntry",
    "OutboxMessage",
    "SlaRule",
    "TaskNotice",
    "UnheldReason",
    "UnheldStep",
]
