"""Ledger workbooks in the layout staff keep by hand: a title row, the unit and as-of date, a bold bordered header,
column widths, a frozen header, A4 landscape with the header repeated on every printed page.

Written in openpyxl's write-only mode, so memory stays flat however many rows are streamed in. Every value passes
through `safe_cell` (formula neutralisation).
"""

import io
from collections.abc import Iterable
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from .spreadsheet import safe_cell

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
WRAP = Alignment(wrap_text=True, vertical="top")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ExportColumn:
    header: str
    width: int = 14
    wrap: bool = False


def write_ledger(sheet_title: str, title: str, subtitle: str, columns: list[ExportColumn], rows: Iterable[list]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    last = get_column_letter(len(columns))
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    sheet.merged_cells.add(f"A1:{last}1")
    sheet.merged_cells.add(f"A2:{last}2")

    def cell(value, **style):
        c = WriteOnlyCell(sheet, value=safe_cell(value))
        for name, val in style.items():
            setattr(c, name, val)
        return c

    sheet.append([cell(title, font=Font(name="宋体", size=16, bold=True), alignment=Alignment(horizontal="center"))])
    sheet.append([cell(subtitle, font=Font(name="宋体", size=10), alignment=Alignment(horizontal="left"))])
    sheet.append([cell(c.header, font=Font(name="黑体", bold=True), fill=HEADER_FILL, border=BORDER,
                       alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)) for c in columns])
    for row in rows:
        sheet.append([cell(value, border=BORDER, alignment=WRAP if column.wrap else Alignment(vertical="top"))
                      for column, value in zip(columns, row, strict=True)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
