from org.errors import DomainError


class BudgetError(DomainError):
    """A budget-project rule refused the change; the message is shown to the user as is."""
