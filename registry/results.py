"""An operator's inspection results and orders: their factories' signed-off cases with the report
and the issued order letters as PDF (the documents the ministry sends them). Nothing of a case still
in work; who may read which case is permissions.operators.visible_results."""

from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from viewflow.urls import Viewset
from viewflow.urls.sites import AppMenuMixin

from permissions import operators
from workflows.inspection import pdfs
from workflows.inspection.selectors import published_results


class ResultListView(TemplateView):
    template_name = "registry/results.html"
    viewset = None

    def get_context_data(self, **kwargs):
        if not operators.is_operator(self.request.user):
            raise PermissionDenied
        return super().get_context_data(cases=published_results(operators.factory_ids(self.request.user)), **kwargs)


class ResultViewset(AppMenuMixin, Viewset):
    title = _("Inspection results and orders")
    icon = "gavel"

    def has_view_permission(self, user, obj=None):
        return operators.is_operator(user)

    index_path = path("", ResultListView.as_view(), name="index")
    # The inspection app's own document views, here where an operator may reach them.
    report_pdf_path = path("<int:pk>/report.pdf", pdfs.ReportPdfView.as_view(), name="report_pdf")
    order_pdf_path = path("<int:pk>/order/<int:order_pk>.pdf", pdfs.OrderPdfView.as_view(), name="order_pdf")
