"""Bulk approval of review tasks (each item: done, or why not) and reassignment by a group head."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task

from org.errors import DomainError
from org.models import Person
from workflows import engine
from workflows.models.approvals import RoundDecision

from . import services
from .flows import InspectionFlow

MAX_ITEMS = 100


def approve_review(task: Task, user) -> str:
    """Approve one review task as its owner; returns "" when done, else why not."""
    if task.flow_task is not InspectionFlow.review:  # e.g. a budget report's review: not this page's
        return _("not your review task")
    try:
        with engine.activation(task) as activation:
            if task.owner_id != user.pk or not task.flow_task.may_hold(user, task):
                return _("not your review task")
            activation.start(None)
            services.review_decide(inspection=activation.process.case, by=user, decision=RoundDecision.APPROVE)
            activation.execute()
    except FlowLockFailed:
        return _("someone else is acting on it")
    except TransitionNotAllowed:
        return _("already completed")
    except (DomainError, PermissionDenied) as exc:
        return getattr(exc, "message", "") or _("not allowed")
    return ""


class BulkApproveView(View):
    def post(self, request):
        ids = [int(i) for i in request.POST.getlist("task") if i.isdigit()][:MAX_ITEMS]
        tasks = Task.objects.filter(pk__in=ids).select_related("process")
        results = []
        for task in tasks:
            why = approve_review(task, request.user)
            results.append((task, why))
        if not results:
            messages.warning(request, _("Tick the review tasks to approve first."))
            return redirect("inspection:inbox")
        return render(request, "inspection/bulk_result.html", {"results": results})


class ReassignView(View):
    def post(self, request, task_pk):
        task = get_object_or_404(Task.objects.select_related("process"), pk=task_pk)
        if task.flow_task is None or task.flow_task.flow_class is not InspectionFlow:
            raise Http404("Not a task of an inspection.")  # e.g. a complaint's: not reassigned here
        to = get_object_or_404(Person, pk=request.POST.get("to") if str(request.POST.get("to", "")).isdigit() else 0)
        try:
            with InspectionFlow.lock(task.process_id):
                task.refresh_from_db()
                services.task_reassign(task=task, to=to, by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Reassigned to %(person)s.") % {"person": to.display_name})
        return redirect("inspection:case", pk=task.process.coerced.inspection.pk)
