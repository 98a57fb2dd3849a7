"""Inspection screens. A task view: validate the form → call one service → execute → redirect."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from org.errors import DomainError
from permissions import access
from registry.models import Factory
from workflows import audit
from workflows.views import FlowTaskView

from . import crosscheck, delivery, forms, selectors, services
from .models import AnswerType, Inspection


class TaskView(FlowTaskView):
    """Base of every inspection task: the case on the left, the task's form on the right."""

    template_name = "inspection/task.html"
    done_url = "inspection:inbox"

    def load(self, process):
        self.inspection = process.case

    def case_context(self):
        return selectors.case_context(self.inspection)


class AssignView(TaskView):
    form_class = forms.AssignForm
    title = gettext_lazy("Assign an inspector")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "inspectors": services.office_inspectors(self.inspection.office)}

    def get_initial(self):
        suggested = services.suggested_inspector(self.inspection.office)
        return {"inspector": suggested.pk if suggested else None}

    def perform(self, form):
        services.inspection_assign(
            inspection=self.inspection, inspector=form.cleaned_data["inspector"], by=self.request.user
        )


class InspectView(TaskView):
    form_class = forms.ChecklistForm
    template_name = "inspection/inspect.html"
    title = gettext_lazy("Inspect the factory")
    submit_label = gettext_lazy("Submit for review")

    def get_form_kwargs(self):
        items = list(services._items(self.inspection))
        answers = {a.item_id: a for a in self.inspection.answers.all()}
        return {**super().get_form_kwargs(), "items": items, "answers": answers}

    def get_initial(self):
        return {"findings": self.inspection.findings, "inspected_on": self.inspection.inspected_on}

    gaps: tuple[list[str], list[str]] = ([], [])  # after a refused submit: items unanswered, photos missing

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        items = [item for _section, rows in context["sections"] for item, _answer, _photos in rows]
        reported = crosscheck.latest_reported(self.inspection.factory, items)
        missing, no_photo = self.gaps
        context["checklist"] = [
            (section, [self.card(form, item, answer, photos, reported.get(item.pk), missing, no_photo)
                       for item, answer, photos in rows])
            for section, rows in context["sections"]
        ]  # fmt: skip
        context["total"] = len(items)
        context["answered"] = sum(card["done"] for _section, cards in context["checklist"] for card in cards)
        context["gap_codes"] = [item.code for item in items if item.code in missing or item.code in no_photo]
        return context

    @staticmethod
    def card(form, item, answer, photos, reported, missing, no_photo) -> dict:
        """One checklist item as the page shows it: its fields, what the factory reported, its state."""
        field = f"item_{item.pk}"
        needs_photo = item.photo_required or item.answer_type == AnswerType.PHOTO
        answered = item.answer_type == AnswerType.PHOTO or bool(answer and (answer.value or answer.number is not None))
        return {
            "item": item,
            "answer": answer,
            "photos": photos,
            "field": form[field] if field in form.fields else None,
            "note": form[f"note_{item.pk}"],
            "photo": form[f"photo_{item.pk}"],
            "caption": form[f"caption_{item.pk}"],
            "reported": reported,
            "unanswered": item.code in missing,
            "no_photo": item.code in no_photo,
            "done": answered and (bool(photos) or not needs_photo),
            "failing": bool(answer and answer.compliant is False),
            "fail_answers": item.noncompliant_answers or (["no"] if item.answer_type == AnswerType.YES_NO else []),
        }

    def form_valid(self, form):
        user, inspection = self.request.user, self.inspection
        if "save_draft" not in self.request.POST:  # a refused submit changes nothing: no answer, no audit entry
            refused = services.submit_refusal(inspection, form.answers(), frozenset(p[0] for p in form.photos()))
            if refused:
                form.add_error(None, refused[0])
                self.gaps = refused[1]  # the cards to mark; what was typed is shown again by the form
                return self.form_invalid(form)
        try:
            services.answers_save(
                inspection=inspection,
                by=user,
                answers=form.answers(),
                findings=form.cleaned_data["findings"],
                inspected_on=form.cleaned_data["inspected_on"],
            )
            for item_id, upload, caption, stamp in form.photos():
                services.evidence_add(
                    inspection=inspection, by=user, upload=upload, item_id=item_id, caption=caption, stamp=stamp
                )
            for role, image, name, title in form.signatures():
                services.signature_add(inspection=inspection, by=user, image=image, role=role, name=name, title=title)
            if "save_draft" in self.request.POST:
                messages.info(self.request, _("Draft saved. You can come back to it from your inbox."))
                return redirect(self.request.get_full_path())
            services.inspection_submit(inspection=inspection, by=user)
        except DomainError as exc:  # answers saved so far are kept as the draft; nothing is lost
            form.add_error(None, exc.message)
            self.gaps = services.checklist_gaps(inspection)  # the cards to mark
            return self.form_invalid(form)
        self.activation.execute()
        messages.success(self.request, _("Sent to the group head for review."))
        return redirect("inspection:inbox")


