"""Ledger workbooks in the layout staff keep by hand: a title row, the unit and as-of date, a bold bordered header
(two levels when columns are grouped: the group's name merged over its sub-headers, ungrouped headers merged down
across both rows), column widths, a frozen header, A4 landscape with the header rows repeated on every printed page.

Written in openpyxl's write-only mode, so memory stays flat however many rows are streamed in: rows go to a temporary
file as they come and the workbook is zipped straight to the target. Every value passes through `safe_cell`
(formula neutralisation).

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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from .audit import EventType, record_event
from .scope import units_in_scope
from .spreadsheet import safe_cell

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
TITLE_FONT = Font(name="宋体", size=16, bold=True)
SUBTITLE_FONT = Font(name="宋体", size=10)
HEADER_FONT = Font(name="黑体", size=10, bold=True)
BODY_FONT = Font(name="宋体", size=10)
LINE_HEIGHT = 13.5  # points per line of 10 pt text
MAX_ROW_HEIGHT = 409  # Excel's limit
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
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


class LedgerWorkbook:
    """Several ledger sheets in one write-only workbook."""

    def __init__(self):
        self.workbook = Workbook(write_only=True)
        self._titles: set[str] = set()

    def _sheet_title(self, wanted: str) -> str:
        base = (wanted or "Sheet")[:31]
        for bad in "[]:*?/\\":
            base = base.replace(bad, "_")
        title, n = base, 2
        while title in self._titles:
            suffix = f"({n})"
            title, n = base[: 31 - len(suffix)] + suffix, n + 1
        self._titles.add(title)
        return title

    def add_sheet(self, sheet_title: str, title: str, subtitle: str, columns: list[ExportColumn], rows: Iterable,
                  *, progress: Callable[[int], None] | None = None) -> int:
        """Write one ledger sheet; `rows` yields one list of values per data row (len(columns) values).

        `progress(rows_written)` is called every PROGRESS_EVERY rows and once at the end. Returns the rows written.
        """
        if not columns:
            raise ValueError("a ledger sheet needs columns")
        sheet = self.workbook.create_sheet(self._sheet_title(sheet_title))
        width = len(columns)
        last = get_column_letter(width)
        two_levels = any(column.group for column in columns)
        header_rows = 2 if two_levels else 1
        first_data_row = 3 + header_rows
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.freeze_panes = f"A{first_data_row}"
        sheet.print_title_rows = f"3:{2 + header_rows}"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        sheet.print_options.horizontalCentered = True
        sheet.merged_cells.add(f"A1:{last}1")
        sheet.merged_cells.add(f"A2:{last}2")

        def cell(value, font=None, fill=None, border=None, alignment=None):
            c = WriteOnlyCell(sheet, value=safe_cell(value))
            if font is not None:
                c.font = font
            if fill is not None:
                c.fill = fill
            if border is not None:
                c.border = border
            if alignment is not None:
                c.alignment = alignment
            return c

        def header(value):
            return cell(value, font=HEADER_FONT, fill=HEADER_FILL, border=BORDER, alignment=CENTER)

        sheet.row_dimensions[1].height = 30
        sheet.append([cell(title, font=TITLE_FONT, alignment=Alignment(horizontal="center", vertical="center"))])
        sheet.append([cell(subtitle, font=SUBTITLE_FONT, alignment=Alignment(horizontal="left"))])
        if two_levels:
            upper, lower = [], []
            for group, first, end in header_spans(columns):
                if group:
                    sheet.merged_cells.add(f"{get_column_letter(first)}3:{get_column_letter(end)}3")
                    upper += [header(group)] + [header(None) for _ in range(first, end)]
                    lower += [header(columns[i - 1].header) for i in range(first, end + 1)]
                else:
                    sheet.merged_cells.add(f"{get_column_letter(first)}3:{get_column_letter(first)}4")
                    upper.append(header(columns[first - 1].header))
                    lower.append(header(None))
            sheet.append(upper)
            sheet.append(lower)
        else:
            sheet.append([header(column.header) for column in columns])

        try:
            return self._append_rows(sheet, columns, rows, progress, first_data_row)
        except BaseException:
            self.discard()  # a failed export leaves no half-written temporary files behind in the worker
            raise

    def _append_rows(self, sheet, columns, rows, progress, first_row: int) -> int:
        width = len(columns)
        # Styles are resolved once per column (border, alignment, date formats) and copied onto each cell: setting
        # them cell by cell hashes the style objects every time and costs more than writing the row.
        templates = []
        for column in columns:
            styles = []
            for number_format in ("General", "yyyy-mm-dd", "yyyy-mm-dd hh:mm"):
                template = WriteOnlyCell(sheet)
                template.font = BODY_FONT
                template.border = BORDER
                template.alignment = WRAP if column.wrap else TOP
                template.number_format = number_format
                styles.append(template._style)
            templates.append(styles)
        written = 0
        for row in rows:
            values = list(row)
            if len(values) != width:
                raise ValueError(f"row {written + 1} has {len(values)} values for {width} columns")
            # Wrapped text gets its row height written out: not every spreadsheet program (WPS, LibreOffice)
            # grows a row to its wrapped text by itself. The dimension is dropped again once the row is written.
            height = row_height(columns, values)
            row_index = first_row + written
            if height:
                sheet.row_dimensions[row_index].height = height
            cells = []
            for (plain, day, moment), value in zip(templates, values, strict=True):
                if isinstance(value, datetime) and value.tzinfo is not None:
                    value = timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
                style = moment if isinstance(value, datetime) else day if isinstance(value, date) else plain
                c = Cell(sheet, row=1, column=1, style_array=StyleArray(style))
                c.value = safe_cell(value)
                cells.append(c)
            sheet.append(cells)
            if height:
                del sheet.row_dimensions[row_index]
            written += 1
            if progress is not None and written % PROGRESS_EVERY == 0:
                progress(written)
        if progress is not None:
            progress(written)
        return written

    def discard(self) -> None:
        """Close and remove the sheets' temporary files (openpyxl streams each write-only sheet to one)."""
        for sheet in self.workbook.worksheets:
            writer = getattr(sheet, "_writer", None)
            if writer is None:
                continue
            with contextlib.suppress(Exception):  # already broken: only the cleanup matters
                sheet.close()
            with contextlib.suppress(OSError):
                writer.cleanup()
        self.workbook = Workbook(write_only=True)
        self._titles.clear()

    def save(self, target) -> None:
        """Write the workbook to a path or a binary file object. A write-only workbook can be saved once."""
        if not self.workbook.worksheets:
            self.workbook.create_sheet("Sheet")
        self.workbook.save(target)


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
    lines = 1
    for column, value in zip(columns, values, strict=True):
        if column.wrap and isinstance(value, str) and value:
            usable = max(column.width - 1, 1)
            needed = sum(max(1, -(-text_width(part) // usable)) for part in value.split("\n"))
            lines = max(lines, needed)
    if lines == 1:
        return None
    return min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + 3)


def ledger_heading(actor, ledger_name: str, filters: str = "") -> tuple[str, str]:
    """The title row ("城西区民政局七查七摆问题整改台账") and the unit / as-of date row for the exporter's unit; a
    filtered export says so on that row (`filters` from `describe_filters`), so it never passes for the whole ledger."""
    unit = actor.unit.name if getattr(actor, "unit_id", None) else ""
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
