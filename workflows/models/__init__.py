from .approval import ApprovalRule, RuleSubject
from .audit import AuditChain, AuditEntry
from .notifications import NoticeKind, NoticePreference, Notification
from .outbox import OutboxMessage
from .sla import DayCount, SlaRule, TaskNotice
from .unheld import UnheldReason, UnheldStep

__all__ = [
    "ApprovalRule",
    "RuleSubject",
    "AuditChain",
    "AuditEntry",
    "NoticeKind",
    "NoticePreference",
    "Notification",
    "OutboxMessage",
    "DayCount",
    "SlaRule",
    "TaskNotice",
    "UnheldReason",
    "UnheldStep",
]
