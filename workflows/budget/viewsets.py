"""The budget application: projects, monthly reports, the cluster view, follow-up reviews and
directives, documents, and the four flows' task URLs (workflows.viewsets)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from viewflow.urls import Application

from permissions import access
from workflows.viewsets import ScopedFlowViewset

from . import documents, views
from .flows import DirectiveFlow, EscalationFlow, ProgressFlow, ProjectFlow


class BudgetApp(Application):
    """Mounted at /budget/ (namespace "budget")."""

    title = _("Budget projects")
    icon = "account_balance"
    app_name = "budget"
    base_template_name = "kamkap/base_page.html"
    viewsets = [
        ScopedFlowViewset(ProjectFlow, app_name="project_flow", home="budget:list"),
        ScopedFlowViewset(ProgressFlow, app_name="progress", home="budget:list"),
        ScopedFlowViewset(DirectiveFlow, app_name="directive", home="budget:list"),
        ScopedFlowViewset(EscalationFlow, app_name="escalation", home="budget:list"),
    ]

    def has_view_permission(self, user, obj=None):
        return access.can_anywhere(user, "view")

    @property
    def index_path(self):
        return path("", RedirectView.as_view(pattern_name="budget:list"), name="index")

    list_path = path("projects/", views.ProjectListView.as_view(), name="list")
    project_path = path("project/<int:pk>/", views.ProjectDetailView.as_view(), name="project")
    close_path = path("project/<int:pk>/close/", views.ProjectCloseView.as_view(), name="close")
    carry_path = path("project/<int:pk>/carry-over/", views.CarryOverView.as_view(), name="carry_over")
    project_pdf_path = path("project/<int:pk>/report.pdf", documents.ProjectPdfView.as_view(), name="project_pdf")
    close_pdf_path = path("project/<int:pk>/close-out.pdf", documents.CloseOutPdfView.as_view(), name="close_pdf")
    register_path = path("office/<int:office>/new/", views.ProjectRegisterView.as_view(), name="register")
    office_path = path("office/<int:pk>/", views.OfficeView.as_view(), name="office")
    office_pdf_path = path("office/<int:pk>/report.pdf", documents.OfficePdfView.as_view(), name="office_pdf")
    office_xlsx_path = path("office/<int:pk>/follow-up.xlsx", documents.OfficeExcelView.as_view(), name="office_xlsx")
    cluster_path = path("cluster/", views.ClusterView.as_view(), name="cluster")
    review_new_path = path("office/<int:office>/review/", views.ReviewNewView.as_view(), name="review_new")
    review_path = path("review/<int:pk>/", views.ReviewDetailView.as_view(), name="review")
    task_path = path("task/<int:pk>/", views.TaskRedirectView.as_view(), name="task")
