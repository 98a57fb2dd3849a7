"""Reads for the home page: a person's tasks, positions and scope."""

from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from org.calendar import fiscal_year
from org.selectors import roles_of
from permissions import access
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
        "national": access.ACTIONS["view"] in scope.national,
        "offices": list(access.visible_offices(user).select_related("province")),
        "factory_count": access.visible(user, Factory.objects.all()).count(),
    }
