"""What both engines read: Parquet as it is, CSV as UTF-8 (a GB 18030 file is transcoded first), an Excel workbook's
first sheet written out as CSV (registers from a spreadsheet are small; the bulk comes as Parquet). Also the file
digest the run record keeps."""

import csv
import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

PARQUET, CSV = "parquet", "csv"


class RegisterError(ValueError):
    """A register that cannot be compared (a missing column, an unreadable file): the Chinese message says why."""

    def __init__(self, message: str, kind: str = ""):
        super().__init__(message)
        self.message, self.kind = message, kind


@dataclass
class Source:
    kind: str
    path: Path            # what the engine reads
    original: Path        # what the office gave
    format: str           # parquet | csv
    header_rows: int      # rows above the first data row (1 for CSV and Excel, 0 for Parquet)


def digest(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(4 << 20):
            sha.update(chunk)
    return sha.hexdigest()


def prepare(kind: str, path: Path, workdir: Path) -> Source:
    path = Path(path)
    if not path.exists():
        raise RegisterError(f"找不到文件：{path}", kind)
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        return Source(kind, path, path, PARQUET, 0)
    if suffix in (".xlsx", ".xlsm", ".xls"):
        return Source(kind, _excel_to_csv(kind, path, workdir), path, CSV, 1)
    if suffix in (".csv", ".txt"):
        return Source(kind, _utf8(kind, path, workdir), path, CSV, 1)
    raise RegisterError(f"文件“{path.name}”的格式不支持：请使用 CSV、Excel（.xlsx）或 Parquet。", kind)


def _utf8(kind: str, path: Path, workdir: Path) -> Path:
    with open(path, "rb") as handle:
        head = handle.read(1 << 20)
    try:
        head.decode("utf-8")
        if not head.startswith(b"\xef\xbb\xbf"):
            return path
        encoding = "utf-8-sig"
    except UnicodeDecodeError as exc:
        if exc.start > len(head) - 4:  # a character cut by the 1 MiB boundary
            return path
        encoding = "gb18030"
    target = workdir / f"{kind}.utf8.csv"
    with open(path, encoding=encoding, errors="strict", newline="") as src, \
            open(target, "w", encoding="utf-8", newline="") as dst:
        try:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
        except UnicodeDecodeError:
            raise RegisterError(f"文件“{path.name}”的编码无法识别：请另存为 UTF-8 编码的 CSV。", kind) from None
    return target


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _excel_to_csv(kind: str, path: Path, workdir: Path) -> Path:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception:
        raise RegisterError(f"文件“{path.name}”无法读取：请确认是完好的 Excel 文件。", kind) from None
    target = workdir / f"{kind}.xlsx.csv"
    with open(target, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        for row in rows:
            if any(cell not in (None, "") for cell in row):
                writer.writerow([_cell(cell) for cell in row])
    return target
