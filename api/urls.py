"""The REST API, served under /api/v1/ (and, unchanged, under the unversioned /api/: project/urls.py),
with its OpenAPI schema (JSON or YAML) and a Swagger UI page whose assets are our own static files
(drf-spectacular-sidecar, no CDN). Every view is exempt from the login redirect: DRF answers 401/403
itself (api.base)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import base, budget, complaints, planning, task_views, views

app_name = "api"

router = SimpleRouter()
router.register("factories", views.FactoryViewSet, basename="factory")
router.register("cases", views.CaseViewSet, basename="case")
router.register("tasks", task_views.TaskViewSet, basename="task")
router.register("results", views.ResultViewSet, basename="result")
router.register("selfreports", views.SelfReportViewSet, basename="selfreport")
router.register("report-kinds", views.ReportKindViewSet, basename="report-kind")
router.register("budget/projects", budget.ProjectViewSet, basename="budget-project")
router.register("budget/reports", budget.ReportViewSet, basename="budget-report")
router.register("budget/directives", budget.DirectiveViewSet, basename="budget-directive")
router.register("plans", planning.PlanViewSet, basename="plan")
router.register("complaints", complaints.ComplaintViewSet, basename="complaint")
router.register("evidence", views.EvidenceViewSet, basename="evidence")

urlpatterns = [
    path("token/", views.TokenView.as_view(), name="token"),
    path("complaints/status/<str:tracking_no>/", views.ComplaintStatusView.as_view(), name="complaint-status"),
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path("docs/", login_not_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    *router.urls,
    re_path(r"", base.not_found, name="not-found"),  # last: any other path under /api/ is a JSON 404
]
