"""The bell in the page header (the unread count, one query, read once per request) and the overdue
tasks escalated to the person, shown in their inbox."""

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


@register.inclusion_tag("workflows/notifications/_escalations.html", takes_context=True)
def open_escalations(context) -> dict:
    """The overdue tasks escalated to the person that are still open, newest first (one query; one row
    more than shown tells whether there are more)."""
    user = context["request"].user
    notices = list(
        Notification.objects.of(user)
        .filter(kind=NoticeKind.ESCALATED, task__status__in=OPEN)
        .select_related("task")
        .order_by("-created_at", "-pk")[: ESCALATIONS_SHOWN + 1]
    )
    return {
        "notices": notices[:ESCALATIONS_SHOWN],
        "more": len(notices) > ESCALATIONS_SHOWN,
        "kind": NoticeKind.ESCALATED,
        "request": context["request"],
    }
