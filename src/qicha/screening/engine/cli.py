"""`python -m qicha screening run …`: the comparison from the command line, one JSON line out.

Shared by the Django management command and `qicha.__main__`, which runs it WITHOUT starting Django (the engine
touches no model; Django's start costs seconds of CPU, more than the whole 1/10 comparison — bench/README.md)."""

import argparse
import json
import sys

from .kinds import KINDS
from .reading import RegisterError
from .run import ENGINES, run_screening


class UsageError(Exception):
    """A command line that cannot be run: the message says why (in Chinese)."""


def add_arguments(run: argparse.ArgumentParser) -> None:
    run.add_argument("--engine", choices=ENGINES, default=None, help="比对引擎（默认 QICHA_SCREENING_ENGINE 或 duckdb）")
    run.add_argument("--register", action="append", default=[], metavar="KIND=PATH",
                     help=f"名册：类型=文件（CSV / Excel / Parquet）；类型为 {', '.join(KINDS)}")
    run.add_argument("--payment-month", required=True, help="发放月份，如 2026-11")
    run.add_argument("--rules", default="", help="规则，如 R1,R2（默认：名册齐全的全部规则）")
    run.add_argument("--params", default="", help='规则参数 JSON，如 {"R3": {"exempt_types": ["拖拉机"]}}')
    run.add_argument("--out", default="", help="把命中清单写成 DIR/hits.parquet")
    run.add_argument("--no-digest", action="store_true", help="不计算文件摘要（基准测试用）")


def run(options: dict) -> str:
    """The JSON line for parsed options (keys as argparse gives them); raises UsageError."""
    registers = {}
    for item in options["register"]:
        kind, sep, path = item.partition("=")
        if not sep or not path:
            raise UsageError(f"--register 应写成 类型=文件：{item}")
        registers[kind.strip()] = path.strip()
    try:
        params = json.loads(options["params"]) if options["params"] else None
    except json.JSONDecodeError as exc:
        raise UsageError(f"--params 不是合法的 JSON：{exc}") from None
    try:
        result = run_screening(registers, options["payment_month"],
                               rules=[r for r in options["rules"].split(",") if r.strip()] or None,
                               params=params, engine=options["engine"], out_dir=options["out"] or None,
                               collect=False, digests=not options["no_digest"])
    except RegisterError as exc:
        raise UsageError(exc.message) from None
    return json.dumps(result.summary(), ensure_ascii=False)


def main(argv: list[str]) -> int:
    """`screening run` without Django (qicha.__main__ calls this for exactly that command)."""
    parser = argparse.ArgumentParser(prog="python -m qicha screening run",
                                     description="数据比对：低保对象名册与各参照名册比对，输出一行 JSON")
    add_arguments(parser)
    options = vars(parser.parse_args(argv))
    try:
        line = run(options)
    except UsageError as exc:
        sys.stderr.write(f"CommandError: {exc}\n")
        return 1
    sys.stdout.write(line + "\n")
    return 0
