from org.errors import DomainError


class InspectionError(DomainError):
    """An inspection rule refused the change; the message is shown to the user as is."""
