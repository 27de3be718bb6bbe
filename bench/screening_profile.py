"""Where the comparison's time goes, and what a change to its SQL would save (issue 17's 5.5 s target).

    .venv/bin/python bench/screening_profile.py --data var/bench/screening/scale-1 --variant as-is fast-path

Runs the app's engine (`run_screening`, DuckDB) in a child process per variant and prints its seconds per stage,
peak RSS and hits per rule. A variant changes only the SQL the engine generates, inside this process (the app's
files are not touched): e.g. `fast-path` lets numbers already in their plain 18-character form skip the
normalisation (translate / upper / trim / replace), which every row pays today.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

KINDS = ["beneficiaries", "cadres", "cadre_relatives", "deaths", "vehicles", "companies", "state_staff"]


def fast_path(idsql) -> None:
    """Plain 18-character numbers (≈95% of rows) skip the folding; only the others pay for translate & co."""
    original = idsql.normalised

    def normalised(column: str) -> str:
        text = f"CAST({column} AS VARCHAR)"
        return (
            f"CASE WHEN length({text}) = 18 AND regexp_full_match({text}, '[0-9]{{17}}[0-9X]') "
            f"THEN {text} ELSE {original(column)} END"
        )

    idsql.normalised = normalised


VARIANTS = {"as-is": None, "fast-path": fast_path}


def child(data: Path, variant: str, payment_month: str) -> None:
    from qicha.screening.engine import idsql, run_screening

    if VARIANTS[variant]:
        VARIANTS[variant](idsql)
    registers = {kind: data / f"{kind}.parquet" for kind in KINDS}
    started = time.perf_counter()
    result = run_screening(
        registers, payment_month, out_dir=data / f"profile-{variant}", collect=False, digests=False
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
    parser.add_argument("--variant", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--child", choices=list(VARIANTS), help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    truth = json.loads((args.data / "truth.json").read_text())
    if args.child:
        return child(args.data, args.child, truth["payment_month"])
    for variant in args.variant:
        for _ in range(args.repeat):
            load = os.getloadavg()[0]
            process = subprocess.Popen(
                [sys.executable, __file__, "--data", str(args.data), "--child", variant],
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
