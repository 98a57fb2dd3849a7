"""One inspection report PDF: the report context from the selectors, then workflows.pdf.render_pdf,
for a case that went through the whole flow (answers, review, sign-off)."""

import re
import time
import zlib

from django.template.loader import render_to_string
from django.utils import translation

from workflows.inspection import selectors
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


def measure(cast) -> tuple[dict, dict]:
    staff = cast.lopburi
    case = drive.OurChain(free_factories(staff.office_id, 1)[0], staff).run().case

    def report() -> bytes:
        return render_pdf(TEMPLATE, selectors.report_context(case))

    timing = seconds(report)
    context, context_ms = _ms(lambda: selectors.report_context(case))
    with translation.override("th"):
        _html, html_ms = _ms(lambda: render_to_string(TEMPLATE, context))
    pdf, pdf_ms = _ms(lambda: render_pdf(TEMPLATE, context))
    evidence = {
        "report": f"{page_count(pdf)} pages, {len(pdf) // 1024} kB",
        "report time split": f"context (SQL) {context_ms:.0f} ms; HTML template {html_ms:.0f} ms; "
        f"render_pdf with that context (template + WeasyPrint layout and write) {pdf_ms:.0f} ms",
    }
    return {"pdf_report_s": timing.scaled(1, 3)}, evidence
