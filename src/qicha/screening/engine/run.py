"""`run_screening`: the one entry point the command, the job and the bench call."""

import os
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from qicha.core.errors import Invalid
from qicha.core.idnumbers import validate

from .kinds import KINDS, match_header, missing_message
from .reading import RegisterError, digest, prepare
from .result import MAX_BAD_LISTED, Hit, RegisterStats, ScreeningResult
from .rules import DEFAULT_RULES, RULES, merged_params
from .sqltext import (
    BENEFICIARY_CARRIED,
    BENEFICIARY_FETCHED,
    clean_sql,
    hits_sql,
    matched_sql,
    ordered_hits,
    typed_sql,
)

ENGINES = ("duckdb", "spark")
# The identity field of each reference register that must meet a beneficiary for any rule to fire: rows that
# cannot meet one are dropped while the register is read (bad rows are kept for the report). Cadres are kept
# whole: their relatives reach the beneficiaries through them.
MEETS_BENEFICIARY = {"cadre_relatives": "relative_id_number", "deaths": "id_number", "vehicles": "owner_id_number",
                     "companies": "person_id_number", "state_staff": "id_number", "negative_list": "id_number"}
DATE_TYPES = ("DATE", "TIMESTAMP")


def default_engine() -> str:
    return os.environ.get("QICHA_SCREENING_ENGINE", "") or "duckdb"


def choose_rules(registers: dict, rules) -> list[str]:
    """The rules asked for (checked against the registers given), or every rule whose registers are all there."""
    if rules:
        chosen = [code.strip().upper() for code in rules if code.strip()]
        unknown = [code for code in chosen if code not in RULES]
        if unknown:
            raise RegisterError(f"未知的比对规则：{'、'.join(unknown)}")
        for code in chosen:
            missing = [KINDS[kind].label for kind in RULES[code].registers if kind not in registers]
            if missing:
                raise RegisterError(f"规则 {code}（{RULES[code].name}）需要{'、'.join(missing)}名册。")
        return sorted(set(chosen), key=list(RULES).index)
    return [code for code in RULES if (code in DEFAULT_RULES or code == "V1")
            and all(kind in registers for kind in RULES[code].registers)]


def _backend(engine: str, workdir: Path):
    if engine == "duckdb":
        from .duck import DuckBackend

        return DuckBackend(workdir)
    if engine == "spark":
        from .spark import SparkBackend

        return SparkBackend(workdir)
    raise RegisterError(f"未知的比对引擎：{engine}（可选 duckdb、spark）")


def _reason(kind, row: tuple) -> tuple[str, str, str]:
    """(field, value, Chinese reason) for a bad row: (_row, <id>_bad…, dates…)."""
    bad_ids = row[1:1 + len(kind.id_fields)]
    for field, value in zip(kind.id_fields, bad_ids, strict=True):
        if value is None:
            continue
        label = kind.header(field)
        if not value:
            return field, "", f"{label}为空"
        try:
            validate(value, label)
        except Invalid as exc:
            return field, value, exc.message
        return field, value, f"{label}无效"
    for field in kind.required_dates:
        return field, "", f"{kind.header(field)}为空或无法识别（应为 2026-01-31 这样的日期）"
    return "", "", "无效"


