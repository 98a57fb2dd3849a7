"""Complaint screens for the office. A task view: validate the form → call one service → execute → redirect."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from viewflow.workflow.models import Task

from org.models import Person
from permissions import access
from registry.models import Factory
from workflows import audit, nodes
from workflows.uploads import served
from workflows.views import FlowTaskView

from . import forms, selectors, services
from .errors import ComplaintError
from .models import Complaint, ComplaintPhoto, ComplaintStatus

PAGE = 25


class TaskView(FlowTaskView):
    """Base of every complaint task: the complaint on the left, the task's form on the right."""

    template_name = "complaint/task.html"
    form_class = forms.AnswerForm
    done_url = "complaints:list"

    def load(self, process):
        self.complaint = process.complaint

    def case_context(self):
        return {"complaint": self.complaint, "photos": list(self.complaint.photos.all())}


class TriageView(TaskView):
    form_class = forms.TriageForm
    title = gettext_lazy("Triage the complaint")

    def get_initial(self):
        return {"factory_reg_no": self.complaint.factory.reg_no if self.complaint.factory_id else ""}

    def perform(self, form):
        data = form.cleaned_data
        factory = None
        reg_no = data["factory_reg_no"].strip()
        if data["decision"] == "accept" and reg_no:
            factory = Factory.objects.filter(office_id=self.complaint.office_id, reg_no=reg_no).first()
            if factory is None:
                raise ComplaintError(
                    _("No factory of this office has that registration number."), field="factory_reg_no"
                )
        services.complaint_triage(
            complaint=self.complaint, by=self.request.user, accept=data["decision"] == "accept",
            reason=data["reason"], factory=factory,
        )  # fmt: skip


class AnswerView(TaskView):
    title = gettext_lazy("Answer the complainant")

    def get_initial(self):
        return {"answer": services.suggested_answer(self.complaint)}

    def get_context_data(self, **kwargs):
        inspection = self.complaint.inspection
        waiting = inspection is not None and inspection.closed_at is None
        return super().get_context_data(waiting_for=inspection if waiting else None, **kwargs)

    def perform(self, form):
        services.complaint_answer(complaint=self.complaint, by=self.request.user, answer=form.cleaned_data["answer"])


class AnswerRejectionView(AnswerView):
    title = gettext_lazy("Tell the complainant why")


class ComplaintListView(TemplateView):
    """The complaints of the offices the person may see, newest first, and their own open tasks."""

    template_name = "complaint/list.html"

    def get_context_data(self, **kwargs):
        from .flows import ComplaintFlow

        user = self.request.user
        complaints = access.visible(user, Complaint.objects.select_related("province", "district", "factory"))
        status = self.request.GET.get("status", "")
        if status:
            complaints = complaints.filter(status=status)
        page = Paginator(complaints.order_by("-created_at", "-pk"), PAGE).get_page(self.request.GET.get("page"))
        my_tasks = (
            Task.objects.filter(owner=user, status__in=selectors.OPEN, process__flow_class=ComplaintFlow)
            .select_related("process__complaintprocess__complaint")
            .order_by(F("scheduled").asc(nulls_last=True), "pk")  # soonest due first, none last
        )  # fmt: skip
        return super().get_context_data(
            page=page, my_tasks=list(my_tasks[:PAGE]), status=status, statuses=ComplaintStatus.choices, **kwargs
        )


class ComplaintDetailView(TemplateView):
    template_name = "complaint/detail.html"

    def get_context_data(self, **kwargs):
        complaint = get_object_or_404(
            access.visible(
                self.request.user,
                Complaint.objects.select_related("province", "district", "factory", "office", "inspection"),
            ),
            pk=self.kwargs["pk"],
        )
        return super().get_context_data(
            complaint=complaint,
            photos=list(complaint.photos.all()),
            timeline=audit.timeline(complaint),
            open_tasks=selectors.open_tasks(complaint, self.request.user),
            **kwargs,
        )


class ReassignView(TemplateView):
    """Hand one of a complaint's open steps to another group head of its office (the service decides
    who may hand over and who may receive); a refusal is shown on this page with its reason."""

    template_name = "complaint/reassign.html"

    def dispatch(self, request, *args, **kwargs):
        from .flows import ComplaintFlow

        self.task = get_object_or_404(Task.objects.select_related("process", "owner"), pk=kwargs["task_pk"])
        node = self.task.flow_task
        if node is None or node.flow_class is not ComplaintFlow or not isinstance(node, nodes.View):
            raise Http404("Not a step of a complaint.")
        complaints = access.visible(request.user, Complaint.objects.select_related("province", "district", "office"))
        self.complaint = get_object_or_404(complaints, pk=self.task.process.coerced.complaint_id)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        may = selectors.may_hand_over(self.request.user, self.task)
        return super().get_context_data(
            complaint=self.complaint, task=self.task, may_hand_over=may,
            candidates=selectors.hand_over_candidates(self.task) if may else [], **kwargs,
        )  # fmt: skip

    def get(self, request, *args, **kwargs):
        context = self.get_context_data()
        if context["may_hand_over"]:
            return self.render_to_response(context)
        return self.refused(PermissionDenied(_("Only a group head of the complaint's office hands its steps over.")))

    def post(self, request, *args, **kwargs):
        from .flows import ComplaintFlow

        raw = str(request.POST.get("to", ""))
        to = Person.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
        try:
            with ComplaintFlow.lock(self.task.process_id):
                self.task.refresh_from_db()
                services.complaint_task_reassign(task=self.task, to=to, by=request.user)
        except (PermissionDenied, ComplaintError) as exc:
            return self.refused(exc)
        messages.success(request, _("Reassigned to %(person)s.") % {"person": to.display_name})
        return redirect("complaints:detail", pk=self.complaint.pk)

    def refused(self, exc):
        """The page again with why not: 403 when this person may not hand the step over, 400 otherwise."""
        denied = isinstance(exc, PermissionDenied)
        message = (str(exc) if denied else exc.message) or _("not allowed")
        context = self.get_context_data(error=message)
        return self.render_to_response(context, status=403 if denied else 400)


class PhotoFileView(View):
    """Photos are served through the complaint's access check, never as public media URLs."""

    def get(self, request, pk):
        photo = get_object_or_404(ComplaintPhoto, pk=pk)
        if not access.visible(request.user, Complaint.objects.filter(pk=photo.complaint_id)).exists():
            raise Http404
        return served(photo.file, photo.content_type)
