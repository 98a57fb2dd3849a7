"""The one way a workbook leaves Kamkap: every text cell that a spreadsheet program would read as a
formula (it starts with =, +, -, @, a tab or a carriage return) is written as text, so a factory name
such as `=HYPERLINK(...)` reaches an executive's Excel as the name it is, never as a live formula."""

from io import BytesIO

from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text(cell) -> None:
    """Store the cell's value as a string and mark it so (Excel's leading apostrophe)."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


def workbook_bytes(book: Workbook) -> bytes:
    """The .xlsx file of `book`, every sheet's text cells written as text."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                as_text(cell)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
