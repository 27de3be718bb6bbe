"""Ledger workbooks in the layout staff keep by hand: a title row, the unit and as-of date, a bold bordered header
(two levels when columns are grouped: the group's name merged over its sub-headers, ungrouped headers merged down
across both rows), column widths, a frozen header, A4 landscape with the header rows repeated on every printed page.

Written with XlsxWriter in constant-memory mode, so memory stays flat however many rows are streamed in: each row goes
to a temporary file as soon as the next one starts, and the workbook is zipped to the target on `save`. (Measured
against openpyxl's write-only mode on the same 100,000 rows, XlsxWriter took half the CPU time, and a quarter with
`LedgerSheet`'s quick path for plain cells; figures in bench/README.md.) Every value passes through `safe_cell` (formula neutralisation) and is written as what it is —
text as text, never parsed as a formula, number or link.

    book = LedgerWorkbook()
    n = book.add_sheet("问题台账", "城西区民政局七查七摆问题整改台账", "填报单位：…　截至日期：…", COLUMNS, rows())
    book.save(path)                     # a path or a binary file object

A filtered export states its filters on the unit/as-of row: each ledger's exporter passes
`describe_filters(actor, filters, …)` to `ledger_heading` ("筛选条件：关键词“走查”；状态：整改中"), and the export
job's name gets "（已筛选）" from the same description (jobs/export_views.py).
"""

import contextlib
import dataclasses
import io
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import xlsxwriter
from django.utils import timezone
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import (
    CellBlankTuple,
    CellDatetimeTuple,
    CellNumberTuple,
    CellStringTuple,
    Worksheet,
)

from .audit import EventType, record_event
from .scope import units_in_scope
from .spreadsheet import FORMULA_PREFIXES, safe_cell

BORDER = {"border": 1, "border_color": "#808080"}
BODY = {"font_name": "宋体", "font_size": 10, "valign": "top"} | BORDER
HEADER = ({"font_name": "黑体", "font_size": 10, "bold": True, "pattern": 1, "bg_color": "#DDE6F0", "align": "center",
           "valign": "vcenter", "text_wrap": True} | BORDER)
TITLE = {"font_name": "宋体", "font_size": 16, "bold": True, "align": "center", "valign": "vcenter"}
SUBTITLE = {"font_name": "宋体", "font_size": 10, "align": "left"}
DATE_FORMAT, DATETIME_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
LINE_HEIGHT = 13.5  # points per line of 10 pt text
MAX_ROW_HEIGHT = 409  # Excel's limit
DIGIT_PIXELS = 7  # XlsxWriter stores a column's width as pixels / 7 (Calibri 11's digit): the width is given so
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
A4, A3 = 9, 8  # Excel's paper size codes
PROGRESS_EVERY = 500  # rows between progress callbacks


@dataclass(frozen=True)
class ExportColumn:
    header: str
    width: int = 14
    wrap: bool = False
    group: str = ""  # consecutive columns with the same group share a merged upper header


def header_spans(columns: list[ExportColumn]) -> list[tuple[str, int, int]]:
    """(group, first, last) 1-based column runs; an ungrouped column is its own run with group ""."""
    spans: list[tuple[str, int, int]] = []
    for index, column in enumerate(columns, start=1):
        if column.group and spans and spans[-1][0] == column.group and spans[-1][2] == index - 1:
            spans[-1] = (column.group, spans[-1][1], index)
        else:
            spans.append((column.group, index, index))
    return spans


# Text XlsxWriter would rewrite on its way out: control characters and "_xHHHH_" look-alikes (escaped), XML's
# special characters, non-characters, and leading or trailing white space (kept with xml:space).
NEEDS_CARE = re.compile(r'[\x00-\x1f&<>"_\ufffe\uffff]|^\s|\s$')


