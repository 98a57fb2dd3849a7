"""At a glance: the tiles equal direct counts, a year with nothing recorded says so, chart labels stay
distinct, Excel dates are dates, the pages carry no inline script or style, and the map places the
provinces from our own geography data with a link to each office."""

import re
from datetime import datetime, time, timedelta
from io import BytesIO

import pytest
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from dashboards import provinces_map, summary, tracking
from dashboards.templatetags.dashboard_charts import label_lines
from org.models import District
from workflows.budget.models import ProgressReport, Project, ReportStatus
from workflows.complaint.flows import ComplaintFlow
from workflows.complaint.models import Complaint, ComplaintProcess
from workflows.inspection.models import CorrectiveOrder, Inspection, OrderStatus

pytestmark = pytest.mark.django_db


def answered_complaint(office_unit, *, in_time: bool, finished=None) -> Complaint:
    """A complaint whose answer step is done, by its due date or a day after it."""
    district = District.objects.filter(province_id=office_unit.province_id).first()
    complaint = Complaint.objects.create(
        tracking_no=f"C-{Complaint.objects.count() + 1}", description="กลิ่นเหม็น", province_id=office_unit.province_id,
        district=district, office=office_unit, status="closed",
    )  # fmt: skip
    process = ComplaintProcess.objects.create(flow_class=ComplaintFlow, complaint=complaint, status=STATUS.DONE)
    finished = finished or timezone.now()
    due = finished + timedelta(days=1 if in_time else -1)
    Task.objects.create(process=process, flow_task=ComplaintFlow.answer, flow_task_type="HUMAN", status=STATUS.DONE,
                        finished=finished, scheduled=due)  # fmt: skip
    return complaint


def tile_values(client, url) -> dict[str, str]:
    html = client.get(url).content.decode()
    found = re.findall(r'data-testid="tile-(\w+)"><span class="kk-dash-tile-label">[^<]*</span>'
                       r'<span class="kk-dash-tile-value">([^<]*)</span>', html)  # fmt: skip
    return dict(found)


def test_each_tile_equals_a_direct_count(client, world):
    songkhla, today = world.songkhla, timezone.localdate()
    late_order = CorrectiveOrder.objects.filter(inspection__office=songkhla, status=OrderStatus.ISSUED).first()
    CorrectiveOrder.objects.filter(pk=late_order.pk).update(deadline=today - timedelta(days=1))
    answered_complaint(songkhla, in_time=True)
    answered_complaint(songkhla, in_time=False)
    answered_complaint(songkhla, in_time=True, finished=timezone.now() - timedelta(days=400))  # last year's
    project = Project.objects.filter(office=songkhla, status="approved").first()
    month = project.reports.order_by("month").last().month
    ProgressReport.objects.create(project=project, month=month.replace(day=28) + timedelta(days=5),
                                  due_on=today - timedelta(days=1), status=ReportStatus.DUE)  # fmt: skip
    summary.rebuild()  # written around the services

    deputy = world.people.deputy
    figures = tracking.figures_by_office(deputy, world.fy, [songkhla.pk], now=timezone.now())[songkhla.pk]
    start, end = tracking.fy_bounds(world.fy)
    orders = CorrectiveOrder.objects.filter(inspection__office=songkhla, status=OrderStatus.ISSUED)
    assert figures.orders_open == orders.count() == 2
    assert figures.orders_overdue == orders.filter(deadline__lt=today).count() == 1
    answers = Task.objects.filter(
        process__complaintprocess__complaint__office=songkhla, status=STATUS.DONE, finished__gte=start, finished__lt=end
    ).aggregate(  # fmt: skip
        n=Count("pk"), ok=Count("pk", filter=Q(finished__lte=F("scheduled")))
    )
    assert (figures.answered, figures.answered_in_time) == (answers["n"], answers["ok"]) == (2, 1)
    counted = {"project__status__in": tracking.COUNTED_PROJECTS, "due_on__lt": today}
    reports = ProgressReport.objects.filter(project__office=songkhla, project__fiscal_year=world.fy, **counted)
    late = reports.filter(status__in=[ReportStatus.DUE, ReportStatus.RETURNED])
    assert figures.reports_due == reports.count() and figures.reports_late == late.count() >= 1
    plan = {"plan_item__plan__office": songkhla, "plan_item__plan__fiscal_year": world.fy}
    plan_done = Inspection.objects.filter(
        **plan, plan_item__plan__status="approved", signed_off_at__isnull=False
    ).count()
    assert figures.done == plan_done == 2 and figures.planned == 4

    client.force_login(world.people.deputy)
    tiles = tile_values(client, reverse("dashboards:office", args=[songkhla.pk]))
    assert tiles["plan"] == "50%" and tiles["orders"] == "2" and tiles["complaints"] == "50%"
    assert tiles["reports"] == str(figures.reports_late) and tiles["behind"] == "1"
    assert tiles["compliance"] == f"{figures.compliance_pct:.1f}%"
    ministry = tile_values(client, reverse("dashboards:index"))
    board = tracking.ministry_board(world.people.deputy, world.fy)
    assert ministry["orders"] == str(board.total.orders_open) == "3"
    assert ministry["disbursed"] == f"{board.total.disbursed_pct:.1f}%"


def test_tiles_link_to_the_lists_behind_them(client, world):
    client.force_login(world.people.deputy)
    html = client.get(reverse("dashboards:office", args=[world.songkhla.pk])).content.decode()
    budget = reverse("budget:office", args=[world.songkhla.pk])
    assert f'href="{budget}?fy={world.fy}" data-testid="tile-behind"' in html
    assert f'href="{reverse("inspection:archive")}?office={world.songkhla.pk}" data-testid="tile-compliance"' in html
    assert 'href="#cases" data-testid="tile-orders"' in html and 'id="cases"' in html


