"""City-scale benchmark of the problem ledger: list first page, detail page, 工作台 (median / p95 ms)."""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

UNITS, PROBLEMS, PROGRESS_PER_PROBLEM = 300, 100_000, 5
PASSWORD = "Bench-Pass-2026!"


def configure() -> str:
    url = os.environ.get("QICHA_BENCH_DATABASE_URL", "")
    var = ROOT / "var" / "bench"
    var.mkdir(parents=True, exist_ok=True)
    os.environ["QICHA_VAR_DIR"] = str(var)
    os.environ["QICHA_DATABASE_URL"] = url or f"sqlite:///{var / 'bench.sqlite3'}"
    os.environ["QICHA_DEMO"] = "1"
    os.environ["QICHA_ALLOWED_HOSTS"] = "testserver"
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


def generate() -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from qicha.campaigns.models import Campaign
    from qicha.orgs.demo import load_demo
    from qicha.orgs.models import Unit, UnitKind, User
    from qicha.problems.models import Problem, ProgressEntry, RectificationType, Source, Status

    call_command("flush", interactive=False, verbosity=0) if connection.introspection.table_names() else None
    call_command("migrate", verbosity=0)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo(PASSWORD)
    started = time.perf_counter()
    districts = list(Unit.objects.filter(kind=UnitKind.DISTRICT_BUREAU))
    while Unit.objects.count() < UNITS:
        parent = Unit.objects.get(pk=random.choice(districts).pk)
        Unit.objects.add_child(parent, {"name": f"基层单位{Unit.objects.count()}", "kind": UnitKind.DISTRICT_SUBORDINATE})
    units = list(Unit.objects.filter(depth__gte=2))
    campaign = Campaign.objects.get()
    items = list(campaign.check_items.all())
    office = User.objects.get(username="office")
    handler = User.objects.get(username="handler")
    today = timezone.localdate()
    statuses = [Status.OPEN] * 3 + [Status.IN_PROGRESS] * 4 + [Status.SUBMITTED] + [Status.CLOSED] * 4 + [Status.VOIDED]
    rng = random.Random(20260621)
    batch = []
    for i in range(PROBLEMS):
        unit = rng.choice(units)
        batch.append(Problem(
            campaign=campaign, check_item=rng.choice(items), unit=unit, source=rng.choice(Source.values),
            description=f"第{i}号问题：线索台账不完整，整改措施落实不到位，需要{rng.choice(['立即', '限期', '长期'])}整改。",
            rectification_type=rng.choice(RectificationType.values), measures="逐项整改，按期销号。",
            deadline=today + timedelta(days=rng.randint(-120, 240)), status=rng.choice(statuses),
            responsible_person=handler if i % 50 == 0 else None, created_by=office,
        ))
        if len(batch) == 5000:
            Problem.objects.bulk_create(batch)
            batch = []
    Problem.objects.bulk_create(batch)
    ids = list(Problem.objects.values_list("pk", flat=True))
    entries = []
    for pk in ids:
        for n in range(PROGRESS_PER_PROBLEM):
            entries.append(ProgressEntry(problem_id=pk, text=f"第{n + 1}次整改进展。", percent=20 * (n + 1), created_by=office))
        if len(entries) >= 10_000:
            ProgressEntry.objects.bulk_create(entries)
            entries = []
    ProgressEntry.objects.bulk_create(entries)
    # What autovacuum would have done on a live database: statistics and the visibility map.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"generated {Unit.objects.count()} units, {Problem.objects.count()} problems, "
          f"{ProgressEntry.objects.count()} progress entries in {time.perf_counter() - started:.0f} s")


def measure(client, url: str, runs: int) -> tuple[float, float]:
    client.get(url)  # warm caches
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def run(engine: str, runs: int) -> None:
    from django.test import Client

    from qicha.orgs.models import Unit, User
    from qicha.problems.models import Problem

    problem = Problem.objects.filter(progress_entries__isnull=False).order_by("-id").first()
    district = Unit.objects.get(name="城东区民政局")
    rows = []
    for username in ("office", "liaison_chengdong"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        visible = problem if username == "office" else Problem.objects.filter(unit__path__startswith=district.path).last()
        for label, url in [
            ("ledger first page (filtered)", "/problems/?status=in_progress&rectification_type=deadline&sort=deadline"),
            ("ledger first page (overdue, keyword)", "/problems/?overdue=1&q=台账"),
            ("problem detail", f"/problems/{visible.pk}/"),
            ("工作台", "/"),
        ]:
            median, p95 = measure(client, url, runs)
            rows.append((username, label, median, p95))
    print(f"\n{engine}: {Problem.objects.count()} problems, {Unit.objects.count()} units, {runs} requests each")
    print(f"{'user':<20}{'page':<40}{'median ms':>10}{'p95 ms':>10}")
    for username, label, median, p95 in rows:
        print(f"{username:<20}{label:<40}{median:>10.1f}{p95:>10.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--generate", action="store_true", help="(re)build the city-scale dataset first")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    engine = configure()
    if args.generate:
        generate()
    run(engine, args.runs)