class LedgerSheet(Worksheet):
    """XlsxWriter's worksheet, writing the common cells of a ledger row — plain text, numbers, dates, blanks, each
    with its format — in one step instead of XlsxWriter's general path (eight regular expressions a text cell): that
    path was half the time of a 100,000-row export. The XML is the same byte for byte (a test compares the two);
    anything else (text that needs escaping, other cell kinds) still goes through XlsxWriter's own code."""

    _columns: dict[int, str] = {}

    def _write_cell(self, row: int, col: int, cell) -> None:
        cell_format = cell.format
        if cell_format is None or not self.constant_memory:
            return super()._write_cell(row, col, cell)
        kind = cell.__class__
        name = self._columns.get(col) or self._columns.setdefault(col, xl_col_to_name(col))
        if kind is CellStringTuple:
            if NEEDS_CARE.search(cell.string):
                return super()._write_cell(row, col, cell)
            self.fh.write(f'<c r="{name}{row + 1}" s="{cell_format._get_xf_index()}" t="inlineStr"><is><t>'
                          f"{cell.string}</t></is></c>")
        elif kind is CellNumberTuple or kind is CellDatetimeTuple:
            self.fh.write(f'<c r="{name}{row + 1}" s="{cell_format._get_xf_index()}"><v>{cell.number:.16G}</v></c>')
        elif kind is CellBlankTuple:
            self.fh.write(f'<c r="{name}{row + 1}" s="{cell_format._get_xf_index()}"/>')
        else:
            super()._write_cell(row, col, cell)
        return None


def _new_workbook() -> xlsxwriter.Workbook:
    # The target is named on save (`filename` is set then); values are written by type, never guessed from text.
    return xlsxwriter.Workbook(None, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                     "strings_to_numbers": False})