def run_screening(registers: dict[str, str | Path], payment_month: str, rules=None, params: dict | None = None,
                  engine: str | None = None, *, out_dir: str | Path | None = None, collect: bool = True,
                  digests: bool = True, progress: Callable[[int, str], None] | None = None) -> ScreeningResult:
    """Compare the beneficiaries with the reference registers given (kind → file) for a payment month (YYYY-MM).

    `rules`: codes (default: every rule whose registers are given); `params`: {code: {name: value}} over the rules'
    defaults; `engine`: duckdb | spark (default QICHA_SCREENING_ENGINE, else duckdb). Raises RegisterError with a
    Chinese message for a register that cannot be read or lacks columns."""
    report = progress or (lambda percent, message: None)
    engine = engine or default_engine()
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", payment_month or ""):
        raise RegisterError("发放月份应写成 2026-11 这样的年月。")
    unknown = [kind for kind in registers if kind not in KINDS]
    if unknown:
        raise RegisterError(f"未知的名册类型：{'、'.join(unknown)}（可选 {'、'.join(KINDS)}）")
    if "beneficiaries" not in registers:
        raise RegisterError("请提供低保对象名册（beneficiaries）。")
    chosen = choose_rules(registers, rules)
    used = {code: merged_params(code, params) for code in chosen}
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[stage] = seconds.get(stage, 0.0) + now - clock
        clock = now

    order = ["beneficiaries", *[kind for kind in KINDS if kind in registers and kind != "beneficiaries"]]
    stats: dict[str, RegisterStats] = {}
    with tempfile.TemporaryDirectory(prefix="qicha-screening-") as work:
        workdir = Path(work)
        sources = {kind: prepare(kind, Path(registers[kind]), workdir) for kind in order}
        for kind, source in sources.items():
            stats[kind] = RegisterStats(kind, KINDS[kind].label, source.original.name,
                                        digest(source.original) if digests else "")
        lap("prepare")
        backend = _backend(engine, workdir)
        try:
            mappings = {kind: _mapping(backend, sources[kind]) for kind in order}
            if hasattr(backend, "read_ahead"):  # DuckDB reads the next registers while it types this one
                for kind in order[1:]:
                    backend.read_ahead(sources[kind], KINDS[kind], mappings[kind][0], MEETS_BENEFICIARY.get(kind))
            for step, kind in enumerate(order):
                report(5 + 70 * step // len(order), f"正在读取并校验{KINDS[kind].label}名册…")
                _load(backend, sources[kind], stats[kind], *mappings[kind])
                mappings[kind] = mappings[kind][0]
            lap("read")
            report(80, "正在按规则比对…")
            backend.create("matched", matched_sql(chosen, payment_month, params))
            fetched = backend.fetched("beneficiaries", "matched", mappings["beneficiaries"])
            backend.create("hits", hits_sql("matched", fetched))
            out_file = ""
            if out_dir:
                # DuckDB writes the file on its pool while the counts below run (written() waits for it).
                folder = Path(out_dir)
                folder.mkdir(parents=True, exist_ok=True)
                out_file = str(folder / "hits.parquet")
                backend.write_parquet("hits", Path(out_file))
            per_rule = dict.fromkeys(chosen, 0)
            per_rule.update(dict(backend.query("SELECT rule, count(*) FROM hits GROUP BY rule")))
            per_county = dict(sorted((county or "", count) for county, count in backend.query(
                "SELECT county_code, count(DISTINCT key) FROM hits GROUP BY county_code")))
            flagged = backend.query("SELECT count(DISTINCT key) FROM hits")[0][0]
            lap("rules")
            hits = None
            if collect:
                hits = [Hit(*row) for row in backend.query(ordered_hits())]
            if out_dir and hasattr(backend, "written"):
                backend.written()
            lap("output")
        finally:
            backend.close()
    report(95, "比对完成")
    return ScreeningResult(engine=engine, payment_month=payment_month, rules=chosen, params=used,
                           registers=stats, hits=hits, hits_per_rule=per_rule, hits_per_county=per_county,
                           beneficiaries_flagged=int(flagged), seconds=seconds, out_file=out_file)


def _mapping(backend, source) -> tuple[dict[str, str], set[str]]:
    """(field → the file's column, the date fields the file types as dates); every register is checked for
    missing columns before any is read."""
    kind = KINDS[source.kind]
    columns = backend.load(source)
    mapping, missing = match_header(kind, [name for name, _ in columns])
    if missing:
        raise RegisterError(missing_message(kind, source.original.name, missing), source.kind)
    types = dict(columns)
    return mapping, {field for field in kind.date_fields if types[mapping[field]].startswith(DATE_TYPES)}


def _load(backend, source, stats: RegisterStats, mapping: dict[str, str], dated: set[str]) -> None:
    kind = KINDS[source.kind]
    # The beneficiaries carry only what the comparison needs; the hit list's other fields are fetched at the end.
    fields = BENEFICIARY_CARRIED if source.kind == "beneficiaries" else None
    meets = MEETS_BENEFICIARY.get(source.kind)
    roll = source.kind == "beneficiaries"
    clean = backend.cleaned(source, kind, mapping, dated, fields, deferred=bool(meets), meets=meets, roll=roll,
                            carry=[mapping[field] for field in BENEFICIARY_FETCHED] if roll else [])
    ordered = source.format != "parquet"
    if meets:
        # Evidence fields are typed (trimmed, cast) only for the rows kept: bad ones and those that may meet a
        # beneficiary (the hit query's join decides which do).
        backend.create(source.kind, typed_sql(kind, clean, f"WHERE NOT c._ok OR {backend.may_meet('c', meets)}"),
                       ordered=ordered)
        stats.rows = backend.total_rows(source)
        stats.bad = backend.query(f"SELECT count(*) FROM {source.kind} WHERE NOT _ok")[0][0]
    else:
        backend.keep(source.kind, clean, ordered=ordered)
        stats.rows, stats.bad = backend.query(f"SELECT count(*), count(*) FILTER (WHERE NOT _ok) FROM {source.kind}")[0]
    listed = [f"{field}_bad" for field in kind.id_fields] + list(kind.required_dates)
    rows = backend.query(f"SELECT _row, {', '.join(listed)} FROM {source.kind} WHERE NOT _ok "
                         f"ORDER BY _row LIMIT {MAX_BAD_LISTED}")
    numbers = backend.row_numbers(source, [row[0] for row in rows])
    for number, row in zip(numbers, rows, strict=True):
        field, value, reason = _reason(kind, row)
        stats.bad_rows.append({"row": number, "field": field, "value": _masked(value), "reason": reason})


def _masked(value: str) -> str:
    """Bad rows are reported, not published: the middle of a long number is hidden like everywhere else."""
    return value[:6] + "*" * (len(value) - 10) + value[-4:] if len(value) > 10 else value


def check_columns(kind: str, path: str | Path, file_name: str = "") -> None:
    """Refuse a register lacking columns, naming them (read at upload, before anything is stored)."""
    if kind not in KINDS:
        raise RegisterError(f"未知的名册类型：{kind}")
    with tempfile.TemporaryDirectory(prefix="qicha-screening-") as work:
        source = prepare(kind, Path(path), Path(work))
        from .duck import DuckBackend

        backend = DuckBackend(Path(work))
        try:
            columns = backend.load(source)
        except RegisterError:
            raise
        except Exception:
            raise RegisterError(f"文件“{file_name or Path(path).name}”无法读取：请确认是 CSV、Excel 或 Parquet 文件。",
                                kind) from None
        finally:
            backend.close()
    _, missing = match_header(KINDS[kind], [name for name, _ in columns])
    if missing:
        raise RegisterError(missing_message(KINDS[kind], file_name or Path(path).name, missing), kind)


def negative_entries(path: str | Path) -> tuple[list[tuple[str, str, str]], RegisterStats]:
    """The valid rows of a negative list as (18-digit number, name, ground), with the list's row counts."""
    from .idsql import full_number

    with tempfile.TemporaryDirectory(prefix="qicha-screening-") as work:
        source = prepare("negative_list", Path(path), Path(work))
        from .duck import DuckBackend

        backend = DuckBackend(Path(work))
        stats = RegisterStats("negative_list", KINDS["negative_list"].label, Path(path).name)
        try:
            columns = backend.load(source)
            kind = KINDS["negative_list"]
            mapping, missing = match_header(kind, [name for name, _ in columns])
            if missing:
                raise RegisterError(missing_message(kind, Path(path).name, missing), "negative_list")
            backend.create("negative_list", clean_sql(kind, "src_negative_list", mapping), ordered=True)
            stats.rows = backend.query("SELECT count(*) FROM negative_list")[0][0]
            stats.bad = backend.query("SELECT count(*) FROM negative_list WHERE NOT _ok")[0][0]
            rows = backend.query(f"SELECT {full_number('id_number_key')}, coalesce(name, ''), coalesce(ground, '') "
                                 "FROM negative_list WHERE _ok ORDER BY _row")
        finally:
            backend.close()
    return rows, stats
