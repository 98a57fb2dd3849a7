"""Budget follow-up screens. A task view: validate the form → call one service → execute → redirect.
Every page reads through the selectors, narrowed by permissions.access."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from org.calendar import fiscal_year
from org.errors import DomainError
from org.models import Person, Position, Unit, UnitKind
from permissions import access
from permissions.budget import can_in_office
from workflows import audit
from workflows.views import FlowTaskView

from . import behind, forms, reviews, selectors, services
from .models import Project, ProjectStatus


def _fy(request) -> int:
    try:
        return int(request.GET.get("fy") or fiscal_year(timezone.localdate()))
    except ValueError:
        raise Http404 from None


class TaskView(FlowTaskView):
    """Base of every budget task: the case on the left, the task's form on the right."""

    template_name = "budget/task.html"
    form_class = forms.DecisionForm
    done_url = "budget:list"

    def load(self, process):
        self.case = process.coerced.case

    def project(self) -> Project:
        return self.case if isinstance(self.case, Project) else self.case.project

    def case_context(self):
        project = selectors.with_details(Project.objects.select_related("office", "officer")).get(pk=self.project().pk)
        return {"case": self.case, "project": project, "status": selectors.status_of(project)}


class ApproveProjectView(TaskView):
    title = gettext_lazy("Approve the project")

    def get_context_data(self, **kwargs):
        return super().get_context_data(approvals=list(self.case.approvals.select_related("approver")), **kwargs)

    def perform(self, form):
        services.project_decide(
            project=self.case, by=self.request.user, approve=form.approve, comments=form.cleaned_data["comments"]
        )


class ReviseProjectView(TaskView):
    form_class = forms.ReviseForm
    title = gettext_lazy("Revise the project")

    def get_initial(self):
        return {"title": self.case.title, "objectives": self.case.objectives}

    def perform(self, form):
        services.project_revise(project=self.case, by=self.request.user, **form.cleaned_data)


