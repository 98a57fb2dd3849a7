from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

LOCKED = "task-locked"
ALREADY_DONE = "task-done"


def flow_lock_message(get_response):
    """Two people acting on one task at once: the loser gets a clear message, never a 500.
    - the flow lock was held (FlowLockFailed): "someone else is acting on this task, try again";
    - the task was completed meanwhile (Viewflow answers 403): "already completed by …"."""

    def middleware(request):
        return get_response(request)

    def process_exception(request, exception):
        if isinstance(exception, FlowLockFailed):
            messages.warning(
                request, _("Someone else is acting on this task right now. Please try again."), extra_tags=LOCKED
            )
            return redirect(request.get_full_path())
        match = request.resolver_match
        task_pk = match.kwargs.get("task_pk") if match else None
        if isinstance(exception, PermissionDenied) and task_pk and request.user.is_authenticated:
            task = Task.objects.filter(pk=task_pk, status=STATUS.DONE).select_related("owner").first()
            if task is not None and task.owner_id == request.user.pk:
                messages.info(
                    request,
                    _("This task was already completed (%(when)s).") % {"when": task.finished},
                    extra_tags=ALREADY_DONE,
                )
                flow_namespace = match.namespace.rsplit(":", 1)[0]  # e.g. inspection:flow (its index → the app's list)
                return redirect(f"{flow_namespace}:index")
        return None

    middleware.process_exception = process_exception
    return middleware
