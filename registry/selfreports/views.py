"""Self-report screens: the operator's factories and reports, filing and amending, a report with its
history, an office's late and missing reports, CSV upload. Access is asked of permissions.operators
(operators) and permissions.access (officers); writes go through the services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from permissions import access, operators

from ..errors import RegistryError
from ..models import Factory
from . import selectors
from .forms import ReportImportForm, SelfReportForm
from .imports import FIXED, OPTIONAL
from .models import ReportImport, ReportKind, SelfReport
from .periods import PeriodError
from .services import report_import_start, selfreport_file

PER_PAGE = 25


class ViewsetView:
    viewset = None


class ReportListView(ViewsetView, TemplateView):
    """Operators: their factories with what is still to file, and their reports. Officers: the reports
    of the factories of their offices."""

    template_name = "registry/selfreports/index.html"

    def get_context_data(self, **kwargs):
        user, today = self.request.user, timezone.localdate()
        if not (operators.is_operator(user) or access.can_anywhere(user, "view")):
            raise PermissionDenied
        reports = selectors.reports_visible(user)
        factory_id = self.request.GET.get("factory", "")
        if factory_id.isdigit():
            reports = reports.filter(factory_id=int(factory_id))
        page = Paginator(reports, PER_PAGE).get_page(self.request.GET.get("page"))
        mine = []
        if operators.is_operator(user):
            kinds = list(ReportKind.objects.filter(active=True))
            for factory in Factory.objects.filter(pk__in=sorted(operators.factory_ids(user))).order_by("name"):
                applicable = [k for k in kinds if k.applies_to(factory)]
                mine.append({"factory": factory, "kinds": applicable, "todo": selectors.outstanding(factory, on=today)})
        return super().get_context_data(
            page=page, reports=page.object_list, mine=mine, today=today,
            can_overdue=access.can_anywhere(user, "view"), can_import=operators.can_file_anywhere(user), **kwargs,
        )  # fmt: skip


class ReportFileView(ViewsetView, FormView):
    """File (or amend) one kind of report for one factory."""

    form_class = SelfReportForm
    template_name = "registry/selfreports/file.html"

    def dispatch(self, request, *args, **kwargs):
        factories = operators.visible_factories(request.user, Factory.objects.all())
        self.factory = get_object_or_404(factories, pk=kwargs["factory_pk"])
        if not operators.can_file(request.user, self.factory):
            raise PermissionDenied
        self.kind = get_object_or_404(ReportKind.objects.prefetch_related("fields"), code=kwargs["kind"], active=True)
        if not self.kind.applies_to(self.factory):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kind": self.kind}

    def get_initial(self):
        """Amending (?amend=<report id>): the form starts from the current values of that period."""
        report_id = self.request.GET.get("amend", "")
        if not report_id.isdigit():
            return {"period": self.request.GET.get("period", "")}
        report = (
            SelfReport.objects.filter(pk=int(report_id), factory=self.factory, kind=self.kind, is_current=True)
            .prefetch_related("values")
            .first()
        )
        if report is None:
            return {}
        return {"period": report.period.code, "amend": True, **{v.key: v.display for v in report.values.all()}}

    def get_context_data(self, **kwargs):
        return super().get_context_data(factory=self.factory, kind=self.kind, **kwargs)

    def form_valid(self, form):
        try:
            report = selfreport_file(
                factory=self.factory, kind=self.kind, period=form.period_value(), values=form.values(),
                by=self.request.user, amend=form.cleaned_data["amend"], note=form.cleaned_data["note"],
            )  # fmt: skip
        except (RegistryError, PeriodError) as exc:
            errors = exc.errors if isinstance(exc, RegistryError) else {"period": str(exc)}
            for field, message in errors.items():
                form.add_error(field if field in form.fields else None, message)
            return self.form_invalid(form)
        messages.success(self.request, _("Report filed: %(report)s") % {"report": report})
        return redirect(report.get_absolute_url())


class ReportDetailView(ViewsetView, TemplateView):
    template_name = "registry/selfreports/detail.html"

    def get_context_data(self, **kwargs):
        reports = operators.visible_reports(
            self.request.user, SelfReport.objects.select_related("factory", "kind", "filed_by")
        )
        report = get_object_or_404(reports, pk=self.kwargs["pk"])
        fields = {f.key: f for f in report.kind.fields.all()}
        values = [(fields.get(v.key), v) for v in report.values.all()]
        history = [
            (rev, [(fields[v.key].label if v.key in fields else v.key, v) for v in rev.values.all()])
            for rev in selectors.revisions(report)
        ]
        return super().get_context_data(
            report=report, values=values, revisions=history,
            can_amend=report.is_current and operators.can_file(self.request.user, report.factory), **kwargs,
        )  # fmt: skip


class OverdueView(ViewsetView, TemplateView):
    """One office's late and missing reports as of today (officers of the office and those above it)."""

    template_name = "registry/selfreports/overdue.html"
    per_page = 50

    def get_context_data(self, **kwargs):
        user = self.request.user
        offices = list(access.visible_offices(user).select_related("province").order_by("name_th"))
        if not offices:
            raise PermissionDenied
        wanted = self.request.GET.get("office", "")
        office = next((o for o in offices if str(o.pk) == wanted), offices[0])
        today = timezone.localdate()
        rows = selectors.overdue_list(access.visible(user, Factory.objects.filter(office=office)), on=today)
        page = Paginator(rows, self.per_page).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            offices=offices, office=office, page=page, rows=page.object_list, today=today,
            late=sum(1 for r in rows if r.status == selectors.LATE),
            missing=sum(1 for r in rows if r.status == selectors.MISSING),
            **kwargs,
        )  # fmt: skip


class ReportImportView(ViewsetView, FormView):
    form_class = ReportImportForm
    template_name = "registry/selfreports/import_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not operators.can_file_anywhere(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kinds = ReportKind.objects.filter(active=True).prefetch_related("fields")
        recent = ReportImport.objects.filter(created_by=self.request.user).select_related("kind")[:10]
        return super().get_context_data(kinds=kinds, fixed=FIXED, optional=OPTIONAL, recent=recent, **kwargs)

    def form_valid(self, form):
        try:
            job = report_import_start(
                by=self.request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
            )
        except RegistryError as exc:
            for message in exc.errors.values():
                form.add_error("file", message)
            return self.form_invalid(form)
        messages.info(self.request, _("File received: %(name)s") % {"name": job.original_name})
        return redirect(job.get_absolute_url())


class ReportImportDetailView(ViewsetView, TemplateView):
    template_name = "registry/selfreports/import_detail.html"

    def get_context_data(self, **kwargs):
        # An import belongs to the person who uploaded it.
        job = get_object_or_404(ReportImport, pk=self.kwargs["pk"], created_by=self.request.user)
        return super().get_context_data(job=job, **kwargs)
