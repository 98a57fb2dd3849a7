"""The bell in the page header (the unread count, one query, read once per request) and the overdue
tasks escalated to the person, shown at the top of every process's inbox (inspection, complaints,
budget, planning: `{% open_escalations "budget" %}`), each linking to its case or project."""

from functools import cache

from django import template
from viewflow.workflow.status import STATUS

from workflows.models import NoticeKind, Notification

register = template.Library()
OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
ESCALATIONS_SHOWN = 3  # the inbox shows a few; the list has them all


@register.simple_tag(takes_context=True)
def unread_notices(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    if not hasattr(request, "_kamkap_unread"):
        request._kamkap_unread = Notification.objects.of(user).unread().count()
    return request._kamkap_unread


@cache
def flows_of(app: str) -> tuple:
    """The flows of one process application (`workflows.<app>`): the budget's four, the others' one."""
    from workflows.flows import every_flow

    flows = tuple(flow for flow in every_flow() if flow.__module__.startswith(f"workflows.{app}."))
    if not flows:
        raise template.TemplateSyntaxError(f"no flow in workflows.{app}")
    return flows


@register.inclusion_tag("workflows/notifications/_escalations.html", takes_context=True)
def open_escalations(context, app: str = "") -> dict:
    """The overdue tasks of the inbox's process (`app`: inspection, complaint, budget, planning; every
    process when left out) escalated to the person and still open, newest first: one query, one row
    more than shown telling whether there are more."""
    user = context["request"].user
    notices = Notification.objects.of(user).filter(kind=NoticeKind.ESCALATED, task__status__in=OPEN)
    if app:
        notices = notices.filter(task__process__flow_class__in=flows_of(app))
    notices = list(notices.select_related("task").order_by("-created_at", "-pk")[: ESCALATIONS_SHOWN + 1])
    return {
        "notices": notices[:ESCALATIONS_SHOWN],
        "more": len(notices) > ESCALATIONS_SHOWN,
        "kind": NoticeKind.ESCALATED,
        "request": context["request"],
    }
