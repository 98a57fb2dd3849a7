"""The dashboard's tables as Excel workbooks (openpyxl, the way workflows.budget.exports builds its
follow-up workbook): the rows on screen with the same figures, Thai headings, BE fiscal year."""

from datetime import datetime

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from org.calendar import format_be
from workflows.spreadsheets import workbook_bytes

from .tracking import Board, Figures, OfficeBoard

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY = "#,##0.00"
PCT = "0.00"
HEAD = Font(name="TH Sarabun New", bold=True)
TITLE = Font(name="TH Sarabun New", bold=True, size=14)
FILL = PatternFill("solid", fgColor="DDE4F0")
MINISTRY_TITLE = gettext_lazy("Ministry of Industry")
# Dates are real date cells (they sort, filter and subtract) shown in the Buddhist era: the locale
# code 107041E is Thai (041E) with calendar 07, Thai Buddhist, so Excel shows 16/11/2569 for
# 16 November 2026; LibreOffice reads the same code as its Buddhist calendar. A program that ignores
# the calendar still has the right date, shown in the Christian era.
BE_DATE = "[$-107041E]d/m/yyyy"


def _blank(value):
    return "" if value is None else value


def figure_columns() -> list[str]:
    return [
        _("Inspections planned"), _("Done of plan"), _("Percent done"), _("Inspections signed off"),
        _("Cases closed"), _("Found compliant"), _("Compliance rate (%)"), _("Open s.37 orders"),
        _("Open s.39 orders"), _("Overdue tasks"), _("Budget projects"), _("Projects behind plan"),
        _("Allocation (baht)"), _("Disbursed (baht)"), _("Disbursed (%)"),
    ]  # fmt: skip


PERCENT_COLUMNS = {2, 6, 14}  # 0-based, within figure_columns()
MONEY_COLUMNS = {12, 13}


def figure_values(f: Figures) -> list:
    return [
        f.planned, f.done, _blank(f.done_pct), f.signed_off, f.closed, f.compliant, _blank(f.compliance_pct),
        f.orders_s37, f.orders_s39, f.overdue, f.projects, f.behind, f.allocation, f.disbursed,
        _blank(f.disbursed_pct),
    ]  # fmt: skip


def _heading(sheet, title: str, board: Board, columns: list[str]) -> None:
    sheet.append([title])
    line = _("Fiscal year %(fy)s") % {"fy": board.fy}
    as_of = board.as_of or board.today  # the worker's last pass, date and time, as the page says
    line += " · " + _("As of %(date)s") % {"date": format_be(as_of, "long", "th")}
    if board.target.pct is not None:
        target = {"q": board.target.quarter, "pct": board.target.pct}
        line += " · " + _("Disbursement target Q%(q)s: %(pct)s%%") % target
    sheet.append([line])
    sheet.append([])
    sheet.append(columns)
    sheet["A1"].font = TITLE
    for cell in sheet[4]:
        cell.font, cell.fill = HEAD, FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    sheet.freeze_panes = "B5"
    _print_setup(sheet)


def _print_setup(sheet) -> None:
    """A4 landscape, every column on one page wide, the heading row repeated on each page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "4:4"


def _date(value):
    """A date cell's value: a local date (an instant as the Bangkok day it fell on), or blank."""
    if value is None:
        return None
    return timezone.localdate(value) if isinstance(value, datetime) else value


def _formats(sheet, first_col: int) -> None:
    for offset in PERCENT_COLUMNS | MONEY_COLUMNS:
        column = first_col + offset
        for (cell,) in sheet.iter_rows(min_row=5, min_col=column, max_col=column):
            cell.number_format = PCT if offset in PERCENT_COLUMNS else MONEY
    sheet.column_dimensions["A"].width = 44
    for column in range(2, sheet.max_column + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 14


def board_workbook(board: Board, *, title: str) -> bytes:
    """The rows of the ministry or cluster page and their total."""
    with translation.override("th"):
        book = Workbook()
        sheet = book.active
        sheet.title = _("Dashboard")
        _heading(sheet, str(title), board, [_("Unit")] + figure_columns())
        for row in board.rows:
            sheet.append([row.unit.name_th] + figure_values(row.figures))  # full names in the workbook
        sheet.append([_("Total")] + figure_values(board.total))
        for cell in sheet[sheet.max_row]:
            cell.font = HEAD
        _formats(sheet, 2)
    return workbook_bytes(book)


def office_workbook(data: OfficeBoard) -> bytes:
    """An office: its figures, its officers' work and its cases."""
    board = data.board
    with translation.override("th"):
        book = Workbook()
        sheet = book.active
        sheet.title = _("Dashboard")
        _heading(sheet, data.office.name_th, board, [_("Unit")] + figure_columns())
        sheet.append([data.office.name_th] + figure_values(data.figures))
        _formats(sheet, 2)

        people = book.create_sheet(_("Officers"))
        _heading(people, data.office.name_th, board, [_("Officer"), _("Position"), _("Open tasks"), _("Overdue tasks"),
                                                      _("Open cases"), _("Signed off this year")])  # fmt: skip
        for officer in data.officers:
            people.append([officer.person.display_name, ", ".join(officer.titles), officer.open_tasks,
                           officer.overdue, officer.open_cases, officer.signed_off])  # fmt: skip
        people.column_dimensions["A"].width = 30
        people.column_dimensions["B"].width = 50

        cases = book.create_sheet(_("Cases"))
        _heading(cases, data.office.name_th, board, [_("Case number"), _("Factory"), _("Reason"), _("Inspector"),
                                                     _("Opened"), _("Outcome"), _("Closed"), _("Order in force"),
                                                     _("Task due"), _("Overdue")])  # fmt: skip
        for case in data.cases:
            cases.append([
                case.ref_no, case.factory.name, case.reason_label,
                case.inspector.display_name if case.inspector else "", _date(case.opened_on),
                case.outcome_label, _date(case.closed_at), _order(case.order_in_force),
                _date(case.due_on), _("Yes") if case.overdue else "",
            ])  # fmt: skip
        for column in DATE_COLUMNS:
            for (cell,) in cases.iter_rows(min_row=5, min_col=column, max_col=column):
                cell.number_format = BE_DATE
            cases.column_dimensions[get_column_letter(column)].width = 12
        cases.column_dimensions["B"].width = 40
    return workbook_bytes(book)


DATE_COLUMNS = (5, 7, 9)  # opened, closed, task due (1-based) on the cases sheet


def _order(kind: str | None) -> str:
    from workflows.inspection.models import OrderKind

    return str(OrderKind(kind).label) if kind else ""
