"""Inbox, queue and archive of our own: a constant number of queries whatever the number of rows,
small pages, filters that do not list every process (VIEWFLOW.md trap 3)."""

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.views.generic import TemplateView
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from permissions import access
from project.links import link
from workflows import keyset, sla

from .flows import InspectionFlow

PAGE = 25
OFFICE = "process__inspectionprocess__inspection__office"


def steps() -> list[tuple[str, str]]:
    """(node name, title) of the flow's human tasks, for the step filter."""
    return [
        (node.name, str(getattr(node, "task_title", "") or node.name))
        for node in InspectionFlow.instance.nodes()
        if getattr(node, "task_type", "") == "HUMAN"
    ]


class TaskListView(TemplateView):
    template_name = "inspection/task_list.html"
    kind = "inbox"
    # The same step already done once in this case: the task came back (returned with comments).
    done_before = Task.objects.filter(
        process_id=OuterRef("process_id"), flow_task=OuterRef("flow_task"), status=STATUS.DONE, pk__lt=OuterRef("pk")
    )

    def tasks(self):
        raise NotImplementedError

    def filtered(self, tasks):
        params, now = self.request.GET, timezone.now()
        if params.get("step") in {name for name, _title in steps()}:
            tasks = tasks.filter(flow_task=getattr(InspectionFlow, params["step"]))
        if params.get("office", "").isdigit():
            tasks = tasks.filter(**{f"{OFFICE}_id": int(params["office"])})
        if params.get("due") == "overdue":
            tasks = tasks.filter(scheduled__lt=now)
        elif params.get("due") == "week":
            tasks = tasks.filter(scheduled__lt=now + timezone.timedelta(days=7))
        return tasks

    def get_context_data(self, **kwargs):
        # By the flow's own task names, not its processes: a person's tasks are read from the index
        # (owner, status, due date) in due order, 25 at a time, without reading every process.
        human = [getattr(InspectionFlow, name) for name, _title in steps()]
        tasks = self.filtered(self.tasks().filter(flow_task__in=human))
        inspection = "process__inspectionprocess__inspection"
        tasks = (
            tasks.select_related(f"{inspection}__factory", f"{inspection}__office")
            .only(  # what a row shows: 30 columns fewer to plan, send and load than the whole rows
                *("flow_task", "flow_task_type", "status", "scheduled", "process_id", "owner_id"),
                f"{inspection}__ref_no",
                f"{inspection}__factory__name",
                *(f"{inspection}__office__{name}" for name in ("name_th", "name_en")),
            )
            .order_by("scheduled", "pk")  # the due date (workflows.nodes.View), as indexed
        )
        tasks = tasks.annotate(returned=Exists(self.done_before))
        page = keyset.Seek(tasks, "scheduled", PAGE).page_or_first(self.request.GET.get("cursor"))  # no COUNT
        now = timezone.now()
        for task in page:
            task.badge = sla.badge(sla.due_of(task), now)
            task.case_url = link("inspection:case", task.process.inspectionprocess.inspection.pk)
            if self.kind == "inbox":
                task.execute_url = link(f"inspection:flow:{task.flow_task.name}:execute", task.process_id, task.pk)
        query = self.request.GET.copy()
        query.pop("cursor", None)
        return super().get_context_data(
            kind=self.kind,
            page=page,
            steps=steps(),
            offices=access.office_choices(self.request.user).only("pk", "name_th", "name_en"),
            params=self.request.GET,
            query=query.urlencode(),
            has_reviews=any(task.flow_task.name == "review" for task in page),
            **kwargs,
        )


class InboxView(TaskListView):
    kind = "inbox"

    def tasks(self):
        # A person's task stays ASSIGNED in the database until it is done: "started" lives in memory
        # while its page runs and is saved only with the completion.
        return Task.objects.filter(owner=self.request.user, status=STATUS.ASSIGNED)


class QueueView(TaskListView):
    """Unowned tasks of the offices where the person works."""

    kind = "queue"

    def tasks(self):
        unowned = Task.objects.filter(owner__isnull=True, status=STATUS.NEW)
        return access.visible(self.request.user, unowned, office_field=OFFICE, action="work")


class ArchiveView(TaskListView):
    kind = "archive"

    def tasks(self):
        return Task.objects.filter(owner=self.request.user, status=STATUS.DONE)
