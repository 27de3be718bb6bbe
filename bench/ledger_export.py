"""Problem ledger export at 10,000 and 100,000 rows: time and peak memory (memory must stay flat as rows grow).

    .venv/bin/python bench/ledger_export.py                   # SQLite under var/bench-export/, sizes 10000 100000
    .venv/bin/python bench/ledger_export.py --sizes 1000 20000
    QICHA_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/qicha_bench_export .venv/bin/python bench/ledger_export.py

Problems (each with one progress entry, so the 最新进展 subquery has work to do) are bulk-inserted: this is test
data, so it skips the services and the audit trail on purpose. Each export then runs in a fresh process, the way the
worker runs a job: `export_problems` as the office (全部 scope), through `queries.problem_list`, streamed in
constant-memory mode straight to a file. Each size is measured twice, in separate processes: once plain (wall time and
the process's peak RSS from getrusage), once under tracemalloc (peak Python allocations; slower, so not timed).
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
VAR = ROOT / "var" / "bench-export"
PASSWORD = "Bench-Pass-2026!"
UNITS = 120


def configure() -> str:
    url = os.environ.get("QICHA_BENCH_DATABASE_URL", "")
    VAR.mkdir(parents=True, exist_ok=True)
    os.environ["QICHA_VAR_DIR"] = str(VAR)
    os.environ["QICHA_DATABASE_URL"] = url or f"sqlite:///{VAR / 'export.sqlite3'}"
    os.environ["QICHA_DEMO"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qicha.settings")
    if url.startswith("postgres"):
        _ensure_pg_database(url)
    import django

    django.setup()
    return "PostgreSQL" if url.startswith("postgres") else "SQLite"


def _ensure_pg_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def reset() -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from qicha.core.registry import PROBLEMS, load_demo_data
    from qicha.orgs.models import Unit, UnitKind

    if connection.introspection.table_names():
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo_data(PASSWORD, through=PROBLEMS)
    districts = list(Unit.objects.filter(kind=UnitKind.DISTRICT_BUREAU))
    rng = random.Random(7)
    while Unit.objects.count() < UNITS:
        parent = Unit.objects.get(pk=rng.choice(districts).pk)
        Unit.objects.add_child(parent, {"name": f"基层单位{Unit.objects.count()}", "kind": UnitKind.DISTRICT_SUBORDINATE})


def grow_to(total: int) -> None:
    """Bulk-insert problems (and one progress entry each) until the ledger holds `total`."""
    from django.db import connection
    from django.utils import timezone

    from qicha.campaigns.models import Campaign
    from qicha.orgs.models import Unit, User
    from qicha.problems.models import Problem, ProgressEntry, RectificationType, Source, Status

    have = Problem.objects.count()
    if have >= total:
        return
    started = time.perf_counter()
    units = list(Unit.objects.filter(depth__gte=2))
    campaign = Campaign.objects.get()
    items = list(campaign.check_items.all())
    office, handler = User.objects.get(username="office"), User.objects.get(username="handler")
    today = timezone.localdate()
    statuses = [Status.OPEN] * 3 + [Status.IN_PROGRESS] * 4 + [Status.SUBMITTED] + [Status.CLOSED] * 4 + [Status.VOIDED]
    rng = random.Random(have)
    for start in range(have, total, 5000):
        batch = [
            Problem(
                campaign=campaign, check_item=rng.choice(items), unit=rng.choice(units), source=rng.choice(Source.values),
                description=f"第{i}号问题：涉黑涉恶线索台账不完整，部分线索未登记、未核查，整改措施落实不到位，需逐项整改。",
                category="台账管理", rectification_type=rng.choice(RectificationType.values),
                measures="逐所核对线索台账，补登遗漏线索，建立月度核对制度，按期销号。",
                deadline=today + timedelta(days=rng.randint(-120, 240)), status=rng.choice(statuses),
                responsible_leader="张副局长", responsible_department="社会救助科",
                responsible_person=handler if i % 50 == 0 else None, created_by=office,
                responsible_person_name=("钱承办" if i % 50 == 0 else "李某" if i % 3 == 0 else ""),
            )
            for i in range(start, min(start + 5000, total))
        ]
        created = Problem.objects.bulk_create(batch)
        ProgressEntry.objects.bulk_create([
            ProgressEntry(problem_id=p.pk, text="已完成乡镇所台账核对，补登线索3条。", percent=60, created_by=office)
            for p in created
        ])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  grew the ledger to {Problem.objects.count():,} problems in {time.perf_counter() - started:.0f} s",
          flush=True)


def child(mode: str) -> None:
    """One export, as the worker runs it; prints one JSON line."""
    configure()
    from qicha.orgs.models import User
    from qicha.problems import exporting, queries

    office = User.objects.select_related("unit").get(username="office")
    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    target = VAR / f"问题整改台账-{mode}.xlsx"
    reports = []
    if mode == "trace":
        tracemalloc.start()
    started, cpu_started = time.perf_counter(), time.process_time()
    result = exporting.export_problems(office, queries.ProblemFilters(), target,
                                       report=lambda percent, message: reports.append(percent))
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    peak_traced = tracemalloc.get_traced_memory()[1] if mode == "trace" else None
    print(json.dumps({
        "rows": result["rows"], "seconds": seconds, "cpu_seconds": cpu_seconds, "baseline_rss_mb": baseline_kb / 1024,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "peak_traced_mb": peak_traced / 2**20 if peak_traced is not None else None,
        "file_mb": target.stat().st_size / 2**20, "progress_reports": len(reports),
    }))


def measure(mode: str) -> dict:
    output = subprocess.run([sys.executable, __file__, "--child", mode], check=True, capture_output=True, text=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--child", choices=["plain", "trace"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    engine = configure()
    print(f"{engine}, problem ledger export as the office (全部 scope), one process per export", flush=True)
    reset()

    results = []
    for size in sorted(args.sizes):
        grow_to(size)
        plain, traced = measure("plain"), measure("trace")
        results.append((plain, traced))
        print(f"  exported {plain['rows']:,} rows in {plain['seconds']:.1f} s", flush=True)
    print(f"\n{'rows':>9}{'seconds':>9}{'CPU s':>7}{'rows/s':>9}{'RSS before':>12}{'peak RSS':>10}{'traced peak':>13}"
          f"{'file':>9}{'progress':>10}")
    for plain, traced in results:
        print(f"{plain['rows']:>9,}{plain['seconds']:>9.1f}{plain['cpu_seconds']:>7.1f}{plain['rows'] / plain['seconds']:>9,.0f}"
              f"{plain['baseline_rss_mb']:>10.0f}MB{plain['peak_rss_mb']:>8.0f}MB{traced['peak_traced_mb']:>11.1f}MB"
              f"{plain['file_mb']:>7.1f}MB{plain['progress_reports']:>10}")


if __name__ == "__main__":
    main()
