"""The permissions module's "cases this person may see", counted: for the deputy PS (two clusters) as
the offices permissions.access gives, their cases summed from the dashboard's per-office summary
(dashboards.selectors.visible_case_count: one row per office, not one per case), and for the inspector
of the busiest office over every case of it. The person's scope is read afresh each time, as in a new
request. The worker's pass (dashboards.tasks.refresh_summaries) runs first, as it would within seconds of
the changes the measures before made."""

from dashboards.selectors import visible_case_count
from permissions import access
from workflows.inspection.models import Inspection

from ..timing import explain, seconds, statements


def _count(user) -> int:
    user.__dict__.pop("_kamkap_scope", None)
    return access.visible(user, Inspection.objects.all()).count()


def _summed(user) -> int:
    user.__dict__.pop("_kamkap_scope", None)
    return visible_case_count(user)


def measure(cast) -> tuple[dict, dict]:
    from dashboards.tasks import refresh_summaries

    refresh_summaries()  # the worker's pass over what earlier measures changed (the chains' cases)
    deputy, inspector = cast.deputy_ps, cast.big_inbox
    figures = {
        "visible_cases_ms": seconds(lambda: _summed(deputy)).scaled(1000, 2),
        "visible_cases_inspector_ms": seconds(lambda: _count(inspector)).scaled(1000, 2),
    }
    evidence = {
        "cases counted for the deputy PS / the inspector": f"{_summed(deputy):,} / {_count(inspector):,}",
        "the deputy PS's cases counted row by row (as summed)": f"{_count(deputy):,}",
        "count plan (deputy PS)": explain(statements(lambda: _summed(deputy))[-1]["sql"]),
    }
    return figures, evidence
