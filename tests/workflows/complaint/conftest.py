from tests.workflows.inspection.conftest import checklist, factory, rules, songkhla  # noqa: F401
