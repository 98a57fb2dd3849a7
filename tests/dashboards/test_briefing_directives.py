"""The visit briefing flags a directive past its due date (issue 18: one overdue since 30 มิ.ย. 2567 was
shown like the others)."""

import re
import subprocess
from datetime import date
from types import SimpleNamespace

from workflows.pdf import render_pdf


def test_an_overdue_directive_is_flagged_and_one_not_yet_due_is_not():
    directives = [
        SimpleNamespace(text="เร่งรัดการเบิกจ่ายโครงการพัฒนาผู้ประกอบการ", assignee=None, due_on=date(2024, 6, 30)),
        SimpleNamespace(text="รายงานความคืบหน้าการตรวจโรงงานยางแผ่น", assignee=None, due_on=date(2026, 12, 31)),
    ]
    pdf = render_pdf("pdf/dashboards/briefing.html", {"directives": directives, "today": date(2026, 12, 2)})
    text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    flat = re.sub(r"\s+", "", text)
    assert "30มิ.ย.2567เกินกำหนด" in flat
    assert "31ธ.ค.2569เกินกำหนด" not in flat and "31ธ.ค.2569" in flat