class FileReportView(TaskView):
    form_class = forms.ReportForm
    title = gettext_lazy("File the progress report")
    submit_label = gettext_lazy("Send to the head of office")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kpis": list(self.case.project.kpis.all())}

    def get_initial(self):
        report = self.case
        initial = {"progress_pct": report.progress_pct, "disbursed": report.disbursed, "problems": report.problems,
                   "needs": report.needs}  # fmt: skip
        initial |= {f"kpi_{row.kpi_id}": row.actual for row in report.kpi_actuals.all()}
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(report=self.case, rounds=list(self.case.rounds.all()), **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        services.report_submit(
            report=self.case, by=self.request.user, progress_pct=data["progress_pct"], disbursed=data["disbursed"],
            kpi_actuals=form.kpi_actuals(), problems=data["problems"], needs=data["needs"],
            files=[data["evidence"]] if data.get("evidence") else [],
        )  # fmt: skip


class ReviewReportView(TaskView):
    title = gettext_lazy("Review the progress report")

    def get_context_data(self, **kwargs):
        report = self.case
        return super().get_context_data(
            report=report, totals=selectors.report_totals(report), rounds=list(report.rounds.all()),
            kpi_actuals=list(report.kpi_actuals.select_related("kpi")), evidence=list(report.evidence.all()),
            **kwargs,
        )  # fmt: skip

    def perform(self, form):
        services.report_review(
            report=self.case, by=self.request.user, approve=form.approve, comments=form.cleaned_data["comments"]
        )


class ReportActionView(TaskView):
    form_class = forms.TextForm
    title = gettext_lazy("Report the action taken")
    template_name = "budget/directive_task.html"

    def project(self):
        return None

    def get_context_data(self, **kwargs):
        return FormView.get_context_data(
            self, title=self.title, submit_label=self.submit_label, task=self.activation.task, directive=self.case,
            history=list(self.case.updates.select_related("by")), **kwargs,
        )  # fmt: skip

    def perform(self, form):
        reviews.directive_report(directive=self.case, by=self.request.user, text=form.cleaned_data["text"])


class CheckActionView(ReportActionView):
    form_class = forms.DecisionForm
    title = gettext_lazy("Check the action taken")

    def perform(self, form):
        reviews.directive_decide(
            directive=self.case, by=self.request.user, accept=form.approve, comments=form.cleaned_data["comments"]
        )


class EscalationView(TaskView):
    form_class = forms.ResponseForm
    title = gettext_lazy("Answer: project behind plan")

    def get_context_data(self, **kwargs):
        return super().get_context_data(escalation=self.case, **kwargs)

    def perform(self, form):
        behind.escalation_respond(escalation=self.case, by=self.request.user, response=form.cleaned_data["response"])


# --- pages ----------------------------------------------------------------------------------------


class ProjectListView(TemplateView):
    """The projects of the offices the person may see in a fiscal year, their tasks and open directives."""

    template_name = "budget/list.html"

    def get_context_data(self, **kwargs):
        user, fy = self.request.user, _fy(self.request)
        if "fy" not in self.request.GET:  # the current year, or the latest year that has projects to show
            years = selectors.visible_projects(user).filter(fiscal_year__lte=fy).order_by("-fiscal_year")
            fy = years.values_list("fiscal_year", flat=True).first() or fy
        projects = selectors.with_details(selectors.visible_projects(user).filter(fiscal_year=fy)).order_by(
            "office__name_th", "code"
        )
        rows = [selectors.status_of(p) for p in projects]
        return super().get_context_data(
            fy=fy, rows=rows, total=selectors.office_summary(rows), my_tasks=selectors.my_tasks(user)[:25],
            directives=list(selectors.open_directives(user=user)[:50]),
            given=list(selectors.open_directives(reviewer=user)[:50]),
            offices=list(access.visible_offices(user).order_by("name_th")),
            can_register=access.can_anywhere(user, "work"), oversees=access.can_anywhere(user, "oversee"),
            **kwargs,
        )  # fmt: skip


class ProjectDetailView(TemplateView):
    template_name = "budget/project.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        project = get_object_or_404(selectors.with_details(selectors.visible_projects(user)), pk=self.kwargs["pk"])
        status = selectors.status_of(project, on=timezone.localdate())
        done = project.status in (ProjectStatus.APPROVED, ProjectStatus.CLOSED)
        tasks = selectors.open_tasks_for(user, process_filter=Q(process__projectprocess__project=project)
                                         | Q(process__progressprocess__report__project=project))  # fmt: skip
        return super().get_context_data(
            project=project, status=status, timeline=audit.timeline(project), kpis=list(project.kpis.all()),
            lines=list(project.lines.all()), tasks=tasks,
            can_close=project.status == ProjectStatus.APPROVED and can_in_office(user, "change", project.office),
            can_carry=done and status.remaining > 0 and not project.carried_to.exists()
            and can_in_office(user, "work", project.office),
            close_form=forms.CloseForm(), carry_form=forms.CarryOverForm(), **kwargs,
        )  # fmt: skip


class ProjectCloseView(FormView):
    form_class = forms.CloseForm
    http_method_names = ["post"]

    def form_valid(self, form):
        project = get_object_or_404(selectors.visible_projects(self.request.user), pk=self.kwargs["pk"])
        try:
            services.project_close(project=project, by=self.request.user, summary=form.cleaned_data["summary"])
        except DomainError as exc:
            messages.error(self.request, exc.message)
        return redirect(project)

    def form_invalid(self, form):
        messages.error(self.request, _("Summarise the project's results."))
        return redirect("budget:project", pk=self.kwargs["pk"])


class CarryOverView(FormView):
    """Money reserved at year end (กันเงินไว้เบิกเหลื่อมปี) becomes a project of the next fiscal year."""

    form_class = forms.CarryOverForm
    http_method_names = ["post"]

    def form_valid(self, form):
        project = get_object_or_404(selectors.visible_projects(self.request.user), pk=self.kwargs["pk"])
        try:
            new = services.carry_over(project=project, by=self.request.user, amount=form.cleaned_data["amount"])
        except DomainError as exc:
            messages.error(self.request, exc.message)
            return redirect(project)
        return redirect(new)

    def form_invalid(self, form):
        messages.error(self.request, _("Enter a number."))
        return redirect("budget:project", pk=self.kwargs["pk"])


class ProjectRegisterView(FormView):
    """An officer registers a project of their office (one budget line, the twelve-month plan)."""

    form_class = forms.ProjectForm
    template_name = "budget/register.html"

    def dispatch(self, request, *args, **kwargs):
        self.office = get_object_or_404(Unit, pk=kwargs["office"], kind=UnitKind.OFFICE)
        if not can_in_office(request.user, "work", self.office):
            raise PermissionDenied
        self.fy = _fy(request)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "fy": self.fy}

    def get_context_data(self, **kwargs):
        data = self.request.POST if self.request.method == "POST" else None
        kwargs.setdefault("lines", forms.LineFormSet(data, prefix="line"))
        kwargs.setdefault("kpis", forms.KpiFormSet(data, prefix="kpi"))
        return super().get_context_data(office=self.office, fy=self.fy, **kwargs)

    def form_valid(self, form):
        lines = forms.LineFormSet(self.request.POST, prefix="line")
        kpis = forms.KpiFormSet(self.request.POST, prefix="kpi")
        if not (lines.is_valid() and kpis.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, lines=lines, kpis=kpis))
        data = form.cleaned_data
        line_rows = [{**row, "description": row["description"] or data["title"]} for row in lines.cleaned_data if row]
        try:
            project = services.project_register(
                office=self.office, by=self.request.user, fiscal_year=self.fy, title=data["title"],
                objectives=data["objectives"], lines=line_rows, kpis=[row for row in kpis.cleaned_data if row],
                plan_rows=form.plan_rows(),
            )  # fmt: skip
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.render_to_response(self.get_context_data(form=form, lines=lines, kpis=kpis))
        messages.success(self.request, _("Project registered and sent for approval."))
        return redirect(project)


