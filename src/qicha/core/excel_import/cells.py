"""Column specs and cell parsing: a raw cell value (as the reader gives it) becomes a Python value or a
`CellError` in Chinese, which the reader locates as 工作表 / 行 / 列."""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900, from_excel

from ..dates import DateTextError, make_date

TEXT, DATE, CHOICE, BOOLEAN = "text", "date", "choice", "boolean"
TRUE_WORDS = {"是", "Y", "YES", "TRUE", "1", "√", "✓"}
FALSE_WORDS = {"否", "N", "NO", "FALSE", "0", "×", "✗"}


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


_FULL_WIDTH = re.compile("[" + "".join(re.escape(chr(code)) for code in _FULL_WIDTH_ALNUM) + "]")
_BLANKS = re.compile(r"[ \t\u3000\xa0]+")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Full-width digits and letters folded, blanks (incl. the ideographic space) collapsed, ends stripped."""
    if _FULL_WIDTH.search(text):  # rare: translating every cell char by char costs more than looking first
        text = text.translate(_FULL_WIDTH_ALNUM)
    return _BLANKS.sub(" ", text).strip()


def parse_text(value: Any) -> str:
    if type(value) is str:  # most cells: the fast path first
        return fold(value)
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
        result = make_date(year, month, day, shown)
    except DateTextError as exc:
        raise CellError(exc.message) from None  # 日期不存在：2026-02-30 (core.dates: one message everywhere)
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


@lru_cache(maxsize=4096)
def _key(text: str) -> str:
    # Cached: a column of choices repeats a few labels down 100,000 rows.
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).lower()


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