class LedgerWorkbook:
    """Several ledger sheets in one constant-memory workbook."""

    def __init__(self):
        self.workbook = _new_workbook()
        self._titles: set[str] = set()
        self._formats: dict[str, object] = {}

    def _format(self, name: str, properties: dict):
        if name not in self._formats:
            self._formats[name] = self.workbook.add_format(properties)
        return self._formats[name]

    def _sheet_title(self, wanted: str) -> str:
        base = (wanted or "Sheet")[:31]
        for bad in "[]:*?/\\":
            base = base.replace(bad, "_")
        base = base.strip("'") or "Sheet"  # Excel refuses a name that starts or ends with an apostrophe
        title, n = base, 2
        while title.lower() in self._titles:  # Excel compares sheet names case-insensitively
            suffix = f"({n})"
            title, n = base[: 31 - len(suffix)] + suffix, n + 1
        self._titles.add(title.lower())
        return title

    def add_sheet(self, sheet_title: str, title: str, subtitle: str, columns: list[ExportColumn], rows: Iterable,
                  *, progress: Callable[[int], None] | None = None, paper: int = A4) -> int:
        """Write one ledger sheet; `rows` yields one list of values per data row (len(columns) values).

        `progress(rows_written)` is called every PROGRESS_EVERY rows and once at the end. Returns the rows written.
        """
        if not columns:
            raise ValueError("a ledger sheet needs columns")
        sheet = self.workbook.add_worksheet(self._sheet_title(sheet_title), worksheet_class=LedgerSheet)
        last = len(columns) - 1
        two_levels = any(column.group for column in columns)
        header_rows = 2 if two_levels else 1
        first_data_row = 2 + header_rows  # 0-based, as XlsxWriter counts
        for index, column in enumerate(columns):
            sheet.set_column_pixels(index, index, column.width * DIGIT_PIXELS)
        sheet.freeze_panes(first_data_row, 0)
        sheet.repeat_rows(2, 1 + header_rows)
        sheet.set_landscape()
        sheet.set_paper(paper)  # A4, or A3 for a wide ledger (the clue ledger) so its type stays readable
        sheet.fit_to_pages(1, 0)
        # Every printed page says which it is: 第 n 页，共 m 页.
        sheet.set_footer("&C第 &P 页，共 &N 页")
        sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        sheet.center_horizontally()

        # Rows are final once the next one starts (constant memory), so everything is written in row order.
        sheet.set_row(0, 30)
        self._merge_across(sheet, 0, last, title, self._format("title", TITLE))
        self._merge_across(sheet, 1, last, subtitle, self._format("subtitle", SUBTITLE))
        header = self._format("header", HEADER)
        if two_levels:
            spans = header_spans(columns)
            for group, first, end in spans:
                if group:
                    sheet.merge_range(2, first - 1, 2, end - 1, safe_cell(group), header)
                else:
                    sheet.write(2, first - 1, safe_cell(columns[first - 1].header), header)
            for group, first, end in spans:
                for index in range(first - 1, end):
                    sheet.write(3, index, safe_cell(columns[index].header) if group else None, header)
            # An ungrouped header spans both rows. merge_range would write its lower cell while the upper row is
            # still open, which constant-memory mode cannot take back: the cells are written above, and the
            # ranges are recorded here, where XlsxWriter keeps them until the sheet is saved.
            sheet.merge.extend([2, first - 1, 3, first - 1] for group, first, _ in spans if not group)
        else:
            for index, column in enumerate(columns):
                sheet.write(2, index, safe_cell(column.header), header)

        try:
            return self._append_rows(sheet, columns, rows, progress, first_data_row)
        except BaseException:
            self.discard()  # a failed export leaves no half-written temporary files behind in the worker
            raise

    @staticmethod
    def _merge_across(sheet, row: int, last: int, value: str, cell_format) -> None:
        if last > 0:
            sheet.merge_range(row, 0, row, last, safe_cell(value), cell_format)
        else:
            sheet.write(row, 0, safe_cell(value), cell_format)

    def _append_rows(self, sheet, columns, rows, progress, first_row: int) -> int:
        width = len(columns)
        # One format per column and kind of value, made once: the row loop only picks them.
        plain, day, moment = [], [], []
        for column in columns:
            kind = "wrap" if column.wrap else "top"
            properties = BODY | {"text_wrap": column.wrap}
            plain.append(self._format(kind, properties))
            day.append(self._format(f"{kind}-date", properties | {"num_format": DATE_FORMAT}))
            moment.append(self._format(f"{kind}-datetime", properties | {"num_format": DATETIME_FORMAT}))
        wrapped = _wrapped_columns(columns)
        write_string, write_number, write_blank = sheet.write_string, sheet.write_number, sheet.write_blank
        write_datetime, write_boolean = sheet.write_datetime, sheet.write_boolean
        # XlsxWriter keeps every set_row height (twice) until the sheet is saved, even for rows already written
        # out; the heights of written rows are dropped as the rows go, so memory stays flat.
        row_info, row_sizes = sheet.row_info, sheet.row_sizes
        written = 0
        row_index = first_row
        for row in rows:
            values = row if row.__class__ is list else list(row)
            if len(values) != width:
                raise ValueError(f"row {written + 1} has {len(values)} values for {width} columns")
            # Wrapped text gets its row height written out: not every spreadsheet program (WPS, LibreOffice)
            # grows a row to its wrapped text by itself.
            height = _wrapped_height(wrapped, values)
            if height:
                sheet.set_row(row_index, height)
            for col, value in enumerate(values):
                # Dispatch on the exact type first: the common cases cost one dict-free comparison each.
                kind = value.__class__
                if kind is str:
                    if not value:
                        write_blank(row_index, col, None, plain[col])
                    elif value.startswith(FORMULA_PREFIXES):
                        write_string(row_index, col, "'" + value, plain[col])
                    else:
                        write_string(row_index, col, value, plain[col])
                elif value is None:
                    write_blank(row_index, col, None, plain[col])
                elif kind is int or kind is float:
                    write_number(row_index, col, value, plain[col])
                elif kind is date:
                    write_datetime(row_index, col, value, day[col])
                elif isinstance(value, datetime):
                    if value.tzinfo is not None:
                        value = timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
                    write_datetime(row_index, col, value, moment[col])
                elif isinstance(value, bool):
                    write_boolean(row_index, col, value, plain[col])
                elif isinstance(value, int | float | Decimal):
                    write_number(row_index, col, float(value), plain[col])
                elif isinstance(value, date):
                    write_datetime(row_index, col, value, day[col])
                else:  # lazy translations, enums: what the page would show
                    write_string(row_index, col, safe_cell(str(value)), plain[col])
            row_info.pop(row_index - 1, None)  # the previous row went to disk when this one started
            row_sizes.pop(row_index - 1, None)
            row_index += 1
            written += 1
            if progress is not None and written % PROGRESS_EVERY == 0:
                progress(written)
        if progress is not None:
            progress(written)
        return written

    def discard(self) -> None:
        """Close and remove the sheets' temporary files (each constant-memory sheet streams its rows to one)."""
        for sheet in self.workbook.worksheets():
            name = getattr(sheet, "row_data_filename", None)
            with contextlib.suppress(Exception):  # already broken: only the cleanup matters
                sheet._opt_close()
            if name:
                with contextlib.suppress(OSError):
                    os.unlink(name)
        self.workbook = _new_workbook()
        self._titles.clear()
        self._formats.clear()

    def save(self, target) -> None:
        """Write the workbook to a path or a binary file object. A workbook can be saved once."""
        if not self.workbook.worksheets():
            self.workbook.add_worksheet("Sheet")
        self.workbook.filename = target
        self.workbook.close()


