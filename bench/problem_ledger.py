"""City-scale benchmark: the 工作台 and the list pages (problems, clues, cases, reporting matrix, inspections) as
the office and a district liaison (median / p95 ms)."""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

UNITS, PROBLEMS, PROGRESS_PER_PROBLEM = 300, 100_000, 5
# What else the 工作台 counts, at a city's yearly volume: every unit reports monthly and answers the seven items.
CLUES, CASES, MONTHS, INSPECTIONS = 20_000, 500, 12, 60
PASSWORD = "Bench-Pass-2026!"
RESPONSIBLE_NAMES = ("李明", "王芳", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周强", "吴刚")


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
    from qicha.core.registry import PROBLEMS as DEMO_UP_TO_PROBLEMS
    from qicha.core.registry import load_demo_data
    from qicha.orgs.models import Unit, UnitKind, User
    from qicha.problems.models import Problem, ProgressEntry, RectificationType, Source, Status

    call_command("migrate", verbosity=0)  # first: a database of an older schema has tables flush's signals read
    call_command("flush", interactive=False, verbosity=0)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo_data(PASSWORD, through=DEMO_UP_TO_PROBLEMS)
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
            # A real 台账 names a 责任人 for nearly every problem (issue 14: a name, an account only where one matches);
            # one in twenty is still waiting for one (the 待落实责任人 figure).
            responsible_person=handler if i % 50 == 0 else None, created_by=office,
            responsible_person_name=("钱承办" if i % 50 == 0 else "" if i % 20 == 7 else rng.choice(RESPONSIBLE_NAMES)),
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
    generate_other_ledgers(campaign, units, rng)
    # What autovacuum would have done on a live database: statistics and the visibility map.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"generated {Unit.objects.count()} units, {Problem.objects.count()} problems, "
          f"{ProgressEntry.objects.count()} progress entries and the other ledgers in "
          f"{time.perf_counter() - started:.0f} s")


