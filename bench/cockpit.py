"""City-scale benchmark of the cockpit (统计看板): 300 units, 100,000 problems, 200,000 clues; the page, its API and
a district's view as the bureau chief (median / p95 ms). Target: under 300 ms on SQLite and PostgreSQL.

    .venv/bin/python bench/cockpit.py --generate            # SQLite under var/bench-cockpit/
    QICHA_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/qicha_bench_cockpit .venv/bin/python bench/cockpit.py --generate
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import problem_ledger as city  # noqa: E402  (the data generator of the ledger bench)

city.CLUES = 200_000
city.PROGRESS_PER_PROBLEM = 0  # the cockpit reads no progress entries


def configure() -> str:
    var = city.ROOT / "var" / "bench-cockpit"
    var.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("QICHA_BENCH_DATABASE_URL"):
        os.environ["QICHA_BENCH_DATABASE_URL"] = f"sqlite:///{var / 'bench.sqlite3'}"
    engine = city.configure()
    os.environ["QICHA_VAR_DIR"] = str(var)
    return "PostgreSQL" if engine == "PostgreSQL" else "SQLite"


def run(engine: str, runs: int) -> None:
    from django.test import Client

    from qicha.clues.models import Clue
    from qicha.orgs.models import Unit, User
    from qicha.problems.models import Problem

    client = Client()
    client.force_login(User.objects.get(username="leader"))
    district = Unit.objects.get(name="城东区民政局")
    rows = [(label, *city.measure(client, url, runs)) for label, url in [
        ("cockpit page (whole city)", "/dashboard/"),
        ("cockpit page (one district)", f"/dashboard/?unit={district.pk}"),
        ("GET /api/v1/dashboard", "/api/v1/dashboard"),
        ("工作台 (the card loads afterwards)", "/"),
        ("the 工作台's compact cockpit card", "/dashboard/card/"),
    ]]
    print(f"\n{engine}: {Problem.objects.count()} problems, {Clue.objects.count()} clues, {Unit.objects.count()} units, "
          f"{runs} requests each; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'page':<40}{'median ms':>10}{'p95 ms':>10}{'cpu ms':>10}")
    for label, median, p95, cpu in rows:
        print(f"{label:<40}{median:>10.1f}{p95:>10.1f}{cpu:>10.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--generate", action="store_true", help="(re)build the city-scale dataset first")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    engine = configure()
    if args.generate:
        city.generate()
    run(engine, args.runs)
