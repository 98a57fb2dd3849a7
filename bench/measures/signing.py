"""Signing one inspection report as it is issued (issue 18): the PAdES B-B signature (pyHanko, SHA-256,
the signer's ECDSA P-256 key from the demo CA) over a report already rendered, and, beside it, the
check the verify page makes of an upload (pyHanko's validation against the CA). The rendering itself
is pdf_report_s (measures/pdf.py). The key store is a temporary folder, deleted afterwards."""

import tempfile

from django.test import override_settings

from workflows import signing
from workflows.inspection import selectors
from workflows.inspection.issued import REPORT_TEMPLATE
from workflows.pdf import render_pdf

from .. import drive
from ..timing import seconds
from .chains import free_factories
from .pdf import _ms, page_count


def measure(cast) -> tuple[dict, dict]:
    staff = cast.lopburi
    case = drive.OurChain(free_factories(staff.office_id, 1)[0], staff).run().case
    pdf = render_pdf(REPORT_TEMPLATE, selectors.report_context(case))
    office, person = case.office, case.signed_off_by
    with tempfile.TemporaryDirectory() as folder, override_settings(SIGNING_DIR=folder, SIGNING_DEMO_CA=True):
        _first, certificate_ms = _ms(lambda: signing.sign_pdf(pdf, office, reason="bench", person=person))

        def sign() -> bytes:
            return signing.sign_pdf(pdf, office, reason="bench", location=office.name_th, person=person)

        timing = seconds(sign)
        signed = sign()
        checked, validate_ms = _ms(lambda: signing.validate_pdf(signed))
    evidence = {
        "signed report": f"{page_count(pdf)} pages, {len(pdf) // 1024} kB unsigned, "
        f"+{(len(signed) - len(pdf)) // 1024} kB signed; valid against the demo CA: {checked.valid}",
        "signing split": f"first signature, with the signer's certificate issued by the demo CA: "
        f"{certificate_ms:.0f} ms; one validation as the verify page makes it: {validate_ms:.0f} ms",
    }
    return {"pdf_sign_s": timing.scaled(1, 3)}, evidence
