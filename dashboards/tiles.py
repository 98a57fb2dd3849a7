"""The "at a glance" tiles above a dashboard: the fiscal year so far in a few figures, each linking to
the list behind it. Built from the page's own Figures (dashboards.tracking), so they cost no query.

Where a figure has nothing to be computed from it says so ("—" and a line why), never a made-up 0%."""

from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .tracking import Board, Figures, OfficeBoard

GOOD, BAD, PLAIN = "good", "bad", "plain"


@dataclass(frozen=True)
class Tile:
    key: str
    label: str
    value: str  # the big figure ("62%", "3 / 5", "—")
    detail: str  # one line under it
    url: str
    tone: str = PLAIN  # GOOD, BAD or PLAIN (a coloured edge, with the words saying the same)


@dataclass(frozen=True)
class Glance:
    tiles: list[Tile]
    empty: bool  # the year has nothing recorded yet: a summary line instead of zeros
    fy: int
    previous_fy: int


def _pct(value: Decimal | None, places: int = 0) -> str:
    return "—" if value is None else f"{value:.{places}f}%"


def tiles_for(f: Figures, board: Board, links: dict[str, str]) -> Glance:
    fy = board.fy
    q = f"?fy={fy}"
    target = board.target
    disbursed_tone = PLAIN
    if f.disbursed_pct is not None and target.pct is not None:
        disbursed_tone = GOOD if f.disbursed_pct >= target.pct else BAD
    if target.pct is not None:
        target_line = _("target at the end of Q%(q)s: %(pct)s%%") % {"q": target.quarter, "pct": f"{target.pct:.0f}"}
    else:
        target_line = _("no quarter of the year has ended yet")
    tiles = [
        Tile("plan", _("Inspections done of plan"), _pct(f.done_pct),
             _("%(done)s of %(planned)s planned") % {"done": f.done, "planned": f.planned} if f.planned
             else _("no approved plan for the year"), links["plan"]),
        Tile("compliance", _("Compliance"), _pct(f.compliance_pct, 1),
             _("%(ok)s of %(closed)s cases closed this year") % {"ok": f.compliant, "closed": f.closed} if f.closed
             else _("no case closed this year"), links["compliance"]),
        Tile("orders", _("Orders in force"), str(f.orders_open),
             ngettext("%(n)s past its deadline", "%(n)s past their deadline", f.orders_overdue)
             % {"n": f.orders_overdue},
             links["orders"], BAD if f.orders_overdue else PLAIN),
        Tile("complaints", _("Complaints answered in time"), _pct(f.in_time_pct),
             _("%(ok)s of %(n)s answered by the due date") % {"ok": f.answered_in_time, "n": f.answered} if f.answered
             else _("no complaint answered this year"), links["complaints"],
             BAD if f.answered and f.answered_in_time < f.answered else PLAIN),
        Tile("reports", _("Progress reports late"), str(f.reports_late),
             _("of %(n)s monthly project reports due") % {"n": f.reports_due} if f.reports_due
             else _("no project report due yet"), links["budget"] + q, BAD if f.reports_late else PLAIN),
        Tile("behind", _("Projects behind plan"), str(f.behind),
             _("of %(n)s approved projects") % {"n": f.projects} if f.projects else _("no approved project"),
             links["budget"] + q, BAD if f.behind else PLAIN),
        Tile("disbursed", _("Disbursed of allocation"), _pct(f.disbursed_pct, 1), target_line,
             links["budget"] + q, disbursed_tone),
    ]  # fmt: skip
    return Glance(tiles, f.is_empty, fy, fy - 1)


def board_tiles(board: Board) -> Glance:
    """The ministry's or a cluster's tiles: plans, closed cases, complaints and projects of the offices
    in scope; the orders tile points at the table of offices below."""
    links = {
        "plan": reverse("planning:list"),
        "compliance": reverse("inspection:archive"),
        "orders": "#units",
        "complaints": reverse("complaints:list"),
        "budget": reverse("budget:cluster"),
    }
    return tiles_for(board.total, board, links)


def office_tiles(data: OfficeBoard) -> Glance:
    office = data.office.pk
    links = {
        "plan": reverse("planning:list"),
        "compliance": f"{reverse('inspection:archive')}?office={office}",
        "orders": "#cases",
        "complaints": reverse("complaints:list"),
        "budget": reverse("budget:office", args=[office]),
    }
    return tiles_for(data.figures, data.board, links)
