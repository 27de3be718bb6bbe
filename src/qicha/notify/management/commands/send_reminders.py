"""`python -m qicha send_reminders [--date YYYY-MM-DD]`: the daily reminders, for cron-minded operators and tests.

Safe to rerun: each reminder is delivered at most once per person and occasion.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from qicha.notify.reminders import run_daily_reminders, summary


class Command(BaseCommand):
    help = "发送定时提醒：问题与线索的到期、逾期汇总，月度报送到期提醒（同一天重复运行不会重复发送）"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按此日期发送（YYYY-MM-DD），默认今天")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"日期格式应为 YYYY-MM-DD：{options['date']}") from exc
        counts = run_daily_reminders(today)
        self.stdout.write(f"{today:%Y-%m-%d}：{summary(counts)}")
