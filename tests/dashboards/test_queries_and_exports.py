"""A page costs the same number of queries whatever the number of offices and cases; the Excel
exports hold the rows on screen; the visit briefing is a Thai PDF with Buddhist-era dates."""

import re
import shutil
import subprocess
from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from org.models import Unit
from tests.clock import at
from tests.conftest import SONGKHLA, office
from workflows.inspection.models import OrderKind, OrderStatus, Outcome
from workflows.planning.models import PlanStatus

from .conftest import approved_plan, case, order, project, started_case

pytestmark = pytest.mark.django_db


def squash(text: str) -> str:
    """White space removed (a Thai line breaks anywhere) and a decomposed ำ (ํ + า) recomposed."""
    return re.sub("\u0e4d([\u0e48-\u0e4b]*)\u0e32", "\\1\u0e33", re.sub(r"\s+", "", text))


def pdf_text(pdf: bytes) -> str:
    """In drawing order (-raw), as tests/workflows/inspection/test_pdfs.py reads its PDFs."""
    return squash(
        subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    )


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def more_data(world, checklist):
    """More of everything in more offices: two more offices of each cluster and extra cases in Songkhla."""
    now, by = timezone.now(), world.people.head
    extra = list(Unit.objects.filter(parent=world.songkhla.parent, kind="office").exclude(
        pk__in=[world.songkhla.pk, world.neighbour.pk])[:2])  # fmt: skip
    extra += list(Unit.objects.filter(parent=world.lopburi.parent, kind="office").exclude(pk=world.lopburi.pk)[:2])
    for unit in extra + [world.songkhla]:
        cases = [case(unit, checklist, by, signed=now, closed=now, outcome=Outcome.COMPLIANT) for _ in range(3)]
        order(cases[0], OrderKind.S37_IMPROVE, OrderStatus.ISSUED, by)
        approved_plan(unit, world.fy, by, cases + [None], status=PlanStatus.APPROVED, quarter=3)
        project(unit, world.fy, world.people.inspector, "200000", "50000", behind="ล่าช้า")
    for _ in range(3):
        started_case(world.songkhla, by, overdue=True)


@pytest.mark.parametrize("name", ["index", "xlsx", "cluster", "cluster_xlsx", "office", "office_xlsx"])
def test_query_count_does_not_grow_with_the_data(client, world, checklist, name):
    client.force_login(world.people.deputy)
    args = {"cluster": [world.songkhla.parent_id], "cluster_xlsx": [world.songkhla.parent_id],
            "office": [world.songkhla.pk], "office_xlsx": [world.songkhla.pk]}.get(name, [])  # fmt: skip
    url = reverse(f"dashboards:{name}", args=args)
    small = queries(client, url)
    more_data(world, checklist)
    assert queries(client, url) == small


# The statements each page costs (session, user, scope and menu included). Before the tiles and the map
# they were 16, 14, 16, 15, 26, 25 and 27: the complaints' answers cost one, the office page no longer
# reads its projects twice, the ministry page lists its offices once, a cluster is read with its offices
# and the projects' KPIs (not shown) are not loaded. Since the summary tables (dashboards.summary): the
# figures are three reads of summaries instead of four counts and four project reads; the office page
# lists its projects from the budget summary, reads its tasks once for the officers and the overdue
# figure and counts its cases with their rows. The office page (14 → 10) reads its state summary and the
# year's targets with the office (tracking.with_summary) and its people with their cases counted in one
# query (tracking.officers: holders and acting in one UNION ALL). Not to be raised.
# The ministry and cluster levels one less since their overdue tasks are read with the offices' state
# (dashboards.summary.task_dues) instead of counted from the tasks; the office page and its sheet one less
# since the officers' open and overdue tasks are read with the office's state (task_dues["owners"]).
BUDGETS = {"index": 9, "xlsx": 8, "cluster": 9, "cluster_xlsx": 8, "office": 9, "office_xlsx": 8, "briefing": 17}


@pytest.mark.parametrize("name", sorted(BUDGETS))
def test_each_page_stays_within_its_query_budget(client, world, checklist, name):
    client.force_login(world.people.deputy)
    pk = {"cluster": world.songkhla.parent_id, "cluster_xlsx": world.songkhla.parent_id}.get(name, world.songkhla.pk)
    url = reverse(f"dashboards:{name}", args=[] if name in ("index", "xlsx") else [pk])
    more_data(world, checklist)
    assert queries(client, url) <= BUDGETS[name]


