"""Inbox, queue and archive of our own: a constant number of queries whatever the number of rows,
small pages, filters that do not list every process (VIEWFLOW.md trap 3)."""

from django.core.paginator import Paginator
from django.utils import timezone
from django.views.generic import TemplateView
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from permissions import access

from .flows import InspectionFlow

PAGE = 25


class TaskListView(TemplateView):
    template_name = "inspection/task_list.html"
    kind = "inbox"

    def tasks(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        tasks = self.tasks().filter(process__flow_class=InspectionFlow)
        flow_task = self.request.GET.get("step")
        if flow_task:
            tasks = tasks.filter(flow_task__endswith=f".{flow_task}")
        tasks = tasks.select_related(
            "owner",
            "process__inspectionprocess__inspection__factory",
            "process__inspectionprocess__inspection__office",
        ).order_by("-created", "-pk")
        page = Paginator(tasks, PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(kind=self.kind, page=page, now=timezone.now(), **kwargs)


class InboxView(TaskListView):
    kind = "inbox"

    def tasks(self):
        return Task.objects.filter(owner=self.request.user, status__in=[STATUS.ASSIGNED, STATUS.STARTED])


class QueueView(TaskListView):
    """Unowned tasks of the offices where the person works."""

    kind = "queue"

    def tasks(self):
        unowned = Task.objects.filter(owner__isnull=True, status=STATUS.NEW)
        return access.visible(
            self.request.user, unowned, office_field="process__inspectionprocess__inspection__office", action="work"
        )


class ArchiveView(TaskListView):
    kind = "archive"

    def tasks(self):
        return Task.objects.filter(owner=self.request.user, status=STATUS.DONE)
