"""Excel imports, generic: reading uploaded lists and writing their templates. Writes no record.

An import describes its columns once (`Column`); the same spec then builds the download template
(`template.build_template`) and reads an upload (`upload.check_upload` → `reading.check_header` →
`reading.open_rows` / `reading.read_sheet`). Errors are located as 工作表 / 行 / 列（列名） (`located`); the caller
adds its own (service validation, duplicates) through `Sheet.error_at`, so one list of errors reaches the page.
Between preview and confirm an upload is kept by `stash.stash` / `stash.load_stashed`.

    cells.py      column specs and cell parsers (dates, choices, yes/no, full-width text)
    located.py    rows and their located errors
    upload.py     what an upload must be before it is read (size, genuine .xlsx/.xls, no zip bomb)
    workbooks.py  opening a workbook: calamine for whole sheets, openpyxl for a look at the top
    reading.py    header location, row parsing (streamed), row digests
    stash.py      the upload kept between preview and confirm
    template.py   the download template
"""

from .cells import (
    BOOLEAN,
    CHOICE,
    DATE,
    FALSE_WORDS,
    TEXT,
    TRUE_WORDS,
    CellError,
    Column,
    choice_parser,
    fold,
    normalise_header,
    parse_boolean,
    parse_date,
    parse_text,
)
from .located import Row, RowError, Sheet, SheetData
from .reading import HEADER_SCAN_ROWS, MAX_ROWS, check_header, open_rows, read_sheet, row_digest
from .stash import STASH_MAX_AGE, Stashed, discard, load_stashed, purge_stale, stash
from .template import build_template
from .upload import MAX_UNPACKED_MB, OLE2_MAGIC, check_size, check_upload, damaged, is_xls, max_bytes

__all__ = [
    "BOOLEAN", "CHOICE", "DATE", "FALSE_WORDS", "HEADER_SCAN_ROWS", "MAX_ROWS", "MAX_UNPACKED_MB", "OLE2_MAGIC",
    "STASH_MAX_AGE", "TEXT", "TRUE_WORDS", "CellError", "Column", "Row", "RowError", "Sheet", "SheetData",
    "Stashed", "build_template", "check_header", "check_size", "check_upload", "choice_parser", "damaged",
    "discard", "fold", "is_xls", "load_stashed", "max_bytes", "normalise_header", "open_rows", "parse_boolean",
    "parse_date", "parse_text", "purge_stale", "read_sheet", "row_digest", "stash",
]
