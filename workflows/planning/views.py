"""Planning screens. A task view: validate the form → call one service → execute → redirect; the
other screens read through selectors and write through services, asking permissions.access."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from org.errors import DomainError
from org.models import Unit, UnitKind
from permissions import access
from registry.models import Factory
from workflows import audit
from workflows.views import FlowTaskView

from . import forms, selectors, services
from .models import InspectionPlan, OfficeCapacity, PlanItem, RiskScore

PAGE = 25


def _plan_context(plan: InspectionPlan, user) -> dict:
    items = selectors.plan_items(plan)
    return {
        "plan": plan,
        "items": items,
        "progress": selectors.progress(items),
        "reviews": list(plan.reviews.select_related("decided_by")),
        "can_edit": plan.is_draft and services.may_plan(user, plan.office),
        "add_form": forms.AddFactoryForm(),
    }


def _change_offices(user):
    return access.visible(user, Unit.objects.filter(kind=UnitKind.OFFICE), office_field="pk", action="change")


class TaskView(FlowTaskView):
    """Base of the plan's tasks: the plan and its factories, the task's form beside them."""

    template_name = "planning/task.html"

    def load(self, process):
        self.plan = process.case

    def case_context(self):
        return _plan_context(self.plan, self.request.user)

    def get_success_url(self):
        return reverse("planning:plan", args=[self.plan.pk])


class PrepareView(TaskView):
    form_class = forms.SubmitForm
    title = gettext_lazy("Prepare and submit the plan")
    submit_label = gettext_lazy("Submit for approval")

    def perform(self, form):
        services.plan_submit(plan=self.plan, by=self.request.user, note=form.cleaned_data["note"])


class ApproveView(TaskView):
    form_class = forms.DecisionForm
    title = gettext_lazy("Approve the plan")

    def perform(self, form):
        services.plan_decide(plan=self.plan, by=self.request.user, decision=form.cleaned_data["decision"],
                             comments=form.cleaned_data["comments"])  # fmt: skip


class PlanListView(TemplateView):
    """The plans of the offices the person may see, with progress; generating for their own office."""

    template_name = "planning/list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        plans = selectors.plans_with_progress(user).order_by("-fiscal_year", "-quarter", "office__name_th", "pk")
        page = Paginator(plans, PAGE).get_page(self.request.GET.get("page"))
        offices = _change_offices(user)
        year, quarter = selectors.quarter_after(selectors.today())
        rows = OfficeCapacity.objects.filter(office__in=offices)
        capacities = {row.office_id: row.cases_per_inspector for row in rows}
        own = [(office, capacities.get(office.pk, selectors.DEFAULT_CAPACITY)) for office in offices]
        return super().get_context_data(
            page=page,
            generate_form=forms.GenerateForm(offices=offices, initial={"fiscal_year": year, "quarter": quarter}),
            capacity_form=forms.CapacityForm(
                offices=offices, initial={"cases_per_inspector": own[0][1] if own else None}
            ),
            own_offices=own,
            **kwargs,
        )


class GenerateView(View):
    def post(self, request):
        form = forms.GenerateForm(request.POST, offices=_change_offices(request.user))
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
            return redirect("planning:list")
        data = form.cleaned_data
        try:
            plan = services.plan_generate(
                office=data["office"], fiscal_year=data["fiscal_year"], quarter=data["quarter"], by=request.user
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("planning:list")
        messages.success(request, _("Plan generated: %(n)s factories.") % {"n": plan.items.count()})
        return redirect("planning:plan", pk=plan.pk)


class CapacityView(View):
    def post(self, request):
        form = forms.CapacityForm(request.POST, offices=_change_offices(request.user))
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
            return redirect("planning:list")
        try:
            services.capacity_set(office=form.cleaned_data["office"], by=request.user,
                                  cases_per_inspector=form.cleaned_data["cases_per_inspector"])  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Capacity saved."))
        return redirect("planning:list")


def _visible_plan(user, pk) -> InspectionPlan:
    return get_object_or_404(
        access.visible(user, InspectionPlan.objects.select_related("office", "created_by", "approved_by")), pk=pk
    )


class PlanDetailView(TemplateView):
    template_name = "planning/plan.html"

    def get_context_data(self, **kwargs):
        plan = _visible_plan(self.request.user, self.kwargs["pk"])
        return super().get_context_data(
            **_plan_context(plan, self.request.user),
            timeline=audit.timeline(plan),
            open_tasks=selectors.open_tasks(plan, self.request.user),
            **kwargs,
        )


def _back(request, plan):
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else plan.get_absolute_url())


class ItemAddView(View):
    def post(self, request, pk):
        plan = _visible_plan(request.user, pk)
        form = forms.AddFactoryForm(request.POST)
        if form.is_valid():
            reg_no = form.cleaned_data["reg_no"].replace("-", "").replace(" ", "")
            factory = Factory.objects.filter(office_id=plan.office_id, reg_no=reg_no).first()
            try:
                if factory is None:
                    messages.error(request, _("No factory of this office has that registration number."))
                else:
                    services.plan_item_add(plan=plan, factory=factory, by=request.user)
                    messages.success(request, _("Added %(factory)s.") % {"factory": factory.name})
            except DomainError as exc:
                messages.error(request, exc.message)
        return _back(request, plan)


class ItemRemoveView(View):
    def post(self, request, pk, item_pk):
        plan = _visible_plan(request.user, pk)
        item = get_object_or_404(PlanItem.objects.select_related("factory"), pk=item_pk, plan=plan)
        try:
            services.plan_item_remove(plan=plan, item=item, by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Removed %(factory)s.") % {"factory": item.factory.name})
        return _back(request, plan)


class RiskListView(TemplateView):
    """The factories the person may see, highest risk score first."""

    template_name = "planning/risk_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        office = self.request.GET.get("office", "")
        factories = selectors.factories_by_risk(user, office_id=int(office) if office.isdigit() else None)
        page = Paginator(factories, PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            page=page, office=office, offices=access.visible_offices(user).only("pk", "name_th", "name_en"), **kwargs
        )


class RiskWhyView(TemplateView):
    """ "Why is this factory 82?": each component's raw input, points and maximum."""

    template_name = "planning/risk_why.html"

    def get_context_data(self, **kwargs):
        factory = get_object_or_404(
            access.visible(self.request.user, Factory.objects.select_related("office", "province")),
            pk=self.kwargs["factory_pk"],
        )
        score = RiskScore.objects.filter(factory=factory).first()
        return super().get_context_data(
            factory=factory, score=score, lines=selectors.explain(score) if score else [], **kwargs
        )
