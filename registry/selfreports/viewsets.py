"""The self-report screens as a Viewflow viewset inside the registry application (menu: Self-reports)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Viewset
from viewflow.urls.sites import AppMenuMixin

from permissions import access, operators

from . import views


class SelfReportViewset(AppMenuMixin, Viewset):
    title = _("Self-reports")
    icon = "assignment"

    def has_view_permission(self, user, obj=None):
        return operators.is_operator(user) or access.can_anywhere(user, "view")

    index_path = path("", views.ReportListView.as_view(), name="index")
    file_path = path("file/<int:factory_pk>/<slug:kind>/", views.ReportFileView.as_view(), name="file")
    detail_path = path("<int:pk>/", views.ReportDetailView.as_view(), name="detail")
    overdue_path = path("overdue/", views.OverdueView.as_view(), name="overdue")
    import_path = path("import/", views.ReportImportView.as_view(), name="import")
    import_detail_path = path("import/<int:pk>/", views.ReportImportDetailView.as_view(), name="import_detail")
