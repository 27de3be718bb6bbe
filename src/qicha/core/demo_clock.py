"""Demo data only: do the demo's acts on the days they happened, so `make run` shows a campaign with a history
(records created, worked on and closed over the months) instead of one stamped entirely at load time.

Every time the platform writes comes from `django.utils.timezone.now()`: `auto_now`/`auto_now_add` fields, the
services' own stamps (`verified_at`, `submitted_at` …) and the audit chain, which hashes the time it stamps into each
event. Inside `acting_on(day)` that function answers a moment of `day`, one second later at each call, so acts done
in order keep their order, and `timezone.localdate()` is that day (the services' "not later than today" checks hold
against it). The audit chain stays verifiable: each event is hashed over the time it carries, in `seq` order.

A moment is never later than the real clock: a day in the future is done just before now. Notices sent on commit
go out when the loader's transaction commits, at the real time (the loaders mark old ones read).

Never used by a request: only the demo loaders (`load_demo` and the tests' `demo` fixture) call it.
"""

from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from django.utils import timezone

_real_now = timezone.now


@contextmanager
def acting_on(day: date, hour: int = 9, minute: int = 0):
    real = _real_now()
    start = timezone.make_aware(datetime.combine(day, time(hour, minute)))
    moment = {"at": min(start, real - timedelta(minutes=30))}

    def now():
        moment["at"] += timedelta(seconds=1)
        return min(moment["at"], _real_now())

    previous = timezone.now
    timezone.now = now
    try:
        yield
    finally:
        timezone.now = previous


def real_today() -> date:
    """Today by the real clock, also inside `acting_on`."""
    return timezone.localtime(_real_now()).date()


def story_start() -> date:
    """The first day of the demo campaign's history: 1 March of this year (the 七查七摆 template's deploy phase), or
    90 days ago when the year is younger than that, so that there is always some history to spread over."""
    today = real_today()
    return min(date(today.year, 3, 1), today - timedelta(days=90))


def story_day(fraction: float, days: int = 0) -> date:
    """The day `fraction` of the way from `story_start()` to yesterday (0 → the start, 1 → yesterday), plus `days`;
    never later than yesterday."""
    start, last = story_start(), real_today() - timedelta(days=1)
    day = start + timedelta(days=round((last - start).days * fraction) + days)
    return min(day, last)


def days_ago(days: int) -> date:
    return real_today() - timedelta(days=days)
