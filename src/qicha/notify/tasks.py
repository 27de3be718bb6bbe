"""Huey periodic task (djhuey discovers this module): the daily reminders at settings.REMINDER_HOUR local time.

settings.HUEY has utc=False, so the crontab is read in the server's local time (Asia/Shanghai in production).
Operators who prefer cron can run `python -m qicha send_reminders` instead; both are safe to run twice a day.
"""

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .reminders import run_daily_reminders


@db_periodic_task(crontab(hour=str(settings.REMINDER_HOUR), minute="0"))
def daily_reminders() -> None:
    run_daily_reminders(timezone.localdate())
