"""Due dates for tasks from the SLA rules (stamped when a task is created) and the badge a list shows."""

from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.models import Task

from .models import SlaRule, TaskDeadline

DEFAULT_DAYS = 7


def days_for(flow_task) -> int:
    """Days allowed for a node, cached for a minute (SlaRule.save clears it)."""
    key = SlaRule.cache_key(get_task_ref(flow_task))
    days = cache.get(key)
    if days is None:
        rule = SlaRule.objects.filter(flow_task=get_task_ref(flow_task)).first()
        days = rule.days if rule else DEFAULT_DAYS
        cache.set(key, days, 60)
    return days


def stamp(task: Task) -> TaskDeadline:
    days = days_for(task.flow_task)
    return TaskDeadline.objects.create(task=task, due_at=task.created + timedelta(days=days))


def badge(deadline: TaskDeadline | None, now=None) -> str:
    """ "overdue", "due" (within a day) or ""."""
    if deadline is None:
        return ""
    now = now or timezone.now()
    if deadline.due_at < now:
        return "overdue"
    if deadline.due_at < now + timedelta(days=1):
        return "due"
    return ""


def sweep(now=None) -> tuple[int, int]:
    """The periodic SLA job: remind owners of tasks coming due, and escalate overdue tasks to the
    office's provincial industry officer (once each). Returns (reminded, escalated)."""
    from datetime import timedelta as _td

    from django.conf import settings
    from django.core.mail import send_mail
    from django.utils import translation
    from django.utils.translation import gettext as _

    from org.models import PositionKind

    from .roles import filler_for_office

    now = now or timezone.now()
    open_statuses = ["NEW", "ASSIGNED", "STARTED"]
    deadlines = TaskDeadline.objects.filter(task__status__in=open_statuses).select_related("task__owner")
    reminded = escalated = 0
    with translation.override(settings.LANGUAGE_CODE):
        for deadline in deadlines.filter(reminded_at__isnull=True, due_at__lt=now + _td(days=1), due_at__gte=now):
            owner = deadline.task.owner
            if owner and owner.email:
                send_mail(
                    _("[Kamkap] A task is due soon"),
                    _("Your task is due on %(due)s.") % {"due": deadline.due_at.date()},
                    settings.DEFAULT_FROM_EMAIL,
                    [owner.email],
                )
            deadline.reminded_at = now
            deadline.save(update_fields=["reminded_at"])
            reminded += 1
        for deadline in deadlines.filter(escalated_at__isnull=True, due_at__lt=now):
            process = deadline.task.process.coerced
            office = getattr(getattr(process, "inspection", None), "office", None)
            boss = filler_for_office(PositionKind.PROVINCIAL_OFFICER, office, now.date()) if office else None
            if boss and boss.email:
                send_mail(
                    _("[Kamkap] Overdue task escalated"),
                    _("A task of case %(case)s is overdue since %(due)s.")
                    % {"case": process.inspection.ref_no, "due": deadline.due_at.date()},
                    settings.DEFAULT_FROM_EMAIL,
                    [boss.email],
                )
            deadline.escalated_at = now
            deadline.save(update_fields=["escalated_at"])
            escalated += 1
    return reminded, escalated
