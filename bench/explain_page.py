"""Where one page's time goes, on the bench data: its queries (count, server time each with EXPLAIN ANALYZE on
PostgreSQL) and, with --profile, the Django process's CPU by function (cProfile).

    QICHA_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/qicha_bench .venv/bin/python bench/explain_page.py office /
    .venv/bin/python bench/explain_page.py leader /dashboard/ --cockpit --profile
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import problem_ledger as city  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("username")
    parser.add_argument("url")
    parser.add_argument("--cockpit", action="store_true", help="the cockpit bench's data (var/bench-cockpit/)")
    parser.add_argument("--profile", action="store_true", help="cProfile 10 requests, the 30 costliest functions")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN (ANALYZE, BUFFERS) every query (PostgreSQL)")
    parser.add_argument("--sql", action="store_true", help="print each query's SQL")
    args = parser.parse_args()
    if args.cockpit:
        import cockpit

        engine = cockpit.configure()
    else:
        engine = city.configure()

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from qicha.orgs.models import User

    client = Client()
    client.force_login(User.objects.get(username=args.username))
    client.get(args.url)
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        assert client.get(args.url).status_code == 200
        wall = (time.perf_counter() - started) * 1000
    queries = captured.captured_queries
    print(f"{engine} {args.username} {args.url}: {len(queries)} queries, "
          f"{sum(float(q['time']) for q in queries) * 1000:.1f} ms in them (client side), page {wall:.1f} ms; "
          f"load {os.getloadavg()[0]:.1f}")
    for i, q in enumerate(queries):
        print(f"{i:>3} {float(q['time']) * 1000:7.2f} ms  {q['sql'][:160] if not args.sql else q['sql']}")
    if args.explain and engine == "PostgreSQL":
        with connection.cursor() as cursor:
            for i, q in enumerate(queries):
                sql = q["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = [row[0] for row in cursor.fetchall()]
                print(f"\n--- {i}: {plan[-1].strip()}")
                print("\n".join(plan[:40]))
    if args.profile:
        profiler = cProfile.Profile(time.process_time)  # CPU, not wall: the machine is shared
        cpu = time.process_time()
        profiler.enable()
        for _ in range(10):
            client.get(args.url)
        profiler.disable()
        print(f"\nCPU per request: {(time.process_time() - cpu) * 100:.1f} ms")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
