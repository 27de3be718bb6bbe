"""Times the app's comparison command on the synthetic province and checks its hits against the ground truth.

    python bench/screening_bench.py --scale 1 0.1                       # DuckDB at both scales
    python bench/screening_bench.py --scale 0.1 --engine duckdb spark    # + Spark local[*], hits compared row by row

Each run is `python -m qicha screening run --engine E --register KIND=PATH … --payment-month M --out DIR
--no-digest` in a child process (the app's virtualenv, --python). Printed per run: wall seconds of the process, the
command's own seconds per stage, peak memory (the child's maxrss from wait4, and the peak summed RSS of its process
tree sampled every 50 ms, which also counts Spark's JVM), the load average before and after, hits per rule, and
whether they equal the ground truth (truth.json / truth_hits.parquet from bench/screening_province.py) — per rule,
per bad-row count, and hit by hit. With both engines at one scale, their hit lists are also compared row by row.
Results are appended as JSON lines to var/bench/screening/results.jsonl.
"""

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

KINDS = ["beneficiaries", "cadres", "cadre_relatives", "deaths", "vehicles", "companies", "state_staff"]
ROOT = Path(__file__).resolve().parent.parent


def tree_rss(pid: int) -> int:
    """Summed RSS (bytes) of pid and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += rss.get(current, 0)
        stack.extend(children.get(current, []))
    return total


def measure(command: list[str], env: dict) -> dict:
    load_before = os.getloadavg()
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss(process.pid))
            done.wait(0.05)

    streams = {}

    def drain(name, stream):
        streams[name] = stream.read()

    threads = [
        threading.Thread(target=sample, daemon=True),
        threading.Thread(target=drain, args=("out", process.stdout), daemon=True),
        threading.Thread(target=drain, args=("err", process.stderr), daemon=True),
    ]
    for thread in threads:
        thread.start()
    _, status, usage = os.wait4(process.pid, 0)  # not Popen.wait: wait4 also gives the child's peak RSS
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    done.set()
    for thread in threads:
        thread.join()
    out, err = streams["out"], streams["err"]
    if process.returncode:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{err.decode()[-3000:]}")
    return {
        "wall": wall,
        "stdout": out.decode(),
        "tree_peak_mib": peak[0] / 2**20,
        "maxrss_mib": usage.ru_maxrss / 1024,
        "cpu": usage.ru_utime + usage.ru_stime,  # steadier than wall time on a shared machine
        "load_before": load_before,
        "load_after": os.getloadavg(),
    }


def run_command(args, engine: str, data: Path, out: Path, truth: dict) -> dict:
    command = [
        args.python,
        "-m",
        "qicha",
        "screening",
        "run",
        "--engine",
        engine,
        "--payment-month",
        truth["payment_month"],
        "--out",
        str(out),
    ]
    for kind in KINDS:
        command += ["--register", f"{kind}={data / f'{kind}.parquet'}"]
    if not args.digest:
        command.append("--no-digest")
    env = dict(os.environ)
    if args.threads:
        env["QICHA_SCREENING_THREADS"] = str(args.threads)
    return measure(command, env)


def check(truth: dict, summary: dict, hits_file: Path, truth_file: Path) -> list[str]:
    """What differs from the ground truth (empty when everything matches)."""
    problems = []
    got = {rule: count for rule, count in summary["hits_per_rule"].items() if count}
    if got != truth["hits"]:
        problems.append(f"hits per rule {got} ≠ truth {truth['hits']}")
    if summary["beneficiaries_flagged"] != truth["beneficiaries_flagged"]:
        problems.append(
            f"flagged {summary['beneficiaries_flagged']} ≠ truth {truth['beneficiaries_flagged']}"
        )
    for kind, expected in truth["registers"].items():
        seen = summary["registers"].get(kind, {})
        if (seen.get("rows"), seen.get("bad")) != (expected["rows"], expected["bad_rows"]):
            problems.append(
                f"{kind}: rows/bad {seen.get('rows')}/{seen.get('bad')} ≠ truth "
                f"{expected['rows']}/{expected['bad_rows']}"
            )
    con = duckdb.connect()
    app = f"SELECT rule, id_number FROM '{hits_file}'"
    want = f"SELECT rule, beneficiary_id_number FROM '{truth_file}'"
    extra = con.execute(f"SELECT count(*) FROM ({app} EXCEPT ALL {want})").fetchone()[0]
    missing = con.execute(f"SELECT count(*) FROM ({want} EXCEPT ALL {app})").fetchone()[0]
    if extra or missing:
        problems.append(f"hit by hit: {extra} not in the truth, {missing} of the truth missing")
    return problems


def same_hits(first: Path, second: Path) -> str:
    """Row-by-row comparison of two engines' hit lists (every column, as text)."""
    con = duckdb.connect()
    columns = [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM '{first}'").fetchall()]
    text = ", ".join(f"CAST({c} AS VARCHAR) AS {c}" for c in columns)
    a, b = f"SELECT {text} FROM '{first}'", f"SELECT {text} FROM '{second}'"
    only_a = con.execute(f"SELECT count(*) FROM ({a} EXCEPT ALL {b})").fetchone()[0]
    only_b = con.execute(f"SELECT count(*) FROM ({b} EXCEPT ALL {a})").fetchone()[0]
    rows = con.execute(f"SELECT count(*) FROM '{first}'").fetchone()[0]
    if only_a or only_b:
        return f"DIFFERENT: {only_a} rows only in the first, {only_b} only in the second (of {rows})"
    return f"identical ({rows:,} rows, {len(columns)} columns)"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", nargs="+", default=["1", "0.1"])
    parser.add_argument("--engine", nargs="+", default=["duckdb"], choices=["duckdb", "spark"])
    parser.add_argument("--data-root", type=Path, default=ROOT / "var/bench/screening")
    parser.add_argument(
        "--out-root",
        type=Path,
        default=None,
        help="where hit lists and results.jsonl go (default: --data-root)",
    )
    parser.add_argument("--python", default=str(ROOT / ".venv/bin/python"), help="the app's interpreter")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--threads", type=int, default=0, help="QICHA_SCREENING_THREADS (default: the app's)")
    parser.add_argument(
        "--digest", action="store_true", help="also hash the files (the run record's digests)"
    )
    args = parser.parse_args()
    out_root = args.out_root or args.data_root
    out_root.mkdir(parents=True, exist_ok=True)
    results = out_root / "results.jsonl"
    for scale in args.scale:
        data = args.data_root / f"scale-{float(scale):g}"
        truth = json.loads((data / "truth.json").read_text())
        outs = {}
        for engine in args.engine:
            for attempt in range(args.repeat):
                out = out_root / f"scale-{float(scale):g}" / f"run-{engine}"
                measured = run_command(args, engine, data, out, truth)
                summary = json.loads(measured["stdout"].strip().splitlines()[-1])
                problems = check(truth, summary, out / "hits.parquet", data / "truth_hits.parquet")
                outs[engine] = out / "hits.parquet"
                line = {
                    "at": datetime.now(UTC).isoformat(timespec="seconds"),
                    "scale": float(scale),
                    "engine": engine,
                    "attempt": attempt + 1,
                    "rows": truth["total_rows"],
                    "wall": round(measured["wall"], 2),
                    "cpu": round(measured["cpu"], 2),
                    "stages": summary["seconds"],
                    "maxrss_mib": measured["maxrss_mib"] and round(measured["maxrss_mib"]),
                    "tree_peak_mib": round(measured["tree_peak_mib"]),
                    "load_before": [round(x, 2) for x in measured["load_before"]],
                    "load_after": [round(x, 2) for x in measured["load_after"]],
                    "hits_per_rule": summary["hits_per_rule"],
                    "flagged": summary["beneficiaries_flagged"],
                    "truth": problems or "equal",
                    "digest": args.digest,
                }
                with open(results, "a") as handle:
                    handle.write(json.dumps(line, ensure_ascii=False) + "\n")
                stages = " ".join(f"{k} {v:.2f}" for k, v in summary["seconds"].items())
                print(
                    f"scale {float(scale):g} {engine:6} wall {measured['wall']:6.2f} s  CPU {measured['cpu']:6.2f} s  [{stages}]  "
                    f"maxrss {line['maxrss_mib']} MiB  tree peak {line['tree_peak_mib']} MiB  "
                    f"load {line['load_before'][0]:.2f}→{line['load_after'][0]:.2f}  "
                    f"hits {summary['hits_per_rule']}  truth: {line['truth']}",
                    flush=True,
                )
        if len(outs) == 2:
            print(
                f"scale {float(scale):g} duckdb vs spark hit lists: {same_hits(outs['duckdb'], outs['spark'])}"
            )


if __name__ == "__main__":
    sys.exit(main())