def export_ledger_file(actor, target, *, ledger_name: str, sheet: str, columns: list[ExportColumn], rows: Iterable[list],
                       total: int, report: Callable[[int, str], None] | None, action: str, filters: str = "",
                       note: str = "不含敏感字段") -> dict:
    """The usual ledger export: one sheet headed for the exporter's unit (and the filters, if any) streamed to `target`
    with progress, then one audit event with the row count. Returns the job's result."""
    if report:
        report(3, f"共 {total:,} 行，正在写入…")
    title, subtitle = ledger_heading(actor, ledger_name, filters)
    book = LedgerWorkbook()
    written = book.add_sheet(sheet, title, subtitle, columns, rows, progress=row_progress(report, total))
    if report:
        report(97, "正在保存文件…")
    book.save(target)
    record_event(EventType.EXPORT, actor=actor, action=action, detail=f"导出{sheet} {written} 行（{note}）")
    return {"rows": written, "masked": False, "message": f"已导出 {written:,} 行"}


def write_ledger(sheet_title: str, title: str, subtitle: str, columns: list[ExportColumn], rows: Iterable[list]) -> bytes:
    """One ledger sheet as bytes (for small, synchronous outputs; large exports write to a file via LedgerWorkbook)."""
    book = LedgerWorkbook()
    book.add_sheet(sheet_title, title, subtitle, columns, rows)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def text_width(text: str) -> int:
    """Display width in Excel's column units: a Chinese character takes two (as GBK takes two bytes)."""
    return len(text.encode("gbk", errors="replace"))


def row_height(columns: list[ExportColumn], values: list) -> float | None:
    """The height (points) a row of wrapped text needs, or None when one line is enough."""
    return _wrapped_height(_wrapped_columns(columns), values)


def _wrapped_columns(columns: list[ExportColumn]) -> list[tuple[int, int]]:
    """(index, usable width) of the columns that wrap: a line holds the column's width less one unit of margin."""
    return [(index, max(column.width - 1, 1)) for index, column in enumerate(columns) if column.wrap]


