"""The bell in the page header (the unread count, one query, read once per request) and the overdue
tasks escalated to the person, shown at the top of every process's inbox (inspection, complaints,
budget, planning: `{% open_escalations "budget" %}`), each linking to its case or project, with what the
reader may do there: mark it seen (it stays listed until its step is done) and, where the process hands
the step over by hand and the reader may, hand it to someone else (workflows.notify.hand_over_of)."""

from functools import cache

from django import template
from django.db.models import F
from django.utils import timezone
from viewflow.workflow.status import STATUS

from workflows.due import CLOCK
from workflows.models import NoticeKind, Notification
from workflows.notify import hand_over_of

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
    process when left out) escalated to the person and still open and overdue, those not yet seen
    first, newest first: one query, one row more than shown telling whether there are more, and for
    each shown whether the reader may hand its step over (a few statements each, ESCALATIONS_SHOWN)."""
    user = context["request"].user
    notices = (
        Notification.objects.of(user)
        .filter(kind=NoticeKind.ESCALATED, task__status__in=OPEN, task__scheduled__lt=timezone.now())
        .exclude(task__data__has_key=CLOCK)
    )  # still overdue: not since its due date moved on or its clock stopped
    if app:
        notices = notices.filter(task__process__flow_class__in=flows_of(app))
    unseen_first = F("read_at").asc(nulls_first=True)
    notices = notices.select_related("task__process", "task__owner").order_by(unseen_first, "-created_at", "-pk")
    notices = list(notices[: ESCALATIONS_SHOWN + 1])
    for notice in notices[:ESCALATIONS_SHOWN]:
        notice.hand_over = hand_over_of(user, notice.task)
    return {
        "notices": notices[:ESCALATIONS_SHOWN],
        "more": len(notices) > ESCALATIONS_SHOWN,
        "kind": NoticeKind.ESCALATED,
        "request": context["request"],
    }
