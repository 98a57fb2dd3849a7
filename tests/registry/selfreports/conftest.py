import pytest

from registry.selfreports.kinds import ensure_standard_kinds
from registry.selfreports.models import ReportKind


@pytest.fixture
def kinds(db) -> dict[str, ReportKind]:
    """The four standard report kinds, by code."""
    ensure_standard_kinds()
    return {kind.code: kind for kind in ReportKind.objects.prefetch_related("fields")}
