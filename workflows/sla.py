"""Due dates for tasks from the SLA rules (stamped when a task is created) and the badge a list shows."""

from datetime import timedelta

from django.utils import timezone
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.models import Task

from .models import SlaRule, TaskDeadline

DEFAULT_DAYS = 7


def stamp(task: Task) -> TaskDeadline:
    rule = SlaRule.objects.filter(flow_task=get_task_ref(task.flow_task)).first()
    days = rule.days if rule else DEFAULT_DAYS
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