class ClusterView(TemplateView):
    """The assistant / deputy PS's consolidated view: every office they oversee, plan vs result."""

    template_name = "budget/cluster.html"

    def get_context_data(self, **kwargs):
        fy = _fy(self.request)
        return super().get_context_data(fy=fy, offices=selectors.consolidated(self.request.user, fy), **kwargs)


class OfficeView(TemplateView):
    """An office's page: its projects, open directives and follow-up reviews."""

    template_name = "budget/office.html"

    def get_context_data(self, **kwargs):
        user, fy = self.request.user, _fy(self.request)
        office = get_object_or_404(access.visible_offices(user), pk=self.kwargs["pk"])
        projects = selectors.with_details(selectors.visible_projects(user).filter(office=office, fiscal_year=fy))
        rows = [selectors.status_of(p) for p in projects]
        return super().get_context_data(
            fy=fy, office=office, rows=rows, total=selectors.office_summary(rows),
            directives=list(selectors.open_directives(user=user, office=office)),
            reviews=list(selectors.visible_reviews(user).filter(office=office)[:20]),
            can_review=can_in_office(user, "oversee", office), **kwargs,
        )  # fmt: skip


class ReviewNewView(FormView):
    form_class = forms.ReviewForm
    template_name = "budget/review_new.html"

    def dispatch(self, request, *args, **kwargs):
        self.office = get_object_or_404(Unit, pk=kwargs["office"], kind=UnitKind.OFFICE)
        if not can_in_office(request.user, "oversee", self.office):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "projects": Project.objects.filter(office=self.office).order_by(
            "-fiscal_year", "code")}  # fmt: skip

    def get_initial(self):
        return {"meeting_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(office=self.office, **kwargs)

    def form_valid(self, form):
        try:
            review = reviews.review_open(office=self.office, by=self.request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        return redirect(review)


def _office_people(office):
    return (
        Person.objects.filter(
            Q(holdings__position__unit=office) | Q(holdings__position__unit__parent=office), holdings__end__isnull=True
        )
        .distinct()
        .order_by("first_name")
    )


class ReviewDetailView(FormView):
    """A follow-up review, its directives and their history; the reviewer adds directives here."""

    form_class = forms.DirectiveForm
    template_name = "budget/review.html"

    def dispatch(self, request, *args, **kwargs):
        self.review = get_object_or_404(selectors.visible_reviews(request.user), pk=kwargs["pk"])
        if request.method == "POST" and self.review.reviewer_id != request.user.pk:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        office = self.review.office
        positions = Position.objects.filter(Q(unit=office) | Q(unit__parent=office)).order_by("title_th")
        return {**super().get_form_kwargs(), "people": _office_people(office), "positions": positions}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **selectors.review_detail(self.review), timeline=audit.timeline(self.review),
            is_reviewer=self.review.reviewer_id == self.request.user.pk,
            tasks=selectors.open_tasks_for(self.request.user, process_filter=Q(
                process__directiveprocess__directive__review=self.review)),
            **kwargs,
        )  # fmt: skip

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            reviews.directive_add(
                review=self.review, by=self.request.user, text=data["text"], due_on=data["due_on"],
                assignee=data["assignee"], position=data["position"],
            )  # fmt: skip
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Directive issued."))
        return redirect(self.review)


class TaskRedirectView(View):
    """Open one of my budget tasks, whichever flow it belongs to."""

    def get(self, request, pk: int):
        task = get_object_or_404(selectors.my_tasks(request.user), pk=pk)
        return redirect(task.reverse("execute"))
