from org.errors import DomainError


class ComplaintError(DomainError):
    """A complaint rule refused the change; the message (Thai first) is shown to the user as is."""
