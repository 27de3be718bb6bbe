"""Errors located as 工作表 / 行 / 列（列名）, and the rows they belong to: one list of errors reaches the page,
whether a cell did not parse or a service refused the row."""

from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from .cells import Column


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
    digest: str = ""                                # `reading.row_digest` of the row's cells, when asked for


@dataclass
class Sheet:
    """Where a sheet's rows come from: its title, header row and the columns found in it."""

    sheet: str
    header_row: int
    columns: dict[str, tuple[int, Column]]          # key → (0-based index, column) for the columns present
    specs: dict[str, Column]
    row_count: int = 0                              # rows in the sheet as its workbook says, for progress; 0 unknown

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


@dataclass
class SheetData(Sheet):
    """A sheet read whole: every row at once."""

    rows: list[Row] = field(default_factory=list)

    @property
    def errors(self) -> list[RowError]:
        return [error for row in self.rows for error in row.errors]

