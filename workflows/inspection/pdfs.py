"""The case's documents as PDF, served by GET (VIEWFLOW.md trap 8) to whoever may see the case: its
office and those above it, and the factory's operator once the report is signed off. A signed-off
report and an issued letter are served as issued and signed (issued.py); a report before its sign-off
is rendered as a draft. While the time-stamp authority does not answer, a document not yet signed is
a 503 page that says so (never an unsigned copy in its place, never a 500)."""

from django.shortcuts import get_object_or_404, render
from django.views import View

from permissions import operators
from workflows.pdf import pdf_response, render_pdf
from workflows.signing import SigningUnavailable, TimestampUnavailable

from . import issued, selectors
from .models import Inspection
from .selectors import LETTER_STATUSES


def visible_case(user, pk: int) -> Inspection:
    cases = Inspection.objects.select_related(
        "factory__sub_district",
        "factory__district",
        "factory__province",
        "office",
        "inspector",
        "signed_off_by",
        "checklist__template",
    )
    return get_object_or_404(operators.visible_results(user, cases), pk=pk)


RETRY_SECONDS = 300  # the issuing task tries again with back-off meanwhile


def not_signed_yet(request):
    response = render(request, "inspection/document_pending.html", status=503)
    response["Retry-After"] = str(RETRY_SECONDS)
    return response


class ReportPdfView(View):
    http_method_names = ["get"]

    def get(self, request, pk: int):
        inspection = visible_case(request.user, pk)
        pdf = None
        try:  # the signed report as issued; unsigned only where no certificate is set up
            pdf = issued.report_pdf(inspection)
        except SigningUnavailable:
            pass
        except TimestampUnavailable:
            return not_signed_yet(request)
        if pdf is None:  # a draft (not signed off), or nothing to sign with
            pdf = render_pdf(issued.REPORT_TEMPLATE, selectors.report_context(inspection))
        return pdf_response(pdf, f"inspection-report-{inspection.ref_no}.pdf")


class OrderPdfView(View):
    """Only an order that was issued has a letter; a draft or one awaiting approval is a 404."""

    http_method_names = ["get"]

    def get(self, request, pk: int, order_pk: int):
        inspection = visible_case(request.user, pk)
        order = get_object_or_404(
            inspection.orders.select_related("signed_by"), pk=order_pk, status__in=LETTER_STATUSES
        )
        order.inspection = inspection
        try:  # the signed letter as issued (issued.py); unsigned only where no certificate is set up
            pdf = issued.order_pdf(order)
        except SigningUnavailable:
            pdf = render_pdf(issued.ORDER_TEMPLATE, selectors.order_letter_context(order))
        except TimestampUnavailable:
            return not_signed_yet(request)
        return pdf_response(pdf, f"order-{order.letter_no or order.pk}.pdf")
