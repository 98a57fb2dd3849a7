"""Access matrix (anonymous / another province / another cluster / the right people: status code and
nothing changed) and the documents: progress PDF per project and office, close-out PDF, the Excel
follow-up workbook opened with openpyxl."""

import io
import re
import subprocess
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from tests.workflows.budget.conftest import DIP, approve_project, month_of, register
from workflows.budget import services
from workflows.budget.models import Project, ProjectStatus

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return re.sub("\u0e4d([\u0e48-\u0e4b]*)\u0e32", "\\1\u0e33", re.sub(r"\s+", "", text))


def pages(project):
    office = project.office_id
    return [f"/budget/project/{project.pk}/", f"/budget/project/{project.pk}/report.pdf",
            f"/budget/office/{office}/", f"/budget/office/{office}/report.pdf",
            f"/budget/office/{office}/follow-up.xlsx"]  # fmt: skip


def test_access_matrix_for_project_pages(client, songkhla, lopburi, nobody, approved):
    client.logout()
    for url in pages(approved):
        assert client.get(url).status_code == 302  # anonymous: to the login page
        for stranger in (lopburi.head, lopburi.inspector, lopburi.aps, nobody):
            client.force_login(stranger)
            assert client.get(url).status_code in (403, 404), (url, stranger)
        for insider in (songkhla.inspector, songkhla.officer, songkhla.aps, songkhla.dps):
            client.force_login(insider)
            assert client.get(url).status_code == 200, (url, insider)
        client.logout()


def test_lists_show_only_what_the_person_may_see(client, songkhla, lopburi, approved, fy):
    other = approve_project_lopburi(client, lopburi, fy)
    client.force_login(songkhla.inspector)
    page = client.get(f"/budget/projects/?fy={fy}").content.decode()
    assert approved.code in page and other.code not in page
    client.force_login(lopburi.aps)
    page = client.get(f"/budget/projects/?fy={fy}").content.decode()
    assert other.code in page and approved.code not in page


def approve_project_lopburi(client, lopburi, fy):
    project = register(lopburi, fy_be=fy, title="โครงการพัฒนาผู้ประกอบการลพบุรี")
    from workflows.budget.services import pending_approval

    assert pending_approval(project).approver == lopburi.head
    services.project_decide(project=project, by=lopburi.head, approve=True)
    return Project.objects.get(pk=project.pk)


def test_writes_by_strangers_change_nothing(client, songkhla, lopburi, approved, fy):
    data = registration(lines=[{"source": "own", "allocation": "1000"}], kpis=[], fy=fy)
    client.force_login(lopburi.head)
    assert client.post(f"/budget/office/{songkhla.unit.pk}/new/?fy={fy}", data).status_code == 403
    assert client.post(f"/budget/project/{approved.pk}/close/", {"summary": "ปิด"}).status_code == 404
    client.force_login(songkhla.inspector)  # sees the project but may not close it
    client.post(f"/budget/project/{approved.pk}/close/", {"summary": "ปิด"})
    assert Project.objects.count() == 1 and Project.objects.get().status == ProjectStatus.APPROVED


