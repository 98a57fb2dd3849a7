"""A process's inbox rows as the inspection inbox shows them (workflows.inspection.lists), for the
complaint and budget lists of "my tasks": `{% with_badges my_tasks as tasks %}` gives each task its
`badge` (overdue, due soon: workflows.sla.badge) and `returned` (the same step was done before in the
case: it came back with comments), one query for all the rows."""

from django import template
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from workflows import sla

register = template.Library()


@register.simple_tag
def with_badges(tasks) -> list:
    tasks = list(tasks)
    if not tasks:
        return tasks
    done = Task.objects.filter(
        process_id__in={task.process_id for task in tasks},
        flow_task__in={task.flow_task for task in tasks},
        status=STATUS.DONE,
    ).values_list("process_id", "flow_task", "pk")
    first_done = {}
    for process_id, node, pk in done:
        key = (process_id, str(node))
        first_done[key] = min(pk, first_done.get(key, pk))
    now = timezone.now()
    for task in tasks:
        task.badge = sla.badge(sla.due_of(task), now)
        task.returned = first_done.get((task.process_id, str(task.flow_task)), task.pk) < task.pk
    return tasks
