"""The visit briefing of the dashboards' known data set, with an open directive overdue since 30 มิ.ย.
2567 beside one not yet due, written to $SAMPLE_PDF_DIR (docs/) as sample-briefing.pdf to be looked
at as PNG pages (issue 18); skipped unless SAMPLE_PDF_DIR is set."""

import os
import re
import subprocess
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from dashboards import tracking
from workflows.pdf import render_pdf

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(not os.environ.get("SAMPLE_PDF_DIR"), reason="writes sample PDFs only when SAMPLE_PDF_DIR is set")
def test_write_sample_briefing(world):
    context = tracking.briefing(world.people.deputy, world.fy, world.songkhla)
    late = "เร่งรัดการเบิกจ่ายโครงการพัฒนาผู้ประกอบการ"
    context["directives"] = [
        *context["directives"],
        SimpleNamespace(text=late, assignee=world.people.pio, due_on=date(2024, 6, 30)),
        SimpleNamespace(text="รายงานความคืบหน้าการตรวจโรงงานยางแผ่น", assignee=None, due_on=date(2027, 3, 31)),
    ]
    pdf = render_pdf("pdf/dashboards/briefing.html", context)
    out = Path(os.environ["SAMPLE_PDF_DIR"])
    out.mkdir(parents=True, exist_ok=True)
    (out / "sample-briefing.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    flat = re.sub(r"\s+", "", text)
    assert f"งานที่เกินกำหนด{context['figures'].overdue}" in flat and "30มิ.ย.2567เกินกำหนด" in flat
