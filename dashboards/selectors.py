"""Reads for the home page: a person's tasks, positions and scope; how many cases a person may see."""

from django.db.models import Count
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from org.calendar import fiscal_year
from org.filling import roles_of
from permissions import access, operators
from registry.models import Factory


def home_summary(user) -> dict:
    today = timezone.localdate()
    scope = access.scope_of(user)
    open_tasks = Task.objects.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED])
    return {
        "today": today,
        "fiscal_year": fiscal_year(today),
        "roles": roles_of(user, today),
        "inbox_count": open_tasks.filter(owner=user).count(),
        "tasks_by_flow": tasks_by_flow(open_tasks.filter(owner=user)),
        "national": access.ACTIONS["view"] in scope.national,
        "offices": list(access.visible_offices(user).select_related("province")),
        "factory_count": access.visible(user, Factory.objects.all()).count(),
        "operated": list(Factory.objects.filter(pk__in=operators.factory_ids(user)).order_by("name")),
        "dashboard": access.may_track(user),
    }


# Where each flow lists a person's tasks (flow class name → URL name); a flow not named here links to
# its application's index.
TASK_LISTS = {
    "InspectionFlow": "inspection:inbox",
    "ComplaintFlow": "complaints:list",
}


def tasks_by_flow(tasks) -> list[dict]:
    """[{title, count, url}] of a person's open tasks per flow, one query."""
    from django.urls import NoReverseMatch, reverse

    rows = tasks.values_list("process__flow_class").annotate(n=Count("pk")).order_by()
    result = []
    for flow_class, count in rows:
        name = flow_class.__name__
        try:
            url = reverse(TASK_LISTS.get(name) or f"{flow_class.instance.app_name}:index")
        except NoReverseMatch:
            url = ""
        result.append({"title": flow_class.process_title, "count": count, "url": url})
    return sorted(result, key=lambda row: -row["count"])


def visible_case_count(user) -> int:
    """How many cases the user may see — `access.visible(user, Inspection.objects.all()).count()` — for a
    wide scope (a deputy PS's clusters, the ministry) without counting the cases one by one: the offices
    permissions.access gives, their cases summed from the summary (dashboards.summary.case_count; one
    statement, as of the worker's last pass, seconds)."""
    from . import summary

    office_ids = access.visible_office_ids(user)
    return 0 if office_ids == [] else summary.case_count(office_ids)
