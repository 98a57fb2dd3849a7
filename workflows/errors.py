from org.errors import DomainError


class AuditError(DomainError):
    """The audit trail refused a change: its rows are written once and never altered or removed."""
