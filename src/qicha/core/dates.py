"""One reading of a typed date for page forms, the API and imports: 2026-03-05 (also 2026/3/5, 2026.3.5,
2026年3月5日). A date that does not exist (2026-02-30, 2026-13-45) is refused as “日期不存在：2026-02-30” — never
rolled over into another day — and the text the user typed is what the message shows."""

import re
from datetime import date

DATE_TEXT = re.compile(r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号]?$")


class DateTextError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def impossible_date(text: str) -> str:
    return f"日期不存在：{text}"


def make_date(year: int, month: int, day: int, shown: str) -> date:
    """The date, or DateTextError("日期不存在：<shown>")."""
    try:
        return date(year, month, day)
    except ValueError:
        raise DateTextError(impossible_date(shown)) from None


def parse_date_text(text: str) -> date:
    """A typed date; DateTextError with a Chinese message (impossible date or unreadable text)."""
    shown = str(text).strip()
    match = DATE_TEXT.match(shown)
    if not match:
        raise DateTextError(f"日期格式应为 YYYY-MM-DD（如 2026-03-05）：{shown}")
    return make_date(int(match["y"]), int(match["m"]), int(match["d"]), shown)
