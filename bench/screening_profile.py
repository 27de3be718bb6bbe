"""Where the comparison's time goes, query by query (issue 17's 5.5 s target).

    .venv/bin/python bench/screening_profile.py --data var/bench/screening/scale-1
    .venv/bin/python bench/screening_profile.py --data var/bench/screening/scale-0.1 --queries   # + CPU per query

Runs the app's engine (`run_screening`, DuckDB) in a child process and prints its seconds per stage, CPU, peak RSS
and hits per rule; with --queries also the CPU seconds of every DuckDB statement that took more than 30 ms and of
each register's reading and keying in Arrow (`cleaned`: the pool's threads included, as the process's CPU).
(The `fast-path` variant of the first measurements is now the engine itself: plain numbers are keyed with NumPy over
the Arrow buffers, only the messy ones are folded — engine/arrowids.py.)
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

KINDS = ["beneficiaries", "cadres", "cadre_relatives", "deaths", "vehicles", "companies", "state_staff"]


def trace_queries() -> None:
    """Print the CPU seconds of each DuckDB statement the engine runs (to stderr)."""
    from qicha.screening.engine import duck

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    class Traced(duck.DuckBackend):
        def __init__(self, workdir):
            super().__init__(workdir)
            real = self.con

            class Connection:
                def execute(self, sql, *args):
                    started, wall = cpu(), time.perf_counter()
                    result = real.execute(sql, *args)
                    if cpu() - started > 0.03:
                        print(
                            f"  CPU {cpu() - started:6.2f} s  wall {time.perf_counter() - wall:6.2f} s  {sql[:100]}",
                            file=sys.stderr,
                            flush=True,
                        )
                    return result

                def close(self):
                    real.close()

                def __getattr__(self, name):  # register, sql, …: as they are
                    return getattr(real, name)

            self.con = Connection()

        def cleaned(self, source, *args, **kwargs):
            started, wall = cpu(), time.perf_counter()
            sql = super().cleaned(source, *args, **kwargs)
            print(f"  CPU {cpu() - started:6.2f} s  wall {time.perf_counter() - wall:6.2f} s  read and key "
                  f"{source.kind} (Arrow, NumPy)", file=sys.stderr, flush=True)
            return sql

    duck.DuckBackend = Traced


VARIANTS = {"as-is": None, "queries": trace_queries}


def child(data: Path, variant: str, payment_month: str, out: Path) -> None:
    if VARIANTS[variant]:
        VARIANTS[variant]()
    from qicha.screening.engine import run_screening

    registers = {kind: data / f"{kind}.parquet" for kind in KINDS}
    started = time.perf_counter()
    result = run_screening(
        registers, payment_month, out_dir=out / f"profile-{variant}", collect=False, digests=False
    )
    summary = result.summary()
    print(
        json.dumps(
            {
                "seconds": summary["seconds"],
                "total": round(time.perf_counter() - started, 2),
                "hits": {k: v for k, v in summary["hits_per_rule"].items() if v},
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("var/bench/screening/scale-1"))
    parser.add_argument("--variant", nargs="+", default=["as-is"], choices=list(VARIANTS))
    parser.add_argument("--queries", action="store_true", help="same as --variant queries")
    parser.add_argument("--out", type=Path, default=None, help="where the hit lists go (default: --data)")
    parser.add_argument("--child", choices=list(VARIANTS), help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    truth = json.loads((args.data / "truth.json").read_text())
    if args.queries:
        args.variant = ["queries"]
    if args.child:
        return child(args.data, args.child, truth["payment_month"], args.out or args.data)
    for variant in args.variant:
        for _ in range(args.repeat):
            load = os.getloadavg()[0]
            process = subprocess.Popen(
                [
                    sys.executable,
                    __file__,
                    "--data",
                    str(args.data),
                    "--child",
                    variant,
                    "--out",
                    str(args.out or args.data),
                ],
                stdout=subprocess.PIPE,
            )
            output = process.stdout.read().decode()
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
            if process.returncode:
                raise SystemExit(f"{variant} failed")
            result = json.loads(output.strip().splitlines()[-1])
            same = "= truth" if result["hits"] == truth["hits"] else f"≠ truth {truth['hits']}"
            stages = " ".join(f"{k} {v:.2f}" for k, v in result["seconds"].items())
            print(
                f"{variant:10} engine {result['total']:6.2f} s [{stages}]  CPU {usage.ru_utime + usage.ru_stime:6.2f} s  peak RSS {usage.ru_maxrss / 1024:6.0f} MiB  "
                f"load {load:5.2f}→{os.getloadavg()[0]:5.2f}  hits {same}",
                flush=True,
            )


if __name__ == "__main__":
    main()
