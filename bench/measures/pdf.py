"""The inspection report PDF of a case that went through the whole flow (answers, review, sign-off),
as a reader gets it and as it is made.

`pdf_report_s` is the report view (`inspection:report_pdf`, through the test client, logged in as the
case's officer): for a signed-off case it serves the signed report as issued (issued.report_pdf), which
the outbox's worker rendered and signed once after the sign-off — here issued before the timing, in a
temporary key store. `pdf_render_s` is that rendering (the selectors' context, then
workflows.pdf.render_pdf: template, WeasyPrint's layout and writing), which the worker pays once per
report and a draft report (before its sign-off) on every request."""

import re
import tempfile
import time
import zlib

from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from workflows.inspection import issued, selectors
from workflows.pdf import render_pdf

from .. import drive
from ..timing import seconds
from .chains import free_factories

TEMPLATE = "pdf/inspection/report.html"


def page_count(pdf: bytes) -> int:
    """Pages of a PDF whose objects may sit in compressed object streams."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return sum(len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", part)) for part in parts)


def _ms(func) -> tuple[object, float]:
    started = time.perf_counter()
    result = func()
    return result, (time.perf_counter() - started) * 1000


def signed_off_case(cast):
    staff = cast.lopburi
    return issued.case(drive.OurChain(free_factories(staff.office_id, 1)[0], staff).run().case.pk), staff


def measure(cast) -> tuple[dict, dict]:
    case, staff = signed_off_case(cast)

    def report() -> bytes:
        return render_pdf(TEMPLATE, selectors.report_context(case))

    rendering = seconds(report)
    context, context_ms = _ms(lambda: selectors.report_context(case))
    with translation.override("th"):
        _html, html_ms = _ms(lambda: render_to_string(TEMPLATE, context))
    pdf, pdf_ms = _ms(lambda: render_pdf(TEMPLATE, context))

    client = Client()
    client.force_login(staff.officer)
    url = reverse("inspection:report_pdf", args=[case.pk])

    def served() -> bytes:
        response = client.get(url)
        if response.status_code != 200 or response["Content-Type"] != "application/pdf":
            raise RuntimeError(f"{url} answered {response.status_code}")
        return response.content

    with tempfile.TemporaryDirectory() as folder, override_settings(SIGNING_DIR=folder, SIGNING_DEMO_CA=True):
        document, issue_ms = _ms(lambda: issued.issue_report(case))  # what the outbox's worker does
        view = seconds(served)
        body = served()
    evidence = {
        "report": f"{page_count(pdf)} pages, {len(pdf) // 1024} kB",
        "report time split": f"context (SQL) {context_ms:.0f} ms; HTML template {html_ms:.0f} ms; "
        f"render_pdf with that context (template + WeasyPrint layout and write) {pdf_ms:.0f} ms",
        "report as served": f"the signed report as issued ({document.reference}, {len(body) // 1024} kB, the "
        f"stored file: {body == issued.stored(document)}); issuing it (render, sign, store, audit) took "
        f"{issue_ms:.0f} ms once, in the worker after the sign-off",
    }
    return {"pdf_report_s": view.scaled(1, 3), "pdf_render_s": rendering.scaled(1, 3)}, evidence
