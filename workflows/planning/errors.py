from org.errors import DomainError


class PlanningError(DomainError):
    """A planning rule refused the change; the message is shown to the user as is."""
