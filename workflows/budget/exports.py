"""The Excel follow-up workbook in the shape of the Budget Bureau's plan-vs-result forms
(สงป.301/302 style): per project, the disbursement plan and result by month and cumulative by
quarter, and the physical progress plan and result. Built with openpyxl from selectors.Status rows."""

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from org.calendar import MONTHS_TH_SHORT, be_year
from workflows.spreadsheets import workbook_bytes

from . import plan
from .models import BudgetSource

MONEY = "#,##0.00"
PCT = "0.00"
HEAD = Font(name="TH Sarabun New", bold=True)
FILL = PatternFill("solid", fgColor="DDE4F0")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _month(m) -> str:
    return f"{MONTHS_TH_SHORT[m.month - 1]} {str(be_year(m.year))[-2:]}"


def _source(status) -> tuple[str, str]:
    lines = list(status.project.lines.all())
    sources = sorted({line.get_source_display() for line in lines})
    owners = sorted({line.owner_agency for line in lines if line.source != BudgetSource.OWN and line.owner_agency})
    return ", ".join(sources), ", ".join(owners)


def _blank(value):
    return "" if value is None else value


def _total_row(statuses: list) -> list:
    """Sums of every amount column; the quarter percentages of the summed allocation."""
    allocation = sum((s.allocation for s in statuses), plan.ZERO)
    row = ["", _("Total"), "", "", "", allocation]
    for index in range(12):
        planned = sum((s.rows[index].planned for s in statuses), plan.ZERO)
        results = [s.rows[index].disbursed for s in statuses if s.rows[index].disbursed is not None]
        row += [planned, sum(results, plan.ZERO) if results else ""]
    for q in (1, 2, 3, 4):
        ends = [s.rows[q * 3 - 1] for s in statuses]
        planned = sum((e.planned_cumulative for e in ends), plan.ZERO)
        results = [e.disbursed_cumulative for e in ends if e.disbursed_cumulative is not None]
        result = sum(results, plan.ZERO) if results else None
        row += [planned, _blank(result), _blank(plan.pct(result, allocation) if result is not None else None)]
    return row


def _header(sheet, title: str, office: str, fy: int, columns: list[str]) -> None:
    sheet.append([title])
    sheet.append([_("Office: %(office)s") % {"office": office}, "", _("Fiscal year %(fy)s") % {"fy": fy}])
    sheet.append([])
    sheet.append(columns)
    for cell in sheet[4]:
        cell.font, cell.fill = HEAD, FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    sheet["A1"].font = Font(name="TH Sarabun New", bold=True, size=14)
    sheet.freeze_panes = "C5"


def workbook(*, office_name: str, fy: int, statuses: list) -> bytes:
    """Two sheets: disbursement (สงป.302 style) and physical progress (สงป.301 style)."""
    months = plan.fiscal_months(fy)
    with translation.override("th"):
        book = Workbook()
        money = book.active
        money.title = _("Disbursement")
        fixed = [_("No."), _("Project"), _("Budget source"), _("Owner agency"), _("Provisional budget"),
                 _("Allocation (baht)")]  # fmt: skip
        monthly = [f"{label} {_month(m)}" for m in months for label in (_("Plan"), _("Result"))]
        quarterly = [f"{label} Q{q}" for q in (1, 2, 3, 4) for label in (_("Cumulative plan"), _("Cumulative result"),
                                                                         _("Percent of allocation"))]  # fmt: skip
        _header(money, _("Plan and result of budget disbursement"), office_name, fy, fixed + monthly + quarterly)
        for number, status in enumerate(statuses, start=1):
            source, owner = _source(status)
            provisional = _("Yes") if status.provisional else ""
            row = [
                number,
                f"{status.project.code} {status.project.title}",
                source,
                owner,
                provisional,
                status.allocation,
            ]
            for month_row in status.rows:
                row += [month_row.planned, _blank(month_row.disbursed)]
            for q in (1, 2, 3, 4):
                end = status.rows[q * 3 - 1]
                row += [end.planned_cumulative, _blank(end.disbursed_cumulative), _blank(end.disbursed_pct)]
            money.append(row)
        money.append(_total_row(statuses))
        for cell in money[money.max_row]:
            cell.font = HEAD
        first_quarter = len(fixed) + len(monthly) + 1  # 1-based column of "cumulative plan Q1"
        for column in range(len(fixed), money.max_column + 1):
            percent = column >= first_quarter and (column - first_quarter) % 3 == 2
            for (cell,) in money.iter_rows(min_row=5, min_col=column, max_col=column):
                cell.number_format = PCT if percent else MONEY
        money.column_dimensions["B"].width = 48
        for column in range(3, money.max_column + 1):
            money.column_dimensions[get_column_letter(column)].width = 14

        progress = book.create_sheet(_("Physical progress"))
        columns = [_("No."), _("Project")] + [
            f"{label} {_month(m)}" for m in months for label in (_("Plan"), _("Result"))
        ]
        _header(progress, _("Plan and result of physical progress (%)"), office_name, fy, columns)
        for number, status in enumerate(statuses, start=1):
            row = [number, f"{status.project.code} {status.project.title}"]
            for month_row in status.rows:
                row += [month_row.planned_progress if month_row.planned_progress is not None else "",
                        month_row.progress if month_row.progress is not None else ""]  # fmt: skip
            progress.append(row)
        progress.column_dimensions["B"].width = 48
    return workbook_bytes(book)
