from .selfreports import admin as selfreports_admin  # noqa: F401  (registers the self-report models)
