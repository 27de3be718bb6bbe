"""Reading an upload's first visible sheet against a column spec: the header row found by its labels wherever
title rows put it (two-level headers too), columns mapped by header text, blank rows skipped, each cell parsed by
its column. Rows stream: a caller that checks them one by one holds one row at a time.

File-level problems raise Invalid; cell problems are collected on each row as located errors.
"""

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time
from itertools import chain, islice
from typing import Any

from ..crypto import sm3
from ..errors import Invalid
from .cells import CellError, Column, normalise_header
from .located import Row, Sheet, SheetData
from .upload import damaged
from .workbooks import open_book, open_top

HEADER_SCAN_ROWS = 30          # title, unit and date rows above the header: the header is looked for this far down
MAX_ROWS = 5000                # a synchronous import; the background-job version may raise it


def _header_keys(column: Column) -> set[str]:
    return {normalise_header(name) for name in (column.header, *column.aliases)}


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
    book = open_top(data, name)
    try:
        title, rows = book.title, book.rows
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
        raise damaged(name) from None
    finally:
        book.close()


def row_digest(cells: Iterable[Any]) -> str:
    """SM3 of one sheet row as the file holds it: each cell as text (`cell_text`), trailing blank cells dropped,
    as compact JSON. An import's audit event keeps it per row, so which rows came from which file can be proved by
    reading the file again, with any reader."""
    texts = [cell_text(cell) for cell in cells]
    while texts and not texts[-1]:
        texts.pop()
    return sm3(json.dumps(texts, ensure_ascii=False, separators=(",", ":")).encode()).hex()


def cell_text(value: Any) -> str:
    """A cell as text the same whichever reader gave it: blank for empty and whitespace-only cells (which some
    readers return as None, some as ''), 46 for a whole number whether read as 46 or 46.0, ISO for dates (a date
    cell reads as a date or as a datetime at midnight), TRUE/FALSE for booleans."""
    kind = type(value)
    if kind is str:
        return value.strip()
    if value is None:
        return ""
    if kind is bool:
        return "TRUE" if value else "FALSE"
    if kind is float and value.is_integer():
        return str(int(value))
    if kind is datetime and value.time() == time.min:
        return value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


@contextmanager
def open_rows(data: bytes, name: str, columns: Sequence[Column], *, max_rows: int = MAX_ROWS,
              progress: Callable[[int], None] | None = None, progress_every: int = 1000,
              digests: bool = False) -> Iterator[tuple[Sheet, Iterator[Row]]]:
    """(sheet, rows) of a checked upload (.xlsx, or .xls when `check_upload` allowed it): the rows parsed one at a
    time as the caller asks for them, each with its `digest` when `digests`. More than `max_rows` data rows is a
    file-level Invalid, raised when the row past the limit is reached. `progress(rows_read)` is called every
    `progress_every` rows."""
    book = open_book(data, name)
    try:
        try:
            title = book.title
            top = list(islice(book.rows, HEADER_SCAN_ROWS))
        except Exception:
            raise damaged(name) from None
        header_row, found = _locate_header(title, top, columns)
        present = {column.key: (found[column.key], column) for column in columns if column.key in found}
        sheet = Sheet(title, header_row, present, {c.key: c for c in columns}, book.row_count)
        yield sheet, _parse(sheet, chain(top[header_row:], _guarded(book.rows, name)), book.epoch, columns,
                            max_rows, progress, progress_every, digests)
    finally:
        book.close()


def _guarded(rows: Iterator[tuple], name: str) -> Iterator[tuple]:
    """A damaged sheet part surfaces only while its rows stream: as the file-level message, not a crash."""
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            return
        except Exception:
            raise damaged(name) from None
        yield cells


def _parse(sheet: Sheet, rows: Iterable[tuple], epoch, columns: Sequence[Column], max_rows: int,
           progress, progress_every: int, digests: bool) -> Iterator[Row]:
    present = sheet.columns
    absent = {column.key: column.parse(None) for column in columns
              if column.key not in present and not column.required}
    absent.update({column.key: None for column in columns if column.key not in present and column.required})
    count = 0
    for number, cells in enumerate(rows, start=sheet.header_row + 1):
        cells = cells or ()
        # Blank in every column we read: skipped, even when a 序号 column was numbered in advance.
        if all(_blank(cells[index] if index < len(cells) else None) for index, _ in present.values()):
            continue
        if count >= max_rows:
            raise Invalid(f"工作表“{sheet.sheet}”的数据超过 {max_rows:,} 行，请拆分后分批导入。")
        count += 1
        row = Row(number, {}, digest=row_digest(cells) if digests else "")
        for key, (index, column) in present.items():
            raw = cells[index] if index < len(cells) else None
            try:
                row.values[key] = column.parse(raw, epoch)
            except CellError as exc:
                row.values[key] = None
                row.rejected[key] = str(raw).strip()[:100]
                sheet.error_at(row, key, exc.message)
        row.values.update(absent)
        yield row
        if progress is not None and count % progress_every == 0:
            progress(count)


def read_sheet(data: bytes, name: str, columns: Sequence[Column], *, max_rows: int = MAX_ROWS,
               progress: Callable[[int], None] | None = None, progress_every: int = 1000) -> SheetData:
    """Every row of the first visible sheet at once, for small imports (a clue batch)."""
    with open_rows(data, name, columns, max_rows=max_rows, progress=progress,
                   progress_every=progress_every) as (sheet, rows):
        return SheetData(sheet.sheet, sheet.header_row, sheet.columns, sheet.specs, sheet.row_count, list(rows))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
