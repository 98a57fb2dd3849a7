"""Reads the API needs that no screen has yet: a person's open tasks and their offices' queue across
every flow, each with the case it is about, in a fixed number of queries whatever the page size."""

from django.db.models import Prefetch, Q, QuerySet
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from permissions import access
from registry.selfreports import selectors as selfreport_selectors
from workflows.inspection.models import CorrectiveOrder, Inspection, InspectionProcess
from workflows.inspection.selectors import OPEN
from workflows.processes import case_links, task_office


def with_cases(tasks: QuerySet) -> QuerySet:
    """Tasks with their owner, their process and each process's case (and what its name reads)
    joined in the same query, whatever the flow."""
    related = ["owner", "process"]
    for model, (accessor, field) in case_links().items():
        related.append(f"process__{accessor}__{field}")
        related += [f"process__{accessor}__{field}__{path}" for path in model.case_related]
    return tasks.select_related(*related)


def my_open_tasks(user) -> QuerySet:
    """The tasks assigned to `user` and not done, whatever the flow, due first, with their cases."""
    mine = Task.objects.filter(owner=user, status=STATUS.ASSIGNED, flow_task_type="HUMAN")
    return with_cases(mine).order_by("scheduled", "pk")


def queue(user) -> QuerySet:
    """The unowned tasks of the offices where `user` works, whatever the flow, due first — the
    inspection queue page's rule (permissions.access, "work") for every flow. Whether the person may
    take one is the step's duty, asked when they claim it."""
    unowned = Task.objects.filter(owner__isnull=True, status=STATUS.NEW, flow_task_type="HUMAN")
    unowned = access.visible(
        user, unowned.annotate(case_office=task_office()), office_field="case_office", action="work"
    )
    return with_cases(unowned).order_by("scheduled", "pk")


def visible_tasks(user) -> QuerySet:
    """Human tasks, open or not, that `user` holds or whose case's office they may see."""
    human = Task.objects.filter(flow_task_type="HUMAN")
    seen = access.visible(user, human.annotate(case_office=task_office()), office_field="case_office")
    return with_cases(human.filter(Q(owner=user) | Q(pk__in=seen.values("pk"))))


def case_of(task: Task):
    """The case a task is about (joined by my_open_tasks), or None."""
    process_class = task.process.flow_class.process_class if task.process.flow_class else None
    link = case_links().get(process_class)
    if link is None:
        return None
    accessor, field = link
    process = getattr(task.process, accessor, None)
    return getattr(process, field, None) if process is not None else None


def visible_cases(user) -> QuerySet:
    """Inspection cases the user may see, with their factory, office, orders and open tasks (owner and
    due date) read in a fixed number of queries."""
    open_tasks = Task.objects.filter(status__in=OPEN).select_related("owner").order_by("scheduled", "pk")
    processes = InspectionProcess.objects.prefetch_related(Prefetch("task_set", open_tasks, to_attr="open_tasks"))
    return access.visible(
        user,
        Inspection.objects.select_related("factory", "office", "inspector").prefetch_related(
            Prefetch("processes", processes),
            Prefetch("orders", CorrectiveOrder.objects.order_by("-drafted_at", "-pk")),
        ),
    ).order_by("-created_at", "-pk")


def visible_reports(user) -> QuerySet:
    """Current self-reports the user may see (their factories', or their offices'), with their figures."""
    return (
        selfreport_selectors.reports_visible(user)
        .prefetch_related("values")
        .order_by("-period_start", "kind__order", "factory__name", "pk")
    )