def generate_other_ledgers(campaign, units, rng) -> None:
    """Clues (with replies), cases, self-inspections, monthly submissions and inspections for every unit.

    Bulk inserts like the problems (test data, no services, no audit trail); every unit takes part in the campaign.
    """
    from django.utils import timezone

    from qicha.campaigns.models import SelfInspection
    from qicha.clues.models import Case, CaseSource, CaseStatus, Clue, Domain, Reply, Source
    from qicha.clues.models import Status as ClueStatus
    from qicha.orgs.models import Unit, User
    from qicha.reporting.models import ReportingPeriod, Submission
    from qicha.reporting.models import Status as ReportStatus
    from qicha.reporting.services.periods import period_dates
    from qicha.supervision.models import (
        Inspection,
        InspectionInspector,
        InspectionKind,
        InspectionStatus,
        InspectionTarget,
    )

    office, handler = User.objects.get(username="office"), User.objects.get(username="handler")
    today, now = timezone.localdate(), timezone.now()
    reporting_units = list(Unit.objects.filter(depth__gte=2))
    campaign.participating_units.add(*reporting_units)
    items = list(campaign.check_items.all())
    answered = {(a, b) for a, b in SelfInspection.objects.filter(campaign=campaign).values_list("unit_id", "check_item_id")}
    SelfInspection.objects.bulk_create(
        [SelfInspection(campaign=campaign, unit=unit, check_item=item, statement="对照检查，逐项查摆。", filled_by=office)
         for unit in reporting_units for item in items if (unit.pk, item.pk) not in answered and rng.random() < 0.85],
        batch_size=2000)

    clue_statuses = ([ClueStatus.RECEIVED] + [ClueStatus.ASSIGNED] * 2 + [ClueStatus.VERIFYING] * 3
                     + [ClueStatus.VERIFIED] * 3 + [ClueStatus.CLOSED] * 10 + [ClueStatus.ESCALATED])
    clues = []
    for i in range(CLUES):
        status = rng.choice(clue_statuses)
        received = today - timedelta(days=rng.randint(0, 330))
        unit = None if status == ClueStatus.RECEIVED else rng.choice(units)
        clues.append(Clue(
            campaign=campaign, source=rng.choice(Source.values), reference_no=f"X-{i}", received_date=received,
            content=f"第{i}号线索：反映村委会优亲厚友、违规办理低保等问题。", domain=rng.choice(Domain.values),
            region="城东区", real_name=rng.random() < 0.3, unit=unit, status=status,
            handler=handler if unit is not None and i % 40 == 0 else None,
            due_date=received + timedelta(days=rng.choice([30, 60, 90])), created_by=office,
            verified_at=now if status in (ClueStatus.VERIFIED, ClueStatus.CLOSED) else None,
        ))
    Clue.objects.bulk_create(clues, batch_size=2000)
    answered_clues = Clue.objects.filter(real_name=True, status__in=(ClueStatus.VERIFIED, ClueStatus.CLOSED))
    Reply.objects.bulk_create(
        [Reply(clue_id=pk, date=today, channel="phone", reporter_response="满意", created_by=office)
         for pk in answered_clues.values_list("pk", flat=True) if rng.random() < 0.8], batch_size=2000)

    case_statuses = [CaseStatus.OPEN, CaseStatus.INVESTIGATING, CaseStatus.INVESTIGATING, CaseStatus.CONCLUDED,
                     CaseStatus.CLOSED, CaseStatus.CLOSED]
    Case.objects.bulk_create([
        Case(campaign=campaign, name=f"第{i}号督办案件", source=rng.choice(CaseSource.values), reference_no=f"A-{i}",
             unit=rng.choice(units), received_date=today - timedelta(days=rng.randint(0, 330)),
             summary="涉黑涉恶案件，挂牌督办。", status=rng.choice(case_statuses), created_by=office)
        for i in range(CASES)])

    # Twelve months: eleven already due, the current one still open; most units report on time and are accepted.
    periods = []
    year, month = today.year, today.month
    for _ in range(MONTHS):
        start, end, due = period_dates(year, month, campaign.report_due_day)
        periods.append(ReportingPeriod(campaign=campaign, year=year, month=month, start=start, end=end, due_date=due,
                                       created_by=office))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    existing = set(ReportingPeriod.objects.filter(campaign=campaign).values_list("year", "month"))
    ReportingPeriod.objects.bulk_create([p for p in periods if (p.year, p.month) not in existing])
    submissions = []
    for period in ReportingPeriod.objects.filter(campaign=campaign):
        past = period.due_date < today
        for unit in reporting_units:
            roll = rng.random()
            if not past and roll < 0.5:
                continue
            if past and roll < 0.04:
                continue  # never reported
            status = (ReportStatus.ACCEPTED if past and roll < 0.9 else
                      rng.choice([ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.PENDING_APPROVAL,
                                  ReportStatus.DRAFT]))
            submitted = status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.RETURNED)
            day = period.due_date - timedelta(days=rng.randint(-3, 10))
            submissions.append(Submission(
                period=period, unit=unit, status=status, prepared_by=office,
                submitted_by=office if submitted else None,
                submitted_at=timezone.make_aware(datetime.combine(day, datetime.min.time())) if submitted else None,
                snapshot={"counts": {}} if submitted else None))
    Submission.objects.bulk_create(submissions, batch_size=2000)

    inspection_statuses = [InspectionStatus.PLANNED, InspectionStatus.IN_PROGRESS, InspectionStatus.COMPLETED,
                           InspectionStatus.COMPLETED]
    for i in range(INSPECTIONS):
        starts = today - timedelta(days=rng.randint(-30, 300))
        inspection = Inspection.objects.create(
            campaign=campaign, kind=rng.choice(InspectionKind.values), title=f"第{i}次督导检查", focus="线索核查、问题整改",
            starts_on=starts, ends_on=starts + timedelta(days=5), status=rng.choice(inspection_statuses),
            created_by=office)
        InspectionTarget.objects.bulk_create(
            [InspectionTarget(inspection=inspection, unit=unit) for unit in rng.sample(reporting_units, 5)])
        if i % 3 == 0:
            InspectionInspector.objects.create(inspection=inspection, user=office)


def measure(client, url: str, runs: int) -> tuple[float, float, float]:
    """Median and p95 wall time, and the median CPU time of this process (the page's Python and, on SQLite, its
    queries too): on a shared machine the wall time includes waiting for a core, the CPU time does not."""
    client.get(url)  # warm caches
    timings, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], statistics.median(cpu)


def run(engine: str, runs: int, only: str = "") -> None:
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
            ("clue list, first page", "/clues/"),
            ("case list, first page", "/cases/"),
            ("reporting matrix", "/reporting/"),
            ("inspection list", "/supervision/inspections/"),
            ("工作台", "/"),
        ]:
            if only not in label:
                continue
            rows.append((username, label, *measure(client, url, runs)))
    from qicha.clues.models import Case, Clue
    from qicha.reporting.models import Submission

    print(f"\n{engine}: {Problem.objects.count()} problems, {Clue.objects.count()} clues, {Case.objects.count()} cases, "
          f"{Submission.objects.count()} submissions, {Unit.objects.count()} units, {runs} requests each")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'user':<20}{'page':<40}{'median ms':>10}{'p95 ms':>10}{'cpu ms':>10}")
    for username, label, median, p95, cpu in rows:
        print(f"{username:<20}{label:<40}{median:>10.1f}{p95:>10.1f}{cpu:>10.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--generate", action="store_true", help="(re)build the city-scale dataset first")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--only", default="", help="time only the pages whose label contains this (e.g. 工作台)")
    args = parser.parse_args()
    engine = configure()
    if args.generate:
        generate()
    run(engine, args.runs, args.only)
