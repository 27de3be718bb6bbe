"""`python -m qicha screening run --engine duckdb|spark --register KIND=PATH … --payment-month YYYY-MM
[--rules R1,R2,…] [--params JSON] [--out DIR]`: one comparison from the command line, one JSON line out."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from qicha.screening.engine import ENGINES, KINDS, RegisterError, run_screening


class Command(BaseCommand):
    help = "数据比对：低保对象名册与各参照名册比对，输出一行 JSON（各名册读入行数与问题行数、各规则命中数、各阶段用时）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="运行一次比对")
        run.add_argument("--engine", choices=ENGINES, default=None, help="比对引擎（默认 QICHA_SCREENING_ENGINE 或 duckdb）")
        run.add_argument("--register", action="append", default=[], metavar="KIND=PATH",
                         help=f"名册：类型=文件（CSV / Excel / Parquet）；类型为 {', '.join(KINDS)}")
        run.add_argument("--payment-month", required=True, help="发放月份，如 2026-11")
        run.add_argument("--rules", default="", help="规则，如 R1,R2（默认：名册齐全的全部规则）")
        run.add_argument("--params", default="", help='规则参数 JSON，如 {"R3": {"exempt_types": ["拖拉机"]}}')
        run.add_argument("--out", default="", help="把命中清单写成 DIR/hits.parquet")
        run.add_argument("--no-digest", action="store_true", help="不计算文件摘要（基准测试用）")

    def handle(self, *args, **options):
        registers = {}
        for item in options["register"]:
            kind, sep, path = item.partition("=")
            if not sep or not path:
                raise CommandError(f"--register 应写成 类型=文件：{item}")
            registers[kind.strip()] = path.strip()
        try:
            params = json.loads(options["params"]) if options["params"] else None
        except json.JSONDecodeError as exc:
            raise CommandError(f"--params 不是合法的 JSON：{exc}") from None
        try:
            result = run_screening(registers, options["payment_month"],
                                   rules=[r for r in options["rules"].split(",") if r.strip()] or None,
                                   params=params, engine=options["engine"], out_dir=options["out"] or None,
                                   collect=False, digests=not options["no_digest"])
        except RegisterError as exc:
            raise CommandError(exc.message) from None
        sys.stdout.write(json.dumps(result.summary(), ensure_ascii=False) + "\n")
