"""The holder of an inspect or follow-up step stops its clock while the case waits on the factory and
resumes it when the factory answers (workflows.due), from the case page's next-action panel."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from viewflow.workflow.models import Task

from permissions import access
from workflows import due


class ClockView(View):
    http_method_names = ["post"]

    def post(self, request, task_pk: int):
        task = get_object_or_404(
            Task.objects.select_related("process"), pk=task_pk, process__inspectionprocess__isnull=False
        )
        inspection = task.process.coerced.case
        if not access.can(request.user, "view", inspection):
            raise Http404
        if task.owner_id != request.user.pk or task.flow_task.name not in due.WAITS_ON_FACTORY:
            raise PermissionDenied
        try:
            if request.POST.get("clock") == "resume":
                due.resume_clock(task=task, by=request.user)
                messages.success(request, _("Clock resumed: the due date moved on by the days it stood still."))
            else:
                due.stop_clock(task=task, by=request.user, reason=request.POST.get("reason", ""))
                messages.success(request, _("Clock stopped while the case waits on the factory."))
        except due.ClockError as exc:
            messages.error(request, exc.message)
        return redirect(inspection.get_absolute_url())