def test_a_year_with_nothing_recorded_says_so_and_links_to_the_year_before(client, world):
    client.force_login(world.people.deputy)
    html = client.get(reverse("dashboards:index"), {"fy": world.fy - 2}).content.decode()
    assert 'data-testid="empty-year"' in html and f'href="?fy={world.fy - 3}" data-testid="previous-year"' in html
    assert 'data-testid="tile-plan"' not in html and 'data-testid="tile-orders"' in html  # orders: as of now
    html = client.get(reverse("dashboards:index")).content.decode()
    assert 'data-testid="empty-year"' not in html and 'data-testid="tile-plan"' in html


def test_chart_labels_that_differ_only_at_their_end_stay_different():
    names = ["กลุ่มจังหวัดภาคตะวันออกเฉียงเหนือตอนบน 1", "กลุ่มจังหวัดภาคตะวันออกเฉียงเหนือตอนบน 2"]
    lines = [label_lines(name) for name in names]
    assert lines[0] != lines[1] and all("".join(parts) == name for parts, name in zip(lines, names, strict=True))
    assert all(len(part) <= 38 for parts in lines for part in parts)
    assert label_lines("สงขลา") == ["สงขลา"]
    long = label_lines("ก" * 100)
    assert len(long) == 2 and long[1].startswith("…")


def test_no_thai_line_starts_with_a_mark_or_ends_with_a_leading_vowel():
    for name in ["สำนักงานอุตสาหกรรมจังหวัดพระนครศรีอยุธยาและกลุ่มงานกำกับ", "กั" * 30]:
        first, rest = label_lines(name)
        marks = "ะาำๅๆ\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c"
        assert first[-1] not in "เแโใไ" and rest.lstrip("…")[0] not in marks


def test_office_excel_dates_are_dates_shown_in_the_buddhist_era(client, world):
    Inspection.objects.filter(pk=world.overdue_case.pk).update(closed_at=timezone.now())
    client.force_login(world.people.aps)
    response = client.get(reverse("dashboards:office_xlsx", args=[world.songkhla.pk]))
    book = load_workbook(BytesIO(response.content))
    cases = book.worksheets[2]
    row = next(r for r in cases.iter_rows(min_row=5) if r[0].value == world.overdue_case.ref_no)
    opened, closed, due = row[4], row[6], row[8]
    for cell in (opened, closed, due):
        assert isinstance(cell.value, datetime) and cell.number_format == "[$-107041E]d/m/yyyy"
    assert opened.value == datetime.combine(timezone.localdate(world.overdue_case.created_at), time.min)
    assert cases.page_setup.orientation == "landscape" and cases.print_title_rows == "$4:$4"


@pytest.mark.parametrize("name", ["index", "cluster", "office"])
def test_pages_have_no_inline_script_handler_or_style(client, world, name):
    client.force_login(world.people.deputy)
    args = {"cluster": [world.songkhla.parent_id], "office": [world.songkhla.pk]}.get(name, [])
    html = client.get(reverse(f"dashboards:{name}", args=args)).content.decode()
    content = html[html.index('class="kk-page kk-dash"') :]
    assert "<script" not in content and "<style" not in content
    assert not re.search(r"\sstyle=", content) and not re.search(r"\son[a-z]+=", content)
    assert "kamkap/js/kamkap.js" in html and "kamkap/dashboards.css" in html
    assert "data-kk-autosubmit" in content  # the year and figure pickers submit on choice (kamkap.js)


def test_every_province_with_coordinates_is_placed_and_bangkok_is_said_to_have_none():
    places = provinces_map.places()
    assert len(places) == 77
    unplaced = [p.name_th for p in places.values() if p.lat is None]
    assert unplaced == ["กรุงเทพมหานคร"]
    songkhla, chiang_rai = places[90], places[57]
    assert 6 < songkhla.lat < 8 and 100 < songkhla.lon < 101.5 and chiang_rai.lat > 19


def test_the_map_colours_the_offices_in_scope_and_links_each_to_its_page(client, world):
    client.force_login(world.people.aps)
    html = client.get(reverse("dashboards:index"), {"figure": "orders"}).content.decode()
    section = html[html.index('data-testid="map-section"') :]
    links = re.findall(r'<a href="/dashboards/office/(\d+)/\?fy=\d+" data-testid="map-province">', section)
    offices = {o.pk for o in tracking.visible_offices(world.people.aps)}
    assert links and set(map(int, links)) == offices
    assert "http" not in section.split("</svg>")[0].replace("http://www.w3.org/2000/svg", "")
    assert '<option value="orders" selected>' in section
    assert client.get(reverse("dashboards:index"), {"figure": "nonsense"}).status_code == 404


def test_the_map_colour_follows_the_figure(world):
    board = tracking.ministry_board(world.people.deputy, world.fy)
    drawn = provinces_map.province_map(board, provinces_map.BY_KEY["orders"])
    by_name = {d["name"]: d for d in drawn["dots"] if d["url"]}
    songkhla, lopburi = by_name[world.songkhla.province.name_th], by_name[world.lopburi.province.name_th]
    assert songkhla["value"] == 2 and lopburi["value"] == 1
    assert songkhla["fill"] == provinces_map.BAD_RAMP[-1] and lopburi["fill"] != songkhla["fill"]