def test_registration_page_registers_and_starts_the_approval(client, songkhla, fy):
    client.force_login(songkhla.inspector)
    assert client.get(f"/budget/office/{songkhla.unit.pk}/new/?fy={fy}").status_code == 200
    data = registration(
        lines=[
            {"description": "ค่าครุภัณฑ์ศูนย์ ITC", "source": "on_behalf", "owner_agency": DIP,
             "reference_no": "อก 0410/77", "provisional": "on", "allocation": "500000"},
            {"description": "ค่าใช้จ่ายในการจัดอบรม", "source": "own", "allocation": "100000"},
        ],
        kpis=[{"name": "สถานประกอบการที่ได้รับการยกระดับ", "unit": "แห่ง", "target": "10"},
              {"name": "ผู้เข้ารับการอบรม", "unit": "คน", "target": "120"}],
        fy=fy,
    )  # fmt: skip
    response = client.post(f"/budget/office/{songkhla.unit.pk}/new/?fy={fy}", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    project = Project.objects.get()
    behalf, own = project.lines.order_by("-allocation")
    assert (behalf.source, behalf.owner_agency, behalf.provisional, behalf.allocation) == (
        "on_behalf", DIP, True, D("500000"))  # fmt: skip
    assert (own.source, own.provisional, own.allocation) == ("own", False, D("100000"))
    assert sorted(project.kpis.values_list("unit", flat=True)) == ["คน", "แห่ง"]
    assert project.plan.count() == 12 and project.status == ProjectStatus.APPROVING


def test_registration_without_a_budget_line_is_refused_and_keeps_what_was_typed(client, songkhla, fy):
    client.force_login(songkhla.inspector)
    data = registration(lines=[], kpis=[{"name": "ผู้เข้ารับการอบรม", "unit": "คน", "target": "120"}], fy=fy)
    response = client.post(f"/budget/office/{songkhla.unit.pk}/new/?fy={fy}", data)
    assert response.status_code == 200 and not Project.objects.exists()
    page = response.content.decode()
    assert 'data-testid="line-errors"' in page and "ผู้เข้ารับการอบรม" in page


def registration(*, lines, kpis, fy) -> dict:
    """The registration form's POST: the project, its line and KPI rows (3 blank rows each beside them)."""
    data = {"title": "โครงการยกระดับศูนย์ปฏิรูปอุตสาหกรรมสู่ความยั่งยืน", "objectives": "ยกระดับศูนย์ ITC"}
    for prefix, rows in (("line", lines), ("kpi", kpis)):
        data |= {f"{prefix}-TOTAL_FORMS": len(rows) + 3, f"{prefix}-INITIAL_FORMS": 0}
        for index, row in enumerate(rows):
            data |= {f"{prefix}-{index}-{key}": value for key, value in row.items()}
        for index in range(len(rows), len(rows) + 3):
            data |= {f"{prefix}-{index}-source": "own"} if prefix == "line" else {}
    data |= {f"d_{m:%Y%m}": "50000" for m in [month_of(fy, n) for n in range(1, 13)]}
    return data


def test_project_and_close_out_pdfs_read_in_thai_with_amounts_in_words(client, songkhla, approved, fy):
    report = services.report_open(project=approved, month=month_of(fy, 1))
    services.report_submit(report=report, by=songkhla.inspector, progress_pct="100", disbursed="1150000",
                           problems="ผู้รับจ้างส่งมอบงานล่าช้า")  # fmt: skip
    services.report_review(report=report, by=songkhla.officer, approve=True)
    client.force_login(songkhla.officer)
    response = client.get(f"/budget/project/{approved.pk}/report.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "หนึ่งล้านสองแสนบาทถ้วน" in text and "หนึ่งล้านหนึ่งแสนห้าหมื่นบาทถ้วน" in text
    assert "ผู้รับจ้างส่งมอบงานล่าช้า" in text and approved.code in text
    assert client.get(f"/budget/project/{approved.pk}/close-out.pdf").status_code == 404  # not closed yet
    services.project_close(project=approved, by=songkhla.officer, summary="ดำเนินการครบทุกกิจกรรม")
    text = pdf_text(client.get(f"/budget/project/{approved.pk}/close-out.pdf").content)
    assert "ห้าหมื่นบาทถ้วน" in text and "ดำเนินการครบทุกกิจกรรม" in text


def test_the_excel_workbook_opens_with_plan_and_result_by_month_and_quarter(client, songkhla, fy):
    lines = [{"description": "ยกระดับศูนย์ปฏิรูปอุตสาหกรรม", "source": "on_behalf", "owner_agency": DIP,
              "provisional": True, "allocation": "1200000"}]  # fmt: skip
    project = approve_project(client, songkhla, register(songkhla, fy_be=fy, lines=lines))
    for n, amount in ((1, "150000"), (2, "0"), (3, "50000")):
        report = services.report_open(project=project, month=month_of(fy, n))
        services.report_submit(report=report, by=songkhla.inspector, progress_pct=str(10 * n), disbursed=amount)
        services.report_review(report=report, by=songkhla.officer, approve=True)
    client.force_login(songkhla.aps)
    response = client.get(f"/budget/office/{songkhla.unit.pk}/follow-up.xlsx?fy={fy}")
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[4]]
    row = [cell.value for cell in sheet[5]]
    with translation.override("th"):
        yes, total_label = gettext("Yes"), gettext("Total")
    assert len(header) == 6 + 24 + 12 and header[6].endswith("ต.ค. " + str(fy - 1)[-2:])  # October first
    assert row[1].startswith(project.code) and DIP in row[3] and row[4] == yes
    assert row[5] == 1200000
    assert (row[6], row[7]) == (100000, 150000)  # October: plan, result
    q1 = 6 + 24  # cumulative plan, cumulative result, % of allocation at the end of December
    assert (row[q1], row[q1 + 1], row[q1 + 2]) == (300000, 200000, 16.67)
    total = [cell.value for cell in sheet[6]]
    assert total[1] == total_label and total[5] == 1200000 and total[q1 + 2] == 16.67
    progress = book.worksheets[1]
    assert [c.value for c in progress[5]][2:8] == [8.33, 10, 16.67, 20, 25, 30]


def test_the_administrator_sets_a_fiscal_years_quarterly_targets(client):
    from tests.factories import PersonFactory
    from workflows.budget.models import FiscalYearTarget

    admin = PersonFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = "/admin/budget/fiscalyeartarget/add/"
    assert client.get(url).status_code == 200
    data = {
        "fiscal_year": 2570,
        "q1": "30",
        "q2": "54",
        "q3": "77",
        "q4": "100",
        "threshold": "10",
        "escalate_after_days": "21",
    }
    assert client.post(url, data).status_code == 302
    assert FiscalYearTarget.objects.get(fiscal_year=2570).target(2) == D("54")
    assert FiscalYearTarget.objects.get(fiscal_year=2570).escalate_after_days == 21
    assert client.post(url, data | {"fiscal_year": 2571, "q2": "20"}).status_code == 200  # targets must climb
    assert not FiscalYearTarget.objects.filter(fiscal_year=2571).exists()


def test_the_workbook_formats_money_and_percentages(client, songkhla, approved, fy):
    client.force_login(songkhla.officer)
    response = client.get(f"/budget/office/{songkhla.unit.pk}/follow-up.xlsx?fy={fy}")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    formats = [cell.number_format for cell in sheet[5]]
    assert formats[5] == formats[6] == "#,##0.00"  # allocation, October's plan
    assert formats[6 + 24 : 6 + 27] == ["#,##0.00", "#,##0.00", "0.00"]  # Q1: plan, result, percent


def test_the_list_opens_on_the_latest_year_with_projects(client, songkhla, approved, fy):
    Project.objects.filter(pk=approved.pk).update(fiscal_year=fy - 2)
    client.force_login(songkhla.officer)
    page = client.get(reverse("budget:list")).content.decode()
    assert approved.code in page  # not an empty current year
    assert approved.code not in client.get(reverse("budget:list") + f"?fy={fy}").content.decode()
