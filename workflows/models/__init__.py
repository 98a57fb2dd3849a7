from .approval import ApprovalRule, RuleSubject
from .audit import AuditChain, AuditEntry
from .sla import SlaRule, TaskDeadline

__all__ = [
    "ApprovalRule",
    "RuleSubject",
    "AuditChain",
    "AuditEntry",
    "SlaRule",
    "TaskDeadline",
]
