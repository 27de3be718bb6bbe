"""The cockpit's queries one by one: capture what a page asks (as the bureau chief, on the bench data of
bench/cockpit.py), then run each again (execute + fetch every row) and print the costliest, median wall and CPU ms.
On SQLite the CPU is the query's own; on PostgreSQL the wall is the server's (the CPU column is only the client).

    .venv/bin/python bench/cockpit_queries.py /dashboard/                      # SQLite under var/bench-cockpit/
    .venv/bin/python bench/cockpit_queries.py "/dashboard/?unit={district}"     # 城东区民政局
    QICHA_BENCH_DATABASE_URL=postgres://… .venv/bin/python bench/cockpit_queries.py /dashboard/ --explain 5
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cockpit  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url", nargs="?", default="/dashboard/")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--explain", type=int, default=0, help="EXPLAIN (ANALYZE) / EXPLAIN QUERY PLAN the N costliest")
    args = parser.parse_args()
    engine = cockpit.configure()

    from django.db import connection
    from django.test import Client

    from qicha.orgs.models import Unit, User

    url = args.url.format(district=Unit.objects.get(name="城东区民政局").pk) if "{district}" in args.url else args.url
    client = Client()
    client.force_login(User.objects.get(username="leader"))
    client.get(url)
    captured = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        assert client.get(url).status_code == 200
    timed = []
    for index, (sql, params) in enumerate(captured):
        wall, cpu = [], []
        for _ in range(args.runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        timed.append((statistics.median(wall), statistics.median(cpu), index, sql, params))
    timed.sort(key=lambda row: row[0], reverse=True)
    print(f"{engine} {url}: {len(captured)} queries, together {sum(t[0] for t in timed):.1f} ms wall, "
          f"{sum(t[1] for t in timed):.1f} ms CPU; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for wall, cpu, index, sql, _ in timed[:args.top]:
        print(f"{wall:8.1f} {cpu:8.1f}  #{index} {sql[:150]}")
    for wall, _, index, sql, params in timed[:args.explain]:
        with connection.cursor() as cursor:
            plan = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
            cursor.execute(plan + sql, params)
            print(f"\n#{index} ({wall:.1f} ms)")
            for row in cursor.fetchall():
                print("   ", row[0] if connection.vendor == "postgresql" else row[3])


if __name__ == "__main__":
    main()
