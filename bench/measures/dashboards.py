"""The executive dashboards of issue 19 through the whole Django stack (test client, logged in as the
deputy PS, as the other pages are measured): the ministry page, the office page of the busiest office
in the deputy PS's scope (Songkhla, the bench inboxes' office, excepted) and that office's visit
briefing PDF. The last whole fiscal year is asked
for (`?fy=`): the current one is a few weeks old in the generated history, the last one holds a
year of cases. The summary tables are those bench/seed/build.py rebuilt after the generation."""

from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from org.calendar import fiscal_year
from permissions import access
from workflows.inspection.models import Inspection

from ..timing import kinds, seconds, statements, timed
from .pdf import page_count


def _page(user, url: str, content_type: str = "text/html"):
    client = Client()
    client.force_login(user)

    def get():
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith(content_type):
            raise RuntimeError(f"{url} answered {response.status_code} {response['Content-Type']} for {user.username}")
        return response

    return get


def busiest_office(user, besides: int) -> int:
    """The office in `user`'s scope holding the most cases, `besides` excepted (one query, not timed)."""
    offices = access.visible_offices(user).exclude(pk=besides).values("pk")
    rows = Inspection.objects.filter(office__in=offices).values("office").annotate(n=Count("pk")).order_by("-n")
    return rows[0]["office"]


def measure(cast) -> tuple[dict, dict]:
    deputy = cast.deputy_ps
    fy = fiscal_year(timezone.localdate()) - 1
    # Not Songkhla: its bench inboxes (--inbox open tasks on one inspector, all past due) are no real
    # office's, and the briefing lists every overdue task (45 pages at the 20,000-case default).
    office = busiest_office(deputy, besides=cast.songkhla.office_id)
    ministry = _page(deputy, f"{reverse('dashboards:index')}?fy={fy}")
    office_page = _page(deputy, f"{reverse('dashboards:office', args=[office])}?fy={fy}")
    briefing = _page(deputy, f"{reverse('dashboards:briefing', args=[office])}?fy={fy}", "application/pdf")
    first = timed(ministry)  # the first request: the dashboards' caches of this process are empty
    figures = {
        "dashboard_ms": seconds(ministry).scaled(1000),
        "office_dashboard_ms": seconds(office_page).scaled(1000),
        "briefing_pdf_s": seconds(briefing).scaled(1, 3),
    }
    sql, office_sql = statements(ministry), statements(office_page)
    figures["dashboard_queries"] = len(sql)
    pdf = briefing().content
    slowest = max(sql, key=lambda q: float(q["time"]))
    evidence = {
        "dashboards: fiscal year, office": f"{fy}, office {office} "
        f"({Inspection.objects.filter(office=office).count():,} cases; the deputy PS sees "
        f"{access.visible_offices(deputy).count()} offices)",
        "ministry dashboard statements by kind": kinds(sql),
        "ministry dashboard slowest statement": f"{float(slowest['time']) * 1000:.0f} ms: {slowest['sql'][:160]}…",
        "office dashboard statements": len(office_sql),
        "ministry dashboard's first request in this process, ms": round(first * 1000),
        "briefing": f"{page_count(pdf)} pages, {len(pdf) // 1024} kB",
    }
    return figures, evidence
