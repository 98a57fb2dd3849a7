from .approval import ApprovalRule, RuleSubject
from .audit import AuditChain, AuditEntry
from .sla import SlaRule, TaskNotice
from .unheld import UnheldReason, UnheldStep

__all__ = [
    "ApprovalRule",
    "RuleSubject",
    "AuditChain",
    "AuditEntry",
    "SlaRule",
    "TaskNotice",
    "UnheldReason",
    "UnheldStep",
]
