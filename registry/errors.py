from org.errors import DomainError


class RegistryError(DomainError):
    """A factory change broke a registry rule; `errors` maps field names to messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
