"""Reference figures for the data-comparison bench (issue 17): the five rules hand-written, outside the app.

    python bench/screening_baselines.py --data var/bench/screening/scale-1                  # DuckDB variants
    python bench/screening_baselines.py --data var/bench/screening/scale-0.1 --only pandas  # pandas at 1/10

Variants (each runs in a child process; the parent prints wall seconds and the child's peak RSS from wait4):
- duckdb-raw        the plain query: joins the identity numbers as they are written (no normalisation, no
                    check digit). The issue's "≈5.7 s" reference; it misses the messy numbers' hits on purpose.
- duckdb-string     the same query after normalising every number in SQL as a string (full-width, spaces,
                    lower-case x, 15 → 18 digits, GB 11643 check digit, birth date, province): correct hits.
- duckdb-int64      normalised the same way, then compared as 64-bit integers (the first 17 digits: the check
                    digit is implied once checked), each reference register read once.
- pandas            the int64 method in pandas + NumPy (vectorised normalisation, merges); for 1/10 scale.

Every variant writes its hit list (rule, beneficiary number, evidence) to OUT/<variant>.parquet and prints its hits
per rule beside the ground truth in truth.json.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK_CHARS = "10X98765432"
PROVINCES = [
    "11",
    "12",
    "13",
    "14",
    "15",
    "21",
    "22",
    "23",
    "31",
    "32",
    "33",
    "34",
    "35",
    "36",
    "37",
    "41",
    "42",
    "43",
    "44",
    "45",
    "46",
    "50",
    "51",
    "52",
    "53",
    "54",
    "61",
    "62",
    "63",
    "64",
    "65",
    "71",
    "81",
    "82",
    "83",
]
EXEMPT = ["二轮摩托车", "三轮汽车", "拖拉机"]
HIT_ROLES = ["法定代表人", "股东"]
ID_COLUMNS = {
    "beneficiaries": ["id_number"],
    "cadres": ["id_number"],
    "cadre_relatives": ["cadre_id_number", "relative_id_number"],
    "deaths": ["id_number"],
    "vehicles": ["owner_id_number"],
    "companies": ["person_id_number"],
    "state_staff": ["id_number"],
}
VARIANTS = ["duckdb-raw", "duckdb-string", "duckdb-int64", "pandas"]


def month_start(payment_month: str) -> date:
    year, month = (int(p) for p in payment_month.split("-"))
    return date(year, month, 1)


# -- DuckDB ---------------------------------------------------------------------------------------------------------
def duckdb_macros(con):
    """Normalisation as SQL macros: norm(s) → the 18-character form or NULL when it is not a valid number."""
    digit_sum = " + ".join(f"(ascii(substr(b, {k + 1}, 1)) - 48) * {w}" for k, w in enumerate(WEIGHTS))
    con.execute(f"""
        CREATE MACRO folded(s) AS upper(replace(replace(translate(s, '０１２３４５６７８９Ｘｘ', '0123456789XX'),
                                                        ' ', ''), '　', ''));
        CREATE MACRO check_of(b) AS substr('{CHECK_CHARS}', ({digit_sum}) % 11 + 1, 1);
        CREATE MACRO upgraded(f) AS CASE
            WHEN length(f) = 15 AND regexp_full_match(f, '[0-9]{{15}}')
            THEN substr(f, 1, 6) || '19' || substr(f, 7, 9) || check_of(substr(f, 1, 6) || '19' || substr(f, 7, 9))
            ELSE f END;
        CREATE MACRO valid18(n) AS (
            length(n) = 18 AND regexp_full_match(n, '[0-9]{{17}}[0-9X]')
            AND try_strptime(substr(n, 7, 8), '%Y%m%d') IS NOT NULL
            AND right(n, 1) = check_of(n) AND substr(n, 1, 2) IN ({", ".join(f"'{p}'" for p in PROVINCES)}));
    """)


def duckdb_rules(key: dict[str, str], pm: date) -> str:
    """The five rules as one UNION ALL; key[register] is the SQL of its (normalised) key table."""
    exempt = ", ".join(f"'{t}'" for t in EXEMPT)
    roles = ", ".join(f"'{r}'" for r in HIT_ROLES)
    return f"""
        WITH b AS ({key["beneficiaries"]}), c AS ({key["cadres"]}), r AS ({key["cadre_relatives"]})
        SELECT 'R1' AS rule, b.raw AS beneficiary, '本人 ' || c.post AS evidence FROM b JOIN c ON b.k = c.k
        UNION ALL
        SELECT 'R1', b.raw, r.relation || ' of ' || c.raw FROM b JOIN r ON b.k = r.k JOIN c ON r.ck = c.k
        UNION ALL
        SELECT 'R2', b.raw, CAST(d.death_date AS VARCHAR) FROM b JOIN ({key["deaths"]}) d ON b.k = d.k
        WHERE d.death_date < DATE '{pm}'
        UNION ALL
        SELECT 'R3', b.raw, v.plate || ' ' || v.vehicle_type FROM b JOIN ({key["vehicles"]}) v ON b.k = v.k
        WHERE v.vehicle_type NOT IN ({exempt})
        UNION ALL
        SELECT 'R4', b.raw, co.company_name || ' ' || co.role FROM b JOIN ({key["companies"]}) co ON b.k = co.k
        WHERE co.role IN ({roles})
        UNION ALL
        SELECT 'R5', b.raw, s.employer FROM b JOIN ({key["state_staff"]}) s ON b.k = s.k"""


def key_tables(data: Path, how: str) -> dict[str, str]:
    """Per register: its rows with k (the comparison key) and raw (the number as shown in the hit list)."""
    extra = {
        "beneficiaries": "",
        "cadres": ", post",
        "cadre_relatives": ", relation",
        "deaths": ", death_date",
        "vehicles": ", plate, vehicle_type",
        "companies": ", company_name, role",
        "state_staff": ", employer",
    }
    out = {}
    for register, columns in ID_COLUMNS.items():
        path = data / f"{register}.parquet"
        main = columns[-1]
        if how == "raw":
            ck = f", {columns[0]} AS ck" if len(columns) == 2 else ""
            out[register] = f"SELECT {main} AS k, {main} AS raw{ck}{extra[register]} FROM '{path}'"
            continue
        # three steps, so that each macro sees a column and not a copy of the expression below it
        cols = extra[register]
        two = len(columns) == 2
        folded = (
            f"SELECT folded({main}) AS f{f', folded({columns[0]}) AS cf' if two else ''}{cols} FROM '{path}'"
        )
        upgraded = f"SELECT upgraded(f) AS u{', upgraded(cf) AS cu' if two else ''}{cols} FROM ({folded})"
        checked = (
            f"SELECT CASE WHEN valid18(u) THEN u END AS n"
            f"{', CASE WHEN valid18(cu) THEN cu END AS ck' if two else ''}{cols} FROM ({upgraded})"
        )
        if how == "string":
            out[register] = (
                f"SELECT n AS k, n AS raw{', ck' if two else ''}{cols} FROM ({checked}) WHERE n IS NOT NULL"
            )
        else:  # int64: the first 17 digits; the check digit adds nothing once it has been checked
            ck64 = ", CAST(substr(ck, 1, 17) AS BIGINT) AS ck" if two else ""
            out[register] = (
                f"SELECT CAST(substr(n, 1, 17) AS BIGINT) AS k, n AS raw{ck64}{cols} "
                f"FROM ({checked}) WHERE n IS NOT NULL"
            )
    return out


def run_duckdb(data: Path, how: str, out: Path, pm: date, threads: int) -> dict:
    import duckdb

    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    duckdb_macros(con)
    started = time.perf_counter()
    con.execute(
        f"COPY ({duckdb_rules(key_tables(data, how), pm)}) TO '{out}' (FORMAT parquet, COMPRESSION zstd)"
    )
    seconds = time.perf_counter() - started
    counts = dict(con.execute(f"SELECT rule, count(*) FROM '{out}' GROUP BY rule ORDER BY rule").fetchall())
    return {"seconds": round(seconds, 2), "hits": counts}


# -- pandas ---------------------------------------------------------------------------------------------------------
def pandas_keys(raw):
    """Vectorised normalisation: (int64 key of the first 17 digits or -1, the 18-character form)."""
    import numpy as np
    import pandas as pd

    folded = (
        raw.fillna("")
        .str.translate(str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789XX", " 　"))
        .str.upper()
    )
    lengths = folded.str.len()
    old = (lengths == 15) & folded.str.isdigit()
    body = folded.str.slice(0, 17).where(~old, folded.str.slice(0, 6) + "19" + folded.str.slice(6, 15))
    body_ok = (body.str.len() == 17) & body.str.isdigit() & ((lengths == 18) | old)
    matrix = np.frombuffer(body.where(body_ok, "0" * 17).to_numpy(dtype="S17").tobytes(), dtype=np.uint8)
    digits = matrix.reshape(-1, 17).astype(np.int64) - 48
    check = np.array(list(CHECK_CHARS))[(digits @ np.array(WEIGHTS)) % 11]
    last = folded.str.slice(17, 18).to_numpy()
    given_ok = np.where(old.to_numpy(), True, last == check)
    births = pd.to_datetime(body.str.slice(6, 14), format="%Y%m%d", errors="coerce")
    ok = (
        body_ok.to_numpy()
        & given_ok
        & births.notna().to_numpy()
        & body.str.slice(0, 2).isin(PROVINCES).to_numpy()
    )
    keys = np.where(ok, digits @ (10 ** np.arange(16, -1, -1, dtype=np.int64)), -1)
    return keys, (body + pd.Series(check, index=body.index)).where(ok)


def run_pandas(data: Path, out: Path, pm: date) -> dict:
    import pandas as pd

    started = time.perf_counter()
    frames = {}
    for register, columns in ID_COLUMNS.items():
        frame = pd.read_parquet(data / f"{register}.parquet")
        frame["k"], frame["n"] = pandas_keys(frame[columns[-1]])
        if len(columns) == 2:
            frame["ck"], _ = pandas_keys(frame[columns[0]])
        frames[register] = frame[frame["k"] >= 0]
    b = frames["beneficiaries"][["k", "n"]]
    c = frames["cadres"]
    parts = []
    m = b.merge(c[["k", "post"]], on="k")
    parts.append(pd.DataFrame({"rule": "R1", "beneficiary": m["n"], "evidence": "本人 " + m["post"]}))
    m = b.merge(frames["cadre_relatives"][["k", "ck", "relation"]], on="k").merge(
        c[["k", "n"]].rename(columns={"k": "ck", "n": "cadre"}), on="ck"
    )
    parts.append(
        pd.DataFrame({"rule": "R1", "beneficiary": m["n"], "evidence": m["relation"] + " of " + m["cadre"]})
    )
    d = frames["deaths"]
    m = b.merge(d[d["death_date"] < pd.Timestamp(pm).date()][["k", "death_date"]], on="k")
    parts.append(pd.DataFrame({"rule": "R2", "beneficiary": m["n"], "evidence": m["death_date"].astype(str)}))
    v = frames["vehicles"]
    m = b.merge(v[~v["vehicle_type"].isin(EXEMPT)][["k", "plate", "vehicle_type"]], on="k")
    parts.append(
        pd.DataFrame({"rule": "R3", "beneficiary": m["n"], "evidence": m["plate"] + " " + m["vehicle_type"]})
    )
    co = frames["companies"]
    m = b.merge(co[co["role"].isin(HIT_ROLES)][["k", "company_name", "role"]], on="k")
    parts.append(
        pd.DataFrame({"rule": "R4", "beneficiary": m["n"], "evidence": m["company_name"] + " " + m["role"]})
    )
    m = b.merge(frames["state_staff"][["k", "employer"]], on="k")
    parts.append(pd.DataFrame({"rule": "R5", "beneficiary": m["n"], "evidence": m["employer"]}))
    hits = pd.concat(parts, ignore_index=True)
    hits.to_parquet(out, compression="zstd", index=False)
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 2), "hits": hits.groupby("rule").size().astype(int).to_dict()}


# -- driver ---------------------------------------------------------------------------------------------------------
def child(args) -> None:
    out = args.out / f"{args.child}.parquet"
    pm = month_start(args.payment_month)
    if args.child == "pandas":
        result = run_pandas(args.data, out, pm)
    else:
        result = run_duckdb(args.data, args.child.removeprefix("duckdb-"), out, pm, args.threads)
    print(json.dumps(result, ensure_ascii=False), flush=True)


def measure(command: list[str], env: dict | None = None) -> tuple[float, float, str, float, float]:
    """Run a child; (wall seconds, peak RSS MiB, its stdout, load average at the start, CPU seconds)."""
    load = os.getloadavg()[0]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, env=env)
    output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command} failed")
    return wall, usage.ru_maxrss / 1024, output, load, usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("var/bench/screening/scale-1"))
    parser.add_argument("--out", type=Path, default=None, help="hit lists; default DATA/baselines")
    parser.add_argument("--only", nargs="*", choices=VARIANTS, default=None)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--child", choices=VARIANTS, help=argparse.SUPPRESS)
    parser.add_argument("--payment-month", default=None)
    args = parser.parse_args()
    truth = json.loads((args.data / "truth.json").read_text())
    args.payment_month = args.payment_month or truth["payment_month"]
    args.out = args.out or args.data / "baselines"
    args.out.mkdir(parents=True, exist_ok=True)
    if args.child:
        return child(args)
    variants = args.only or [v for v in VARIANTS if v != "pandas" or truth["scale"] <= 0.1]
    rows = sum(r["rows"] for r in truth["registers"].values())
    print(f"data {args.data} ({rows:,} rows, scale {truth['scale']:g}); truth {truth['hits']}")
    for variant in variants:
        for _ in range(args.repeat):
            wall, rss, output, load, cpu = measure(
                [
                    sys.executable,
                    __file__,
                    "--data",
                    str(args.data),
                    "--out",
                    str(args.out),
                    "--child",
                    variant,
                    "--threads",
                    str(args.threads),
                    "--payment-month",
                    args.payment_month,
                ]
            )
            result = json.loads(output.strip().splitlines()[-1])
            same = "= truth" if result["hits"] == truth["hits"] else "≠ truth"
            print(
                f"{variant:14} query {result['seconds']:6.2f} s  process {wall:6.2f} s  CPU {cpu:6.2f} s  peak RSS {rss:7.0f} MiB  "
                f"load {load:4.2f}  hits {result['hits']} {same}",
                flush=True,
            )


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
