"""Problem-ledger import at scale: the upload checks, the preview (read + check every row) and the confirm
(check again, bulk-register every row through `services.register_problems` in ONE transaction with ONE audit
event) of an .xlsx of N rows generated on the fly. Prints wall time and peak Python memory (tracemalloc) of each
step, then verifies the audit chain. Uses its own SQLite file under var/bench/import/ (or QICHA_BENCH_DATABASE_URL,
whose schema is dropped and rebuilt), fresh on every run.

    .venv/bin/python bench/problem_import.py                 # 100,000 rows
    .venv/bin/python bench/problem_import.py --rows 10000
    .venv/bin/python bench/problem_import.py --no-trace      # time without tracemalloc's overhead (peak RSS only)

tracemalloc traces every allocation and slows this Python-heavy work several times over: for the time, use
--no-trace (the process's peak RSS is printed either way); for tracemalloc's peak, a run with fewer rows scales.
"""

import argparse
import io
import os
import random
import resource
import sys
import time
import tracemalloc
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
PASSWORD = "Bench-Import-2026!x"
WORDS = ["低保", "殡葬", "村委会", "社区", "优亲厚友", "冒领", "台账", "督导", "公示", "评议", "截留", "协会", "会费",
         "养老", "补贴", "换届", "线索", "摸排", "问责", "承诺"]


def configure() -> str:
    url = os.environ.get("QICHA_BENCH_DATABASE_URL", "")
    var = ROOT / "var" / "bench" / "import"
    var.mkdir(parents=True, exist_ok=True)
    database = var / "import.sqlite3"
    if not url:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    os.environ["QICHA_VAR_DIR"] = str(var)
    os.environ["QICHA_DATABASE_URL"] = url or f"sqlite:///{database}"
    os.environ["QICHA_ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qicha.settings")
    import django

    django.setup()
    return "PostgreSQL" if url.startswith("postgres") else "SQLite"


def make_file(rows: int, units: list[str], items: list[str]) -> bytes:
    """A ledger in the template's layout (XlsxWriter, constant memory: generating is not what is measured)."""
    import xlsxwriter

    rng = random.Random(11)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
    sheet = workbook.add_worksheet("问题整改台账")
    dated = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, ["问题编号", "责任单位*", "查摆事项", "问题来源*", "问题描述*", "问题类别", "整改类型*",
                           "整改措施*", "整改时限*", "整改节点", "责任领导", "责任部门"])
    start = date(2026, 12, 1)
    for number in range(rows):
        deadline = start + timedelta(days=rng.randint(0, 300))
        limited = number % 3 == 0
        sheet.write_row(number + 1, 0, [
            "", rng.choice(units), rng.choice(items), rng.choice(["自查发现", "督导检查发现", "群众反映"]),
            f"第{number + 1}号问题：" + "、".join(rng.sample(WORDS, 5)) + "等方面工作不到位。", "工作落实",
            "限期整改" if limited else "立即整改", "对照问题逐项整改，建立长效机制。"])
        if number % 2:  # half the deadlines are date cells, half text
            sheet.write_datetime(number + 1, 8, datetime.combine(deadline, datetime.min.time()), dated)
        else:
            sheet.write_string(number + 1, 8, deadline.isoformat())
        sheet.write_row(number + 1, 9, [
            f"{(deadline - timedelta(days=10)).isoformat()} 完成核查" if limited else "", "李某某", "办公室"])
    workbook.close()
    return buffer.getvalue()


def measure(label: str, function, trace: bool):
    if trace:
        tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    result = function()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    if trace:
        tracemalloc.stop()
    memory = f", peak Python memory (tracemalloc) {peak / 1024 / 1024:,.0f} MB" if trace else ""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # CPU time too: on a shared machine the wall time says as much about the neighbours as about the code.
    print(f"{label}: {elapsed:,.1f} s (this process's CPU {cpu:,.1f} s){memory}; process peak RSS so far {rss:,.0f} MB",
          flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--no-trace", action="store_true", help="skip tracemalloc (it slows Python down)")
    args = parser.parse_args()
    engine = configure()
    print(f"load average before the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)

    from django.conf import settings
    from django.core.management import call_command

    from qicha.campaigns.models import Campaign
    from qicha.core import excel_import as xl
    from qicha.core.audit import verify_chain
    from qicha.core.models import AuditEvent
    from qicha.core.registry import PROBLEMS, load_demo_data
    from qicha.orgs.models import User
    from qicha.problems import importing
    from qicha.problems.models import Problem

    if engine == "PostgreSQL":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ATTACHMENT_MAX_MB = 200
    load_demo_data(PASSWORD, through=PROBLEMS)
    campaign, office = Campaign.objects.get(), User.objects.get(username="office")
    choices = importing.Choices.for_actor(office, campaign)
    units = [unit.name for unit in choices.units if unit.kind in ("district_bureau", "department", "subordinate")]
    items = [str(item) for item in choices.check_items]

    trace = not args.no_trace
    print(f"{engine}, {args.rows:,} rows, {len(units)} units; tracemalloc {'on' if trace else 'off'}", flush=True)
    data = measure("generate the .xlsx", lambda: make_file(args.rows, units, items), False)
    print(f"file size: {len(data) / 1024 / 1024:,.1f} MB", flush=True)
    token = measure("upload checks + stash (type, size, header)",
                    lambda: importing.stash_upload(office, campaign, data, "bench.xlsx"), False)
    params = {"token": token, "campaign": campaign.pk}
    steps = []

    def progress(percent, message):
        steps.append((percent, message))

    result = measure("preview (read + check every row)", lambda: importing.run_preview(office, params, progress),
                     trace)
    print(f"  → rows_ok {result['rows_ok']:,}, errors {result['errors_total']:,}; "
          f"{len(steps)} progress reports, last: {steps[-1] if steps else None}", flush=True)
    before = Problem.objects.count()
    steps.clear()
    result = measure("confirm (re-check + write all rows in one transaction)",
                     lambda: importing.run_confirm(office, params, progress), trace)
    print(f"  → created {result['created']:,} (problems {before:,} → {Problem.objects.count():,}); "
          f"{len(steps)} progress reports", flush=True)
    event = AuditEvent.objects.filter(event_type="import").latest("seq")
    print(f"  → one audit event #{event.seq} for the batch, {len(event.after['problems']):,} row digests", flush=True)
    checked, broken = measure("audit chain verified", verify_chain, False)
    print(f"  → {checked:,} events, {broken or 'chain intact'}", flush=True)
    xl.purge_stale(0)


if __name__ == "__main__":
    main()
