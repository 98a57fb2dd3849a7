"""The permissions module's "cases this person may see", counted over every case: for the deputy
PS (two clusters) and for the inspector of the busiest office. The person's scope is read afresh
each time, as in a new request."""

from permissions import access
from workflows.inspection.models import Inspection

from ..timing import explain, seconds, statements


def _count(user) -> int:
    user.__dict__.pop("_kamkap_scope", None)
    return access.visible(user, Inspection.objects.all()).count()


def measure(cast) -> tuple[dict, dict]:
    deputy, inspector = cast.deputy_ps, cast.big_inbox
    figures = {
        "visible_cases_ms": seconds(lambda: _count(deputy)).scaled(1000, 2),
        "visible_cases_inspector_ms": seconds(lambda: _count(inspector)).scaled(1000, 2),
    }
    evidence = {
        "cases counted for the deputy PS / the inspector": f"{_count(deputy):,} / {_count(inspector):,}",
        "count plan (deputy PS)": explain(statements(lambda: _count(deputy))[-1]["sql"]),
    }
    return figures, evidence