def _wrapped_height(wrapped: list[tuple[int, int]], values) -> float | None:
    lines = 1
    for index, usable in wrapped:
        value = values[index]
        # A character is at most two width units: shorter text fits one line without measuring it.
        if value.__class__ is str and len(value) * 2 > usable:
            if "\n" in value:
                needed = sum(max(1, -(-text_width(part) // usable)) for part in value.split("\n"))
            else:
                needed = -(-text_width(value) // usable)
            if needed > lines:
                lines = needed
    if lines == 1:
        return None
    return min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + 3)


def issuing_name(unit) -> str:
    """A unit's proper name on paper: an office named for its parent's short form ("局扫黑办" under 市民政局) is
    written with the parent's name ("市民政局扫黑办"); any other unit by its own name."""
    if unit is None:
        return ""
    if unit.name.startswith("局") and getattr(unit, "depth", 1) > 1:
        parent = type(unit).objects.filter(path=unit.path[:-unit.steplen]).first()  # the tree's parent
        if parent is not None:
            return parent.name + unit.name[1:]
    return unit.name


def ledger_heading(actor, ledger_name: str, filters: str = "") -> tuple[str, str]:
    """The title row ("城西区民政局七查七摆问题整改台账") and the unit / as-of date row for the exporter's unit (by its
    proper name: 市民政局扫黑办, not 局扫黑办); a filtered export says so on that row (`filters` from
    `describe_filters`), so it never passes for the whole ledger."""
    unit = issuing_name(actor.unit) if getattr(actor, "unit_id", None) else ""
    today = timezone.localdate()
    subtitle = f"填报单位：{unit}　　　截至日期：{today:%Y年%m月%d日}"
    return f"{unit}{ledger_name}", f"{subtitle}　　　{filters}" if filters else subtitle


NOT_FILTERS = frozenset({"errors", "sort"})  # fields of a list's filters object that do not narrow it


def set_filters(filters, *, skip: Iterable[str] = ()) -> list[str]:
    """The names of the fields of a list's filters dataclass that are set away from their defaults."""
    names = []
    for spec in dataclasses.fields(filters):
        if spec.name in NOT_FILTERS or spec.name in skip:
            continue
        if spec.default is not dataclasses.MISSING:
            default = spec.default
        elif spec.default_factory is not dataclasses.MISSING:
            default = spec.default_factory()
        else:
            default = None
        value = getattr(filters, spec.name)
        if value not in (None, "", False) and value != default:
            names.append(spec.name)
    return names


def describe_filters(actor, filters, *, permission: str, labels: Mapping[str, str] | None = None,
                     values: Mapping[str, Mapping | Callable] | None = None, skip: Iterable[str] = ()) -> str:
    """"筛选条件：关键词“走查”；状态：整改中" for the filters that are set, "" when none is.

    Names read as on the list (`filter_label`, or `labels`; a flag's label is the whole phrase, "只看逾期"); a value is
    looked up in `values` (the choices, or a function of the value); a unit is named only if it is in the actor's
    scope for `permission` (the list would show nothing of another one, and its name is not disclosed either)."""
    from qicha.core.templatetags.qicha import filter_label

    labels, values = labels or {}, values or {}
    parts = []
    # The keyword first: it is what a user typed, and what they look for on the sheet.
    for name in sorted(set_filters(filters, skip=skip), key=lambda name: name != "q"):
        value = getattr(filters, name)
        label = labels.get(name) or filter_label(name)
        shown = values.get(name)
        if value is True:
            parts.append(label)
        elif name == "q":
            parts.append(f"{labels.get(name, '关键词')}“{value}”")
        elif isinstance(shown, Mapping):
            parts.append(f"{label}：{shown.get(value, value)}")
        elif shown is not None:
            parts.append(f"{label}：{shown(value)}")
        elif name in ("unit", "under"):
            unit = units_in_scope(actor, permission).filter(pk=value).values_list("name", flat=True).first()
            parts.append(f"{label}：{unit or f'编号 {value}'}（含下级）")
        elif name == "campaign":
            from django.apps import apps

            campaign = apps.get_model("campaigns", "Campaign").objects.filter(pk=value).first()
            parts.append(f"{label}：{campaign or f'编号 {value}'}")
        else:
            parts.append(f"{label}：{value}")
    return f"筛选条件：{'；'.join(parts)}" if parts else ""


def row_progress(report: Callable[[int, str], None] | None, total: int, *, start: int = 5, end: int = 95):
    """Turn `add_sheet`'s rows-written callbacks into a job's (percent, Chinese message) reports."""

    def progress(written: int) -> None:
        if report is None:
            return
        share = written / total if total else 1
        report(start + int((end - start) * min(share, 1)), f"已写入 {written:,} / {total:,} 行")

    return progress


def file_stamp() -> str:
    return f"{timezone.localdate():%Y%m%d}"