class ReviewView(TaskView):
    form_class = forms.ReviewForm
    title = gettext_lazy("Review the report")

    def perform(self, form):
        services.review_decide(
            inspection=self.inspection,
            by=self.request.user,
            decision=form.cleaned_data["decision"],
            comments=form.cleaned_data["comments"],
        )


class SignOffView(TaskView):
    form_class = forms.SignOffForm
    title = gettext_lazy("Sign off the report")

    def perform(self, form):
        services.inspection_sign_off(inspection=self.inspection, by=self.request.user)


class DraftOrderView(TaskView):
    form_class = forms.OrderForm
    title = gettext_lazy("Draft the corrective order")

    def perform(self, form):
        data = form.cleaned_data
        services.order_draft(
            inspection=self.inspection,
            by=self.request.user,
            kind=data["kind"],
            requirement=data["requirement"],
            period_days=data["period_days"],
        )


class ApproveOrderView(TaskView):
    form_class = forms.ApproveForm
    title = gettext_lazy("Approve the order")

    def perform(self, form):
        order = services.current_order(self.inspection)
        services.order_decide(
            order=order,
            by=self.request.user,
            approve=form.cleaned_data["approve"],
            comments=form.cleaned_data["comments"],
        )


class FollowUpView(TaskView):
    form_class = forms.FollowUpForm
    title = gettext_lazy("Follow-up inspection")

    def perform(self, form):
        services.follow_up_record(
            inspection=self.inspection,
            by=self.request.user,
            complied=form.cleaned_data["complied"],
            note=form.cleaned_data["note"],
        )


class StartView(FormView):
    """A group head opens a case for a factory of the office; the flow starts at once."""

    form_class = forms.StartForm
    template_name = "inspection/start.html"

    def dispatch(self, request, *args, **kwargs):
        if not access.can_anywhere(request.user, "change"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        factories = access.visible(self.request.user, Factory.objects.all(), action="work")
        return {**super().get_form_kwargs(), "factories": factories}

    def get_initial(self):
        return {"factory": self.request.GET.get("factory")}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            inspection = services.inspection_start(
                factory=data["factory"], by=self.request.user, reason=data["reason"], planned_on=data["planned_on"]
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Case %(ref)s opened.") % {"ref": inspection.ref_no})
        return redirect(inspection.get_absolute_url())


class CaseView(TemplateView):
    template_name = "inspection/case.html"

    def get_context_data(self, **kwargs):
        inspection = get_object_or_404(
            access.visible(self.request.user, Inspection.objects.select_related("factory", "office", "inspector")),
            pk=self.kwargs["pk"],
        )
        context = super().get_context_data(**kwargs)
        context.update(selectors.case_context(inspection))
        context["timeline"] = audit.timeline(inspection)
        context["open_tasks"] = selectors.open_tasks(inspection, self.request.user)
        context["chart"] = selectors.case_chart(inspection)
        context["can_reassign"] = access.can(self.request.user, "change", inspection)
        context["inspectors"] = services.office_inspectors(inspection.office) if context["can_reassign"] else []
        context["device_copies"] = inspection.device_copies.select_related("author")  # offline copies not sent
        return context


class DeliveryView(FormView):
    """The office records how and when an issued order reached the factory (POST from the case page)."""

    form_class = forms.DeliveryForm
    template_name = "inspection/delivery.html"
    http_method_names = ["get", "post"]

    def dispatch(self, request, *args, **kwargs):
        cases = access.visible(request.user, Inspection.objects.select_related("factory", "office"), action="work")
        self.inspection = get_object_or_404(cases, pk=kwargs["pk"])
        self.order = get_object_or_404(self.inspection.orders.select_related("delivery"), pk=kwargs["order_pk"])
        self.order.inspection = self.inspection
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        recorded = getattr(self.order, "delivery", None)
        if recorded is None:
            return {}
        return {name: getattr(recorded, name) for name in self.form_class.base_fields}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "inspection": self.inspection, "order": self.order}

    def form_valid(self, form):
        try:
            delivery.order_delivery_record(order=self.order, by=self.request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Delivery of the order recorded."))
        return redirect(self.inspection.get_absolute_url())


def task_url(task) -> str:
    return reverse(f"inspection:flow:{task.flow_task.name}:execute", args=[task.process_id, task.pk])
