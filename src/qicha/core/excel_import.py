"""Reading uploaded Excel lists (and writing their templates) for any import: generic, writes nothing.

An import describes its columns once (`Column`); the same spec then

* builds the download template (`build_template`): styled header, drop-downs for choice columns, an instructions
  sheet and one example row, every cell passed through `spreadsheet.safe_cell`;
* reads an upload (`check_upload` → `check_header` → `read_sheet`; .xlsx via openpyxl, old .xls via xlrd when the
  import allows it): first visible sheet, header row found by its labels wherever
  title rows put it, columns mapped by header text, blank rows skipped, each cell parsed by its column's kind.

Errors are `CellError`s located as 工作表 / 行 / 列（列名）; the caller adds its own (service validation, duplicates)
through `SheetData.error_at`, so one list of errors reaches the page. Between preview and confirm an upload is
kept by `stash` / `load_stashed` under VAR_DIR/imports, readable only by the user who uploaded it.
"""

import contextlib
import hashlib
import io
import json
import re
import secrets
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from itertools import chain, islice
from pathlib import Path
from typing import Any

from django.conf import settings
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900, from_excel
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.functions import iterparse

from .errors import Invalid, NotFound
from .spreadsheet import safe_cell

TEXT, DATE, CHOICE, BOOLEAN = "text", "date", "choice", "boolean"
TRUE_WORDS = {"是", "Y", "YES", "TRUE", "1", "√", "✓"}
FALSE_WORDS = {"否", "N", "NO", "FALSE", "0", "×", "✗"}
HEADER_SCAN_ROWS = 30          # title, unit and date rows above the header: the header is looked for this far down
MAX_ROWS = 5000                # a synchronous import; the background-job version may raise it
MAX_UNPACKED_MB = 200          # an .xlsx is a zip: refuse archives that would inflate beyond this
TEMPLATE_ROWS = 1000           # how far down the template's drop-downs and text formats reach
INLINE_LIST_LIMIT = 250        # Excel caps an inline list formula at 255 characters
STASH_MAX_AGE = 24 * 3600
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class CellError(ValueError):
    """A cell parser's complaint, in Chinese; located by the reader."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


# ---------------------------------------------------------------------------------------------------------------
# Cell parsers: raw cell value (as openpyxl gives it) → Python value, or CellError.

# Full-width ASCII forms (ＺＹ５－３) to half-width, except the punctuation Chinese text is written with (，（）：；！？),
# which NFKC would turn into ASCII, changing what people wrote.
_CHINESE_PUNCTUATION = set("，（）：；！？")
_FULL_WIDTH_ALNUM = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F) if chr(code) not in _CHINESE_PUNCTUATION}


def fold(text: str) -> str:
    """Full-width digits and letters folded, blanks (incl. the ideographic space) collapsed, ends stripped."""
    text = text.translate(_FULL_WIDTH_ALNUM)
    return re.sub(r"[ \t\u3000\xa0]+", " ", text).strip()


def parse_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 13900000000 typed into a number cell
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return fold(str(value))


DATE_PATTERNS = [
    re.compile(r"^(?P<y>\d{4})\s*[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?$"),
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
]


def _make_date(year: int, month: int, day: int, shown: str) -> date:
    try:
        result = date(year, month, day)
    except ValueError:
        raise CellError(f"日期“{shown}”不存在，请核对年月日") from None
    if not 1900 <= result.year <= 2100:
        raise CellError(f"日期“{shown}”超出合理范围")
    return result


def parse_date(value: Any, epoch: datetime = CALENDAR_WINDOWS_1900) -> date | None:
    """Date cells, Excel serial numbers, and text: 2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日, 20260305."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise CellError("应填写日期（YYYY-MM-DD）")
    if isinstance(value, int | float):
        if isinstance(value, int) and 19000101 <= value <= 21001231:  # 20260305 typed as a number
            return _make_date(value // 10000, value // 100 % 100, value % 100, str(value))
        if not 1 <= value < 73051:  # 1900-01-01 .. 2099-12-31 as serials
            raise CellError(f"“{value}”不是有效的日期")
        return from_excel(value, epoch).date()
    text = fold(str(value))
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            return _make_date(int(match["y"]), int(match["m"]), int(match["d"]), text)
    raise CellError(f"“{text}”不是可识别的日期，请写成 YYYY-MM-DD（如 2026-03-05）")


def parse_boolean(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = parse_text(value).upper()
    if not text:
        return None
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError(f"“{parse_text(value)}”应填写“是”或“否”")


@lru_cache(maxsize=64)
def choice_parser(choices: tuple[tuple[str, str], ...]) -> Callable[[Any], str | None]:
    """Label (as shown in the drop-down) or stored value → stored value; blanks and spaces do not matter."""
    lookup = {}
    for value, label in choices:
        lookup[_key(label)] = value
        lookup[_key(value)] = value
    labels = "、".join(label for _, label in choices)

    def parse(raw: Any) -> str | None:
        text = parse_text(raw)
        if not text:
            return None
        try:
            return lookup[_key(text)]
        except KeyError:
            raise CellError(f"“{text}”不是可选项，应为：{labels}") from None

    return parse


def _key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


# ---------------------------------------------------------------------------------------------------------------
# Column spec

@dataclass(frozen=True)
class Column:
    key: str
    header: str                                     # as printed in the template, without the "*" marker
    kind: str = TEXT
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()       # (value, label) for CHOICE columns
    aliases: tuple[str, ...] = ()                   # other header texts lists in the wild use
    max_length: int | None = None
    parser: Callable[[Any], Any] | None = None      # overrides the kind's parser (raise CellError)
    as_text: bool = False                           # the template formats the column as text (ID numbers, codes)
    width: int = 14
    note: str = ""                                  # for the instructions sheet
    example: Any = ""

    @property
    def label(self) -> str:
        return f"{self.header}*" if self.required else self.header

    def parse(self, raw: Any, epoch: datetime = CALENDAR_WINDOWS_1900) -> Any:
        if self.parser is not None:
            value = self.parser(raw)
        elif self.kind == DATE:
            value = parse_date(raw, epoch)
        elif self.kind == CHOICE:
            value = choice_parser(self.choices)(raw)
        elif self.kind == BOOLEAN:
            value = parse_boolean(raw)
        else:
            value = parse_text(raw)
        if self.required and value in (None, ""):
            raise CellError(f"请填写{self.header}")
        if self.max_length and isinstance(value, str) and len(value) > self.max_length:
            raise CellError(f"{self.header}不能超过 {self.max_length} 个字符（现有 {len(value)} 个）")
        return value


def normalise_header(text: Any) -> str:
    """'线索编号*', ' 被反映人\\n身份证号 ', '涉及　地区（必填）' → comparable keys."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    text = re.sub(r"\s+", "", text).replace("*", "")
    return re.sub(r"\((?:必填|选填|必填项)\)$", "", text)


def _header_keys(column: Column) -> set[str]:
    return {normalise_header(name) for name in (column.header, *column.aliases)}


# ---------------------------------------------------------------------------------------------------------------
# Reading

@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int | None
    column: str          # "C列（受理日期）", or "" for the row as a whole
    message: str

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}

    @property
    def located(self) -> str:
        where = f"工作表“{self.sheet}”"
        if self.row:
            where += f" 第{self.row}行"
        if self.column:
            where += f" {self.column}"
        return f"{where}：{self.message}"


@dataclass
class Row:
    number: int                                     # the Excel row number people see
    values: dict[str, Any]
    errors: list[RowError] = field(default_factory=list)
    rejected: dict[str, str] = field(default_factory=dict)  # key → the text of a cell that did not parse, to show back


@dataclass
class SheetData:
    sheet: str
    header_row: int
    columns: dict[str, tuple[int, Column]]          # key → (0-based index, column) for the columns present
    specs: dict[str, Column]
    rows: list[Row]

    def column_name(self, key: str | None) -> str:
        """'C列（受理日期）' for a key, or the header alone when the (optional) column is absent from the file."""
        if key is None:
            return ""
        if key in self.columns:
            index, column = self.columns[key]
            return f"{get_column_letter(index + 1)}列（{column.header}）"
        return f"（{self.specs[key].header}）" if key in self.specs else ""

    def error_at(self, row: Row, key: str | None, message: str) -> RowError:
        error = RowError(self.sheet, row.number, self.column_name(key), message)
        row.errors.append(error)
        return error

    @property
    def errors(self) -> list[RowError]:
        return [error for row in self.rows for error in row.errors]


def max_bytes() -> int:
    return settings.ATTACHMENT_MAX_MB * 1024 * 1024


def check_size(size: int, name: str) -> None:
    """Called before reading an upload into memory; `check_upload` repeats it."""
    shown = name or "上传的文件"
    if not size:
        raise Invalid(f"文件“{shown}”是空文件。", {"file": f"文件“{shown}”是空文件。"})
    if size > max_bytes():
        limit_mb = settings.ATTACHMENT_MAX_MB
        message = f"文件“{shown}”大小为 {size / 1024 / 1024:.1f} MB，超过 {limit_mb} MB 的上限。"
        raise Invalid(message, {"file": message})


OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # old binary .xls (Excel 97–2003, WPS), also .doc


def check_upload(data: bytes, name: str, *, allow_xls: bool = False) -> None:
    """Refuse anything but a genuine .xlsx (or, with `allow_xls`, a genuine .xls) of sensible size: CSV, renamed
    text or Word files, zip bombs. With `allow_xls` the content decides, not the extension: WPS often saves one
    format under the other's name."""
    shown = name or "上传的文件"
    check_size(len(data), name)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if allow_xls:
        redo = "请用 Excel 或 WPS 另存为“Excel 工作簿（*.xlsx）”后重新上传。"
        if extension not in ("xlsx", "xls"):
            message = f"只能导入 Excel 文件（.xlsx 或 .xls），“{shown}”不是。{redo}"
            raise Invalid(message, {"file": message})
        if data.startswith(OLE2_MAGIC):
            _check_xls(data, shown, redo)
            return
    else:
        redo = "请用 Excel 或 WPS 另存为“Excel 工作簿（*.xlsx）”后重新上传。"
        if extension != "xlsx":
            message = f"只能导入 Excel 工作簿（.xlsx）文件，“{shown}”不是。{redo}"
            raise Invalid(message, {"file": message})
    message = f"文件“{shown}”不是有效的 Excel（.xlsx）文件。{redo}"
    if not data.startswith(b"PK\x03\x04"):
        raise Invalid(message, {"file": message})
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise Invalid(message, {"file": message}) from None
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        if "word/document.xml" in names:
            message = f"文件“{shown}”是 Word 文档，不是 Excel 文件。请上传按模板填写的 Excel 表格。"
        raise Invalid(message, {"file": message})
    if unpacked > MAX_UNPACKED_MB * 1024 * 1024:
        too_big = f"文件“{shown}”解压后超过 {MAX_UNPACKED_MB} MB，无法导入，请拆分后分批导入。"
        raise Invalid(too_big, {"file": too_big})


def _check_xls(data: bytes, shown: str, redo: str) -> None:
    import xlrd

    try:
        xlrd.open_workbook(file_contents=data, on_demand=True).release_resources()
    except Exception:  # xlrd raises XLRDError, CompoundDocError, struct errors… on what is not a workbook
        message = f"文件“{shown}”不是有效的 Excel（.xls）文件。{redo}"
        raise Invalid(message, {"file": message}) from None


def is_xls(data: bytes) -> bool:
    return data.startswith(OLE2_MAGIC)


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


def _damaged(name: str) -> Invalid:
    kind = "Excel" if name.lower().endswith(".xls") else "Excel（.xlsx）"
    message = f"文件“{name}”已损坏或不是有效的 {kind} 文件，无法读取。"
    return Invalid(message, {"file": message})


class _Book:
    """The first visible sheet of an .xlsx (openpyxl, streamed) or an .xls (xlrd): title, rows of values, epoch."""

    def __init__(self, data: bytes, name: str):
        self.name = name
        self._workbook = self._xls = None
        try:
            if is_xls(data):
                import xlrd

                self._xls = xlrd.open_workbook(file_contents=data, on_demand=True)
            else:
                # data_only: a formula cell gives its cached value, nothing is ever calculated.
                self._workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # damaged files raise many kinds; all mean the same to the person uploading
            raise _damaged(name) from None

    def first_visible(self):
        """(title, row iterator, epoch) of the first visible sheet."""
        if self._xls is not None:
            book = self._xls
            for index in range(book.nsheets):
                sheet = book.sheet_by_index(index)
                if sheet.visibility == 0:
                    return sheet.name, _xls_rows(book, sheet), CALENDAR_WINDOWS_1900
            raise Invalid(f"文件“{self.name}”中没有可见的工作表。")
        workbook = self._workbook
        visible = [ws for ws in workbook.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
        if not visible:
            raise Invalid(f"文件“{self.name}”中没有可见的工作表。")
        sheet = visible[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # some generators write wrong <dimension>s; read to the real end instead
        return sheet.title, sheet.iter_rows(values_only=True), getattr(workbook, "epoch", CALENDAR_WINDOWS_1900)

    def close(self) -> None:
        if self._workbook is not None:
            self._workbook.close()
        if self._xls is not None:
            self._xls.release_resources()


def _xls_rows(book, sheet):
    """xlrd cells as openpyxl would give them: dates as datetime, booleans as bool, blanks and errors as None."""
    import xlrd

    for number in range(sheet.nrows):
        values = []
        for cell in sheet.row(number):
            kind, value = cell.ctype, cell.value
            if kind == xlrd.XL_CELL_DATE:
                # Left as the serial when out of range: the date parser reports it.
                with contextlib.suppress(ValueError, OverflowError, xlrd.xldate.XLDateError):
                    value = xlrd.xldate_as_datetime(value, book.datemode)
            elif kind == xlrd.XL_CELL_BOOLEAN:
                value = bool(value)
            elif kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                value = None
            values.append(value)
        yield tuple(values)


def _find_header(rows: Iterable[tuple], columns: Sequence[Column]) -> tuple[int, dict[str, int]] | None:
    """The row (1-based) matching the most known headers among the top rows, with where each column is.

    Two-level headers (a group row such as “整改责任” over 责任领导/责任部门/责任人, the other headers merged down
    over both rows) are matched as one: a pair of rows counts when it finds more columns than either row alone,
    and the data then starts below the lower row."""
    wanted = {column.key: _header_keys(column) for column in columns}

    def match(*lines: tuple) -> dict[str, int]:
        found = {}
        for line in lines:
            for index, cell in enumerate(line or ()):
                key = normalise_header(cell)
                if not key:
                    continue
                for column_key, names in wanted.items():
                    if key in names and column_key not in found:
                        found[column_key] = index
        return found

    best = None
    previous = None
    for number, cells in enumerate(rows, start=1):
        candidates = [match(cells)]
        if previous is not None:
            candidates.append(match(previous, cells))
        for found in candidates:
            if found and (best is None or len(found) > len(best[1])):
                best = (number, found)
        if best and len(best[1]) == len(columns):
            break
        previous = cells
    return best


def _locate_header(title: str, top: list[tuple], columns: Sequence[Column]) -> tuple[int, dict[str, int]]:
    if all(_blank(cell) for cells in top for cell in (cells or ())):
        raise Invalid(f"工作表“{title}”是空的，没有可导入的内容。请在第一个工作表中按模板填写后再上传。")
    header = _find_header(top, columns)
    if header is None:
        expected = "、".join(column.label for column in columns if column.required)
        raise Invalid(f"工作表“{title}”的前 {HEADER_SCAN_ROWS} 行中找不到表头（应含：{expected}），"
                      "请使用下载的模板填写。")
    header_row, found = header
    missing = [column.label for column in columns if column.required and column.key not in found]
    if missing:
        raise Invalid(f"工作表“{title}”第{header_row}行的表头缺少必填列：{'、'.join(missing)}。"
                      "请使用下载的模板填写，不要修改表头。")
    return header_row, found


def check_header(data: bytes, name: str, columns: Sequence[Column]) -> str:
    """A quick look before queueing a long import: the header is there (file-level Invalid otherwise) and at least
    one data row follows. Returns the sheet's title."""
    book = _Book(data, name)
    try:
        title, rows, _ = book.first_visible()
        top = list(islice(rows, HEADER_SCAN_ROWS + 1))
        header_row, found = _locate_header(title, top[:HEADER_SCAN_ROWS], columns)
        following = chain(top[header_row:], rows)
        if all(all(_blank(cells[i] if i < len(cells or ()) else None) for i in found.values())
               for cells in islice(following, 1000)):
            raise Invalid(f"工作表“{title}”的表头下没有数据行。")
        return title
    except Invalid:
        raise
    except Exception:
        raise _damaged(name) from None
    finally:
        book.close()


def read_sheet(data: bytes, name: str, columns: Sequence[Column], *, max_rows: int = MAX_ROWS,
               progress: Callable[[int], None] | None = None, progress_every: int = 1000) -> SheetData:
    """Parse the first visible sheet of a checked upload (.xlsx, or .xls when `check_upload` allowed it).
    File-level problems raise Invalid; cell problems are collected on each row. `progress(rows_read)` is called
    every `progress_every` rows."""
    book = _Book(data, name)
    try:
        title, rows, epoch = book.first_visible()
        top = list(islice(rows, HEADER_SCAN_ROWS))
        header_row, found = _locate_header(title, top, columns)
        present = {column.key: (found[column.key], column) for column in columns if column.key in found}
        result = SheetData(title, header_row, present, {c.key: c for c in columns}, [])
        absent = {column.key: column.parse(None) for column in columns
                  if column.key not in present and not column.required}
        absent.update({column.key: None for column in columns if column.key not in present and column.required})
        for number, cells in enumerate(chain(top[header_row:], rows), start=header_row + 1):
            cells = cells or ()
            # Blank in every column we read: skipped, even when a 序号 column was numbered in advance.
            if all(_blank(cells[index] if index < len(cells) else None) for index, _ in present.values()):
                continue
            if len(result.rows) >= max_rows:
                raise Invalid(f"工作表“{title}”的数据超过 {max_rows} 行，请拆分后分批导入。")
            row = Row(number, {})
            for key, (index, column) in present.items():
                raw = cells[index] if index < len(cells) else None
                try:
                    row.values[key] = column.parse(raw, epoch)
                except CellError as exc:
                    row.values[key] = None
                    row.rejected[key] = str(raw).strip()[:100]
                    result.error_at(row, key, exc.message)
            row.values.update(absent)
            result.rows.append(row)
            if progress is not None and len(result.rows) % progress_every == 0:
                progress(len(result.rows))
        return result
    except Invalid:
        raise
    except Exception:  # a damaged sheet part surfaces only while streaming its rows
        raise _damaged(name) from None
    finally:
        book.close()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# ---------------------------------------------------------------------------------------------------------------
# Between preview and confirm: the upload is kept for its owner.

@dataclass(frozen=True)
class Stashed:
    token: str
    path: Path
    file_name: str
    sha256: str
    params: dict

    def read(self) -> bytes:
        return self.path.read_bytes()


def _stash_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def stash(actor, data: bytes, file_name: str, *, kind: str, params: dict | None = None) -> str:
    """Keep a checked upload until confirmed; returns the token naming it. Sweeps uploads older than a day."""
    purge_stale()
    token = secrets.token_urlsafe(24)
    folder = _stash_dir()
    (folder / f"{token}.xlsx").write_bytes(data)
    sidecar = {"user_id": actor.pk, "kind": kind, "file_name": file_name, "sha256": hashlib.sha256(data).hexdigest(),
               "created": time.time(), "params": params or {}}
    (folder / f"{token}.json").write_text(json.dumps(sidecar, ensure_ascii=False), encoding="utf-8")
    return token


def load_stashed(actor, token: str, *, kind: str) -> Stashed:
    """The stashed upload, for the user who made it only (anyone else, and unknown or stale tokens: NotFound)."""
    if not TOKEN.match(token or ""):
        raise NotFound()
    folder = _stash_dir()
    path, sidecar = folder / f"{token}.xlsx", folder / f"{token}.json"
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise NotFound() from None
    fresh = time.time() - meta.get("created", 0) < STASH_MAX_AGE
    if meta.get("user_id") != actor.pk or meta.get("kind") != kind or not fresh or not path.exists():
        raise NotFound()
    return Stashed(token, path, meta["file_name"], meta["sha256"], meta.get("params") or {})


def discard(token: str) -> None:
    if TOKEN.match(token or ""):
        folder = _stash_dir()
        for suffix in (".xlsx", ".json"):
            (folder / f"{token}{suffix}").unlink(missing_ok=True)


def purge_stale(max_age: float = STASH_MAX_AGE) -> int:
    """Remove stashed uploads older than `max_age` seconds (they hold personal data in clear)."""
    removed = 0
    cutoff = time.time() - max_age
    for path in _stash_dir().iterdir():
        if path.suffix in (".xlsx", ".json") and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


# ---------------------------------------------------------------------------------------------------------------
# Template

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FONT = Font(bold=True, color="C00000")
HEADER_FONT = Font(bold=True)
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
OPTIONS_SHEET = "选项"
INSTRUCTIONS_SHEET = "填写说明"


def _options(column: Column) -> list[str]:
    if column.kind == CHOICE:
        return [label for _, label in column.choices]
    if column.kind == BOOLEAN:
        return ["是", "否"]
    return []


def build_template(columns: Sequence[Column], *, sheet_title: str, notes: Sequence[str] = (),
                   examples: Sequence[dict] = ()) -> bytes:
    """An .xlsx to fill in: header row (bold, filled, bordered, frozen), drop-downs for choice and yes/no columns,
    text format for ID-like columns; a 填写说明 sheet listing every column, the `notes` and the example rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.append([safe_cell(column.label) for column in columns])
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = REQUIRED_FONT if column.required else HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.as_text:
            sheet.column_dimensions[letter].number_format = "@"
    sheet.row_dimensions[1].height = 24
    sheet.freeze_panes = "A2"
    options_sheet, option_col = None, 0
    for index, column in enumerate(columns, start=1):
        options = _options(column)
        if not options:
            continue
        inline = ",".join(options)
        if len(inline) <= INLINE_LIST_LIMIT and "," not in "".join(options):
            formula = f'"{inline}"'
        else:
            if options_sheet is None:
                options_sheet = workbook.create_sheet(OPTIONS_SHEET)
                options_sheet.sheet_state = "hidden"
            option_col += 1
            option_letter = get_column_letter(option_col)
            for row, option in enumerate(options, start=1):
                options_sheet.cell(row=row, column=option_col, value=safe_cell(option))
            formula = f"{quote_sheetname(OPTIONS_SHEET)}!${option_letter}$1:${option_letter}${len(options)}"
        validation = DataValidation(type="list", formula1=formula, allow_blank=not column.required,
                                    showErrorMessage=True, errorTitle="输入有误",
                                    error=f"请从下拉列表中选择{column.header}", promptTitle=column.header,
                                    prompt="请从下拉列表中选择", showInputMessage=True)
        letter = get_column_letter(index)
        validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
        sheet.add_data_validation(validation)

    help_sheet = workbook.create_sheet(INSTRUCTIONS_SHEET)
    help_sheet.append([safe_cell(v) for v in ("列名", "是否必填", "填写要求")])
    for cell in help_sheet[1]:
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
    for column in columns:
        requirement = column.note or {
            DATE: "日期，写成 YYYY-MM-DD（如 2026-03-05），也可用日期格式的单元格",
            CHOICE: "从下拉列表选择：" + "、".join(_options(column)),
            BOOLEAN: "填写“是”或“否”",
        }.get(column.kind, "文字")
        help_sheet.append([safe_cell(column.header), "必填" if column.required else "选填", safe_cell(requirement)])
    help_sheet.append([])
    help_sheet.append([safe_cell("说明")])
    help_sheet.cell(row=help_sheet.max_row, column=1).font = HEADER_FONT
    for number, note in enumerate(notes, start=1):
        help_sheet.append([safe_cell(f"{number}. {note}")])
    if examples:
        # The example lives here, not on the list itself, so a forgotten example row is never imported.
        help_sheet.append([])
        help_sheet.append([safe_cell("填写示例（请在第一个工作表中填写，本表不会被导入）")])
        help_sheet.cell(row=help_sheet.max_row, column=1).font = HEADER_FONT
        help_sheet.append([safe_cell(column.label) for column in columns])
        for cell in help_sheet[help_sheet.max_row]:
            cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
        for example in examples:
            help_sheet.append([safe_cell(example.get(column.key, "")) for column in columns])
            for cell in help_sheet[help_sheet.max_row]:
                cell.border = BORDER
    help_sheet.column_dimensions["A"].width = 22
    help_sheet.column_dimensions["B"].width = 10
    help_sheet.column_dimensions["C"].width = 80
    for row in help_sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    # Keep the instructions right after the list, the option lists (hidden) last.
    if options_sheet is not None:
        workbook.move_sheet(options_sheet, offset=len(workbook.sheetnames))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
