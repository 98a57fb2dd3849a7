"""The inspections application: our own scoped screens plus the flow's task URLs (workflows.viewsets)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from viewflow.urls import Application

from permissions import access
from workflows.viewsets import ScopedFlowViewset

from . import bulk, clock, files, lists, pdfs, views
from .flows import InspectionFlow


class InspectionApp(Application):
    title = _("Inspections")
    icon = "fact_check"
    app_name = "inspection"
    base_template_name = "kamkap/base_page.html"
    viewsets = [ScopedFlowViewset(InspectionFlow, app_name="flow", home="inspection:inbox")]

    def has_view_permission(self, user, obj=None):
        return access.can_anywhere(user, "view")

    @property
    def index_path(self):
        return path("", RedirectView.as_view(pattern_name="inspection:inbox"), name="index")

    inbox_path = path("inbox/", lists.InboxView.as_view(), name="inbox")
    queue_path = path("queue/", lists.QueueView.as_view(), name="queue")
    archive_path = path("archive/", lists.ArchiveView.as_view(), name="archive")
    start_path = path("new/", views.StartView.as_view(), name="start")
    case_path = path("case/<int:pk>/", views.CaseView.as_view(), name="case")
    evidence_path = path("evidence/<int:pk>/", files.EvidenceFileView.as_view(), name="evidence")
    evidence_thumb_path = path(
        "evidence/<int:pk>/thumb/", files.EvidenceFileView.as_view(thumbnail=True), name="evidence_thumb"
    )
    bulk_approve_path = path("bulk/approve/", bulk.BulkApproveView.as_view(), name="bulk_approve")
    reassign_path = path("task/<int:task_pk>/reassign/", bulk.ReassignView.as_view(), name="reassign")
    clock_path = path("task/<int:task_pk>/clock/", clock.ClockView.as_view(), name="clock")
    report_pdf_path = path("case/<int:pk>/report.pdf", pdfs.ReportPdfView.as_view(), name="report_pdf")
    delivery_path = path(
        "case/<int:pk>/order/<int:order_pk>/delivery/", views.DeliveryView.as_view(), name="order_delivery"
    )
    order_pdf_path = path("case/<int:pk>/order/<int:order_pk>.pdf", pdfs.OrderPdfView.as_view(), name="order_pdf")
