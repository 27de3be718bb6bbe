"""Opening an uploaded workbook: the first visible sheet's title, its rows of cell values, its date epoch.

Whole sheets are read with python-calamine (about ten times openpyxl's speed on a 100,000-row sheet), its values
brought to what openpyxl gives so the cell parsers see one thing: '' → None, a whole float → int, a date →
datetime at midnight. .xls files go through calamine too (xlrd only names their date epoch). Where calamine still
differs, on purpose: an error cell (#N/A) reads as blank, as xlrd always did (openpyxl gave the text "#N/A"); and
whitespace-only text may come back as '' — blank either way.

The quick look before a job is queued (`open_top`) streams only the top rows with openpyxl: calamine loads the
whole sheet before its first row, seconds for a large file.
"""

import io
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any

import python_calamine
from openpyxl import load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.functions import iterparse

from ..errors import Invalid
from .upload import damaged, is_xls

EXACT_INTEGERS = 2**53


def _sheet_size_from_dimension(self) -> None:
    """openpyxl's read-only sheet looks for <dimension> on opening, using end events: on a sheet without one (any
    file openpyxl wrote in write-only mode, e.g. our own 100,000-row exports) that parses the whole sheet before the
    first row is read — twenty seconds for a large ledger, on every open. Same answer, stopping at <sheetData>."""
    source = self._get_source()
    try:
        for _event, element in iterparse(source, events=("start",)):
            if element.tag == DIMENSION_TAG:
                dimensions = SheetDimension.from_tree(element).boundaries
                if dimensions is not None:
                    self._min_column, self._min_row, self._max_column, self._max_row = dimensions
                return
            if element.tag == DATA_TAG:
                return
    finally:
        source.close()


ReadOnlyWorksheet._get_size = _sheet_size_from_dimension


def _as_openpyxl(value: Any) -> Any:
    kind = type(value)
    if kind is str:
        return value or None
    if kind is float:
        return int(value) if value.is_integer() and abs(value) < EXACT_INTEGERS else value
    if kind is date:
        return datetime.combine(value, time.min)
    return value


class Book:
    """The first visible sheet of an upload: `title`, `rows` (tuples of cell values, from row 1), `epoch`."""

    title: str
    rows: Iterator[tuple]
    epoch: datetime
    row_count: int = 0  # as the workbook says, for progress; 0 when unknown

    def close(self) -> None:
        pass


class CalamineBook(Book):
    def __init__(self, data: bytes, name: str):
        try:
            workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            visible = [sheet.name for sheet in workbook.sheets_metadata
                       if sheet.visible == python_calamine.SheetVisibleEnum.Visible
                       and sheet.typ == python_calamine.SheetTypeEnum.WorkSheet]
        except Exception:  # damaged files raise many kinds; all mean the same to the person uploading
            raise damaged(name) from None
        if not visible:
            raise Invalid(f"文件“{name}”中没有可见的工作表。")
        self.title = visible[0]
        try:
            self._sheet = workbook.get_sheet_by_name(self.title)
            self.row_count = self._sheet.end[0] + 1 if self._sheet.end else 0
            self.epoch = _epoch(data)
        except Exception:
            raise damaged(name) from None
        self.rows = self._rows()

    def _rows(self) -> Iterator[tuple]:
        """Rows numbered as in Excel. calamine (0.9) yields every row from the first, but each from the first used
        column: the columns to its left are put back as blanks (tests/test_excel_reading.py holds it to that)."""
        lead = (None,) * (self._sheet.start or (0, 0))[1]
        for cells in self._sheet.iter_rows():
            yield lead + tuple(_as_openpyxl(value) for value in cells)


def _epoch(data: bytes) -> datetime:
    """The workbook's date system: serial numbers in plain number cells count from 1900, or from 1904 (old Mac)."""
    if is_xls(data):
        import xlrd

        book = xlrd.open_workbook(file_contents=data, on_demand=True)
        try:
            return CALENDAR_MAC_1904 if book.datemode == 1 else CALENDAR_WINDOWS_1900
        finally:
            book.release_resources()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        head = archive.read("xl/workbook.xml")[:4000].decode("utf-8", "replace")
    return CALENDAR_MAC_1904 if re.search(r"date1904=\"(1|true)\"", head) else CALENDAR_WINDOWS_1900


class OpenpyxlTop(Book):
    """The first visible sheet of an .xlsx streamed by openpyxl: for a look at the top rows only."""

    def __init__(self, data: bytes, name: str):
        try:
            # data_only: a formula cell gives its cached value, nothing is ever calculated.
            self._workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:
            raise damaged(name) from None
        visible = [ws for ws in self._workbook.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
        if not visible:
            self._workbook.close()
            raise Invalid(f"文件“{name}”中没有可见的工作表。")
        sheet = visible[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # some generators write wrong <dimension>s; read to the real end instead
        self.title, self.epoch = sheet.title, getattr(self._workbook, "epoch", CALENDAR_WINDOWS_1900)
        self.rows = (tuple(None if value == "" else value for value in cells)
                     for cells in sheet.iter_rows(values_only=True))

    def close(self) -> None:
        self._workbook.close()


def open_book(data: bytes, name: str) -> Book:
    """The whole first visible sheet, fast (calamine), for reading every row."""
    return CalamineBook(data, name)


def open_top(data: bytes, name: str) -> Book:
    """The first visible sheet, streamed from the top (openpyxl; calamine for .xls, which openpyxl cannot read)."""
    return CalamineBook(data, name) if is_xls(data) else OpenpyxlTop(data, name)