def test_ministry_excel_holds_the_rows_and_the_total(client, world):
    client.force_login(world.people.deputy)
    response = client.get(reverse("dashboards:xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [r for r in sheet.iter_rows(min_row=5, values_only=True)]
    names = [r[0] for r in rows]
    assert len(rows) == 3 and set(names[:2]) == {world.songkhla.parent.name_th, world.lopburi.parent.name_th}
    total = rows[-1]
    assert total[1:3] == (6, 3)  # planned, done
    assert total[8:11] == (2, 1, 3)  # open s.37 and s.39 orders, overdue tasks
    assert str(world.fy) in sheet["A2"].value


def test_excel_says_the_time_the_figures_are_as_of_like_the_page(client, world, settings):
    """With a worker the figures are as of its last pass: the heading gives that day and time (BE)."""
    from django.core.cache import cache

    from dashboards import summary

    settings.CELERY_TASK_ALWAYS_EAGER = False
    passed = datetime(2026, 11, 16, 7, 5, tzinfo=ZoneInfo("Asia/Bangkok"))
    cache.set(summary.SETTLED_KEY, passed, None)
    try:
        client.force_login(world.people.deputy)
        sheet = load_workbook(BytesIO(client.get(reverse("dashboards:xlsx")).content)).active
    finally:
        cache.delete(summary.SETTLED_KEY)
    assert "16 พฤศจิกายน 2569 07:05" in sheet["A2"].value


def test_office_excel_has_officers_and_cases(client, world):
    client.force_login(world.people.aps)
    response = client.get(reverse("dashboards:office_xlsx", args=[world.songkhla.pk]))
    book = load_workbook(BytesIO(response.content))
    assert len(book.sheetnames) == 3
    figures, people, cases = (book[name] for name in book.sheetnames)
    assert figures["A5"].value == world.songkhla.name_th and figures["B5"].value == 4
    assert world.people.head.display_name in [r[0] for r in people.iter_rows(min_row=5, values_only=True)]
    refs = [r[0] for r in cases.iter_rows(min_row=5, values_only=True)]
    assert len(refs) == 9 and world.overdue_case.ref_no in refs


def test_cluster_excel_lists_the_offices_in_scope_only(client, world):
    client.force_login(world.people.pio)
    response = client.get(reverse("dashboards:cluster_xlsx", args=[world.songkhla.parent_id]))
    sheet = load_workbook(BytesIO(response.content)).active
    names = [r[0] for r in sheet.iter_rows(min_row=5, values_only=True)]
    assert world.songkhla.name_th in names and world.neighbour.name_th not in names


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
@at(2026, 11, 16)
def test_visit_briefing_is_a_thai_pdf(client, world, tmp_path):
    client.force_login(world.people.deputy)
    response = client.get(reverse("dashboards:briefing", args=[world.songkhla.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    path = tmp_path / "briefing.pdf"
    path.write_bytes(response.content)
    text = pdf_text(response.content)
    assert "สรุปข้อมูลประกอบการตรวจเยี่ยม" in text
    assert squash(office(SONGKHLA).name_th) in text
    assert squash(f"ปีงบประมาณ พ.ศ. {world.fy}") in text
    assert world.fy == 2570 and squash("16 พฤศจิกายน 2569") in text  # as of
    assert world.overdue_case.ref_no in text and "เบิกจ่ายล่าช้ากว่าแผน" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Sarabun" in fonts


def test_a_factory_name_that_looks_like_a_formula_reaches_excel_as_text(client, world):
    evil = '=HYPERLINK("http://attacker.example/","คลิก")'
    world.overdue_case.factory.__class__.objects.filter(pk=world.overdue_case.factory_id).update(name=evil)
    client.force_login(world.people.aps)
    response = client.get(reverse("dashboards:office_xlsx", args=[world.songkhla.pk]))
    cases = load_workbook(BytesIO(response.content)).worksheets[2]
    [cell] = [row[1] for row in cases.iter_rows(min_row=5) if row[0].value == world.overdue_case.ref_no]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (evil, "s", True)


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_every_text_a_spreadsheet_would_evaluate_is_written_as_text(text):
    from openpyxl import Workbook

    from workflows.spreadsheets import workbook_bytes

    book = Workbook()
    book.active.append([text, "โรงงาน", -1])
    row = next(load_workbook(BytesIO(workbook_bytes(book))).active.iter_rows())
    # (XML reads a carriage return back as a line feed)
    assert (row[0].value.strip(), row[0].data_type, row[0].quotePrefix) == (text.strip(), "s", True)
    assert (row[1].quotePrefix, row[2].value) == (False, -1)
