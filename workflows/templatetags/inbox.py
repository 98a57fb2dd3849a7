"""A process's inbox rows as the inspection inbox shows them (workflows.inspection.lists), for the
complaint and budget lists of "my tasks": `{% with_badges my_tasks as tasks %}` gives each task its
`badge` (overdue, due soon: workflows.sla.badge) and `returned` (the same step was done before in the
case: it came back with comments), one query for all the rows. `{% my_open_tasks "planning" as my_tasks %}`
gives a process's inbox without a view of its own (the plans list) the person's open steps of that
process, soonest due first, in one query."""

from django import template
from django.db.models import F
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


MY_TASKS_SHOWN = 25


@register.simple_tag(takes_context=True)
def my_open_tasks(context, app: str) -> list:
    """The reader's open steps of one process (`app`: workflows.<app>), soonest due first (none last),
    each with its process's case and its page to execute: one query, at most MY_TASKS_SHOWN."""
    from workflows.notify import task_link

    from .notifications import OPEN, flows_of

    user = context["request"].user
    tasks = list(
        Task.objects.filter(owner=user, status__in=OPEN, flow_task_type="HUMAN", process__flow_class__in=flows_of(app))
        .select_related("process")
        .order_by(F("scheduled").asc(nulls_last=True), "pk")[:MY_TASKS_SHOWN]
    )
    for task in tasks:
        task.link = task_link(task)
    return tasks
