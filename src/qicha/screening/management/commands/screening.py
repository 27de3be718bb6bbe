"""`python -m qicha screening run --engine duckdb|spark --register KIND=PATH … --payment-month YYYY-MM
[--rules R1,R2,…] [--params JSON] [--out DIR]`: one comparison from the command line, one JSON line out.
(`python -m qicha screening run` itself skips Django and calls engine/cli.py directly; this command is the same
code for manage.py and call_command.)"""

import sys

from django.core.management.base import BaseCommand, CommandError

from qicha.screening.engine import cli


class Command(BaseCommand):
    help = "数据比对：低保对象名册与各参照名册比对，输出一行 JSON（各名册读入行数与问题行数、各规则命中数、各阶段用时）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        cli.add_arguments(sub.add_parser("run", help="运行一次比对"))

    def handle(self, *args, **options):
        try:
            line = cli.run(options)
        except cli.UsageError as exc:
            raise CommandError(str(exc)) from None
        sys.stdout.write(line + "\n")
