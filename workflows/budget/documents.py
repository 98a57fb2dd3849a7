"""Documents of budget follow-up, served by GET (VIEWFLOW.md trap 8) to whoever may see them:
the progress report of a project and of an office (PDF), the close-out report (PDF), and the
plan-vs-result workbook (Excel). Amounts in a letter carry their Thai text (bahttext)."""

from bahttext import bahttext
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views import View

from org.calendar import fiscal_year
from permissions import access
from workflows.pdf import pdf_response, render_pdf

from . import exports, selectors
from .models import ProjectStatus


def amount_text(amount) -> str:
    return bahttext(float(amount)) if amount is not None else ""


def project_context(project) -> dict:
    status = selectors.status_of(project, on=timezone.localdate())
    return {
        "project": project, "status": status, "lines": list(project.lines.all()), "kpis": list(project.kpis.all()),
        "allocation_text": amount_text(status.allocation), "disbursed_text": amount_text(status.disbursed),
        "reports": [r for r in project.reports.all() if r.problems or r.needs], "today": timezone.localdate(),
    }  # fmt: skip


def _project(user, pk: int):
    return get_object_or_404(selectors.with_details(selectors.visible_projects(user)), pk=pk)


def _office_statuses(user, pk: int, fy: int):
    office = get_object_or_404(access.visible_offices(user), pk=pk)
    projects = selectors.with_details(selectors.visible_projects(user).filter(office=office, fiscal_year=fy))
    targets, today = selectors.targets_for(fy), timezone.localdate()  # one year's targets, read once
    return office, [selectors.status_of(p, on=today, targets=targets) for p in projects.order_by("code")]


def _fy(request) -> int:
    try:
        return int(request.GET.get("fy") or fiscal_year(timezone.localdate()))
    except ValueError:
        raise Http404 from None


class ProjectPdfView(View):
    http_method_names = ["get"]

    def get(self, request, pk: int):
        project = _project(request.user, pk)
        return pdf_response(render_pdf("pdf/budget/project.html", project_context(project)), f"project-{project.code}")


class CloseOutPdfView(View):
    http_method_names = ["get"]

    def get(self, request, pk: int):
        project = _project(request.user, pk)
        if project.status != ProjectStatus.CLOSED:
            raise Http404
        pdf = render_pdf("pdf/budget/close_out.html", project_context(project))
        return pdf_response(pdf, f"close-out-{project.code}")


class OfficePdfView(View):
    http_method_names = ["get"]

    def get(self, request, pk: int):
        fy = _fy(request)
        office, statuses = _office_statuses(request.user, pk, fy)
        total = selectors.office_summary(statuses)
        context = {"office": office, "fy": fy, "rows": statuses, "total": total, "today": timezone.localdate(),
                   "allocation_text": amount_text(total["allocation"]),
                   "disbursed_text": amount_text(total["disbursed"])}  # fmt: skip
        return pdf_response(render_pdf("pdf/budget/office.html", context), f"budget-{office.code}-{fy}")


class OfficeExcelView(View):
    http_method_names = ["get"]

    def get(self, request, pk: int):
        fy = _fy(request)
        office, statuses = _office_statuses(request.user, pk, fy)
        content = exports.workbook(office_name=office.name_th, fy=fy, statuses=statuses)
        response = HttpResponse(content, content_type=exports.XLSX)
        response["Content-Disposition"] = f'attachment; filename="budget-{office.code}-{fy}.xlsx"'
        response["Cache-Control"] = "private"
        return response
