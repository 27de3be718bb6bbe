"""Working days (工作日) in mainland China: weekends, statutory holidays and the make-up working days (调休).

The official calendar comes from `chinesecalendar`, which ships each year's State Council notice. For a year
it does not know yet (the notice comes out each November), Monday to Friday is used, and `is_official` says so.
"""

from datetime import date, timedelta

import chinese_calendar


def is_official(day: date) -> bool:
    """Whether the State Council calendar for this year is known to this installation."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def is_workday(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_days(start: date, days: int, *, working: bool) -> date:
    """The day `days` days after `start`, counting calendar days or working days (the start day not counted)."""
    if not working:
        return start + timedelta(days=days)
    day, left = start, days
    while left > 0:
        day += timedelta(days=1)
        if is_workday(day):
            left -= 1
    return day
