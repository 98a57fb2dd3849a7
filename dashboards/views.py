"""The home page and the executive dashboard: ministry (clusters) → cluster (offices) → office (its
officers and cases), each with its Excel export, and the one-click visit briefing (PDF) of an office.
Who may open it and what it counts come from dashboards.tracking, narrowed by permissions.access."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from org.calendar import fiscal_year
from org.models import UnitKind
from permissions import access
from workflows.pdf import pdf_response, render_pdf

from . import exports, funnel_plot, provinces_map, standard, tiles, tracking, trend_charts
from .selectors import home_summary


class HomeView(TemplateView):
    template_name = "kamkap/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**home_summary(self.request.user), **kwargs)


def fy_of(request) -> int:
    """The fiscal year asked for (?fy=2567), the current one by default; a year not offered is a 404."""
    current = fiscal_year(timezone.localdate())
    try:
        fy = int(request.GET.get("fy") or current)
    except ValueError:
        raise Http404 from None
    if not current - 20 <= fy <= current + 1:
        raise Http404
    return fy


class DashboardMixin:
    """Only people permissions.access.may_track lets in; the site's menu is shown as on every other page."""

    def dispatch(self, request, *args, **kwargs):
        if not access.may_track(request.user):
            raise PermissionDenied
        self.fy = fy_of(request)
        if request.resolver_match is not None:  # the site's menu and colours, as under site.urls
            from project.urls import site  # the site imports these views

            request.resolver_match.site = site
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(fy=self.fy, **kwargs)

    def cluster_and_offices(self):
        """The cluster and its offices in the person's scope, in one query (none: a 404)."""
        offices = tracking.cluster_offices(self.request.user, self.kwargs["pk"])
        if not offices:
            raise Http404
        return offices[0].parent, offices

    def office(self):
        """The office asked for, if the person may see it, with its state summary and the year's
        targets (tracking.with_summary: one query)."""
        offices = tracking.with_summary(tracking.visible_offices(self.request.user), self.fy)
        return get_object_or_404(offices.filter(kind=UnitKind.OFFICE), pk=self.kwargs["pk"])


def officer_of(request) -> int | None:
    """?officer=<pk>: the office page narrowed to one officer's cases."""
    try:
        return int(request.GET["officer"]) if request.GET.get("officer") else None
    except ValueError:
        raise Http404 from None


def case_page_of(request) -> int:
    """?page=<n>: the office page's cases, CASE_PAGE at a time (1, the newest, by default)."""
    try:
        page = int(request.GET.get("page") or 1)
    except ValueError:
        raise Http404 from None
    if page < 1:
        raise Http404
    return page


def _map(request, board) -> dict:
    return provinces_map.province_map(board, provinces_map.measure_of(request))


def _trend_links(office=None) -> dict[str, str]:
    """The list behind each trend: the archive of signed-off cases, the cases with their orders (the
    office's table, the offices' table above), the complaints."""
    from django.urls import reverse

    archive = reverse("inspection:archive")
    if office is not None:
        return {"cases": f"{archive}?office={office.pk}", "orders": "#cases", "complaints": reverse("complaints:list")}
    return {"cases": archive, "orders": "#units", "complaints": reverse("complaints:list")}


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    response["Cache-Control"] = "private"
    return response


class MinistryView(DashboardMixin, TemplateView):
    """Every cluster with offices in the person's scope; one office only → that office's page."""

    template_name = "dashboards/ministry.html"

    def get(self, request, *args, **kwargs):
        self.offices = list(tracking.visible_offices(request.user))
        if len(self.offices) == 1:
            return redirect(self._office_url(self.offices[0]))
        return super().get(request, *args, **kwargs)

    def _office_url(self, office):
        from django.urls import reverse

        return f"{reverse('dashboards:office', args=[office.pk])}?fy={self.fy}"

    def get_context_data(self, **kwargs):
        board = tracking.ministry_board(self.request.user, self.fy, self.offices)
        context = {"board": board, "tiles": tiles.board_tiles(board), "map": _map(self.request, board),
                   "trend_charts": trend_charts.charts(board.trends, board.today, _trend_links())}  # fmt: skip
        return super().get_context_data(**context, **kwargs)


class MinistryExcelView(DashboardMixin, View):
    def get(self, request):
        board = tracking.ministry_board(request.user, self.fy)
        return _xlsx(exports.board_workbook(board, title=exports.MINISTRY_TITLE), f"dashboard-{self.fy}")


class ClusterView(DashboardMixin, TemplateView):
    template_name = "dashboards/cluster.html"

    def get_context_data(self, **kwargs):
        cluster, offices = self.cluster_and_offices()
        board = tracking.cluster_board(self.request.user, self.fy, cluster, offices)
        context = {"cluster": cluster, "board": board, "tiles": tiles.board_tiles(board),
                   "map": _map(self.request, board),
                   "trend_charts": trend_charts.charts(board.trends, board.today, _trend_links())}  # fmt: skip
        return super().get_context_data(**context, **kwargs)


class ClusterExcelView(DashboardMixin, View):
    def get(self, request, pk):
        cluster, offices = self.cluster_and_offices()
        board = tracking.cluster_board(request.user, self.fy, cluster, offices)
        return _xlsx(exports.board_workbook(board, title=cluster.name_th), f"dashboard-{cluster.code}-{self.fy}")


class OfficeView(DashboardMixin, TemplateView):
    template_name = "dashboards/office.html"

    def get_context_data(self, **kwargs):
        office = self.office()
        data = tracking.office_board(
            self.request.user, self.fy, office, officer_id=officer_of(self.request), page=case_page_of(self.request)
        )
        links = _trend_links(office)
        context = {"office": office, "data": data, "board": data.board, "tiles": tiles.office_tiles(data),
                   "trend_charts": trend_charts.charts(data.board.trends, data.board.today, links)}  # fmt: skip
        return super().get_context_data(**context, **kwargs)


class OfficeExcelView(DashboardMixin, View):
    def get(self, request, pk):
        office = self.office()
        data = tracking.office_board(request.user, self.fy, office, officer_id=officer_of(request), page=None)
        return _xlsx(exports.office_workbook(data), f"dashboard-{office.code}-{self.fy}")


class BriefingPdfView(DashboardMixin, View):
    """The one-click visit briefing of an office (PDF, Thai, Buddhist-era dates)."""

    def get(self, request, pk):
        office = self.office()
        pdf = render_pdf("pdf/dashboards/briefing.html", tracking.briefing(request.user, self.fy, office))
        return pdf_response(pdf, f"briefing-{office.code}-{self.fy}")


class StandardView(DashboardMixin, TemplateView):
    """One standard: each inspector's non-compliance rate on a funnel plot around the nation's."""

    template_name = "dashboards/standard.html"

    def get_context_data(self, **kwargs):
        result = standard.standard(self.request.user, self.fy, self.request.GET)
        board = tracking.Board(self.fy, timezone.localdate(), timezone.now(), [], tracking.Figures(),
                               tracking.Target(), tracking.years(timezone.localdate()))  # fmt: skip
        context = {"standard": result, "plot": funnel_plot.plot(result), "board": board}
        return super().get_context_data(**context, **kwargs)
