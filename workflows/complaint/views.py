"""Complaint screens for the office. A task view: validate the form → call one service → execute → redirect."""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from viewflow.workflow.models import Task

from permissions import access
from registry.models import Factory
from workflows import audit
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
            .order_by("created")
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


class PhotoFileView(View):
    """Photos are served through the complaint's access check, never as public media URLs."""

    def get(self, request, pk):
        photo = get_object_or_404(ComplaintPhoto, pk=pk)
        if not access.visible(request.user, Complaint.objects.filter(pk=photo.complaint_id)).exists():
            raise Http404
        try:
            handle = photo.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(handle, content_type=photo.content_type)
