from org.errors import DomainError


class ComplaintError(DomainError):
    """A complaint rule refused the change; the message (Thai first) is shown to the user as is."""


class RateLimited(ComplaintError):
    """Too many complaints from one address within the window (the API answers 429)."""
