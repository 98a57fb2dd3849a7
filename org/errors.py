"""Domain errors: raised by services, turned into form or API errors in one place (the views)."""


class DomainError(Exception):
    """A rule of the domain refused the change; the message is safe to show to the user."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class OrgError(DomainError):
    pass
