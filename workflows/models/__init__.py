from .approval import ApprovalRule, RuleSubject
from .audit import AuditChain, AuditEntry

__all__ = ["ApprovalRule", "RuleSubject", "AuditChain", "AuditEntry"]
