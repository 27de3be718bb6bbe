"""The SQL both engines run, built once in DuckDB's dialect: the cleaning of each register and the hit query.
`for_engine` hands it to an engine — unchanged for DuckDB, transpiled by sqlglot for Spark."""

from functools import lru_cache

from . import idsql
from .kinds import KINDS, Kind
from .rules import rule_sql


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def typed(kind: Kind, field: str, columns: dict[str, str], date_typed: set[str] = frozenset()) -> str:
    """A field other than an identity number, as the rules and the hit list read it."""
    column = quote(columns[field])
    if field in kind.date_fields:
        if field in date_typed:
            return f"CAST({column} AS DATE) AS {field}"
        text = f"replace(replace(trim(CAST({column} AS VARCHAR)), '/', '-'), '.', '-')"
        return f"TRY_CAST({text} AS DATE) AS {field}"
    if field == "monthly_amount":
        return f"TRY_CAST({column} AS DOUBLE) AS {field}"
    return f"trim(CAST({column} AS VARCHAR)) AS {field}"


def other_fields(kind: Kind, fields: list[str] | None) -> list[str]:
    """The fields other than identity numbers that a cleaned register carries (`fields`: which; default all)."""
    wanted = kind.keys if fields is None else [*fields, *(d for d in kind.required_dates if d not in fields)]
    return [field for field in wanted if field not in kind.id_fields]


def other_columns(kind: Kind, others: list[str], columns: dict[str, str], date_typed: set[str],
                  deferred: bool) -> list[str]:
    # deferred: fields that `_ok` does not read pass through as the file has them (`typed_sql` types them after a
    # filter, for the few rows kept).
    return [typed(kind, field, columns, date_typed) if not deferred or field in kind.required_dates
            else f"{quote(columns[field])} AS {field}" for field in others]


def keyed_sql(kind: Kind, source: str, columns: dict[str, str], date_typed: set[str] = frozenset(),
              fields: list[str] | None = None, *, deferred: bool = False, carried: tuple[str, ...] = ()) -> str:
    """What clean_sql gives, from a table whose identity numbers are keyed already (engine/arrowids.py): `_row`,
    `<field>_key`, `<field>_bad`, `_ids_ok` and the file's other columns under their own names (`carried`: more
    of the table's columns, passed through)."""
    others = other_fields(kind, fields)
    ids = [f"{f}_{part}" for f in kind.id_fields for part in ("key", "bad")] + list(carried)
    inner = f"SELECT _row, {', '.join(ids + other_columns(kind, others, columns, date_typed, deferred))}, _ids_ok FROM {source}"
    ok = " AND ".join(["_ids_ok"] + [f"{field} IS NOT NULL" for field in kind.required_dates])
    return f"SELECT _row, {', '.join(ids + others)}, ({ok}) AS _ok FROM ({inner}) AS k"


def clean_sql(kind: Kind, source: str, columns: dict[str, str], date_typed: set[str] = frozenset(),
              fields: list[str] | None = None, *, deferred: bool = False) -> str:
    """One pass over a register: `_row`, `<field>_key` (BIGINT, NULL when bad) for each identity field, `_ok`,
    `<field>_bad` (the normalised text, kept only on bad rows, for the report) and the other fields typed
    (`fields`: which of them; default all — an engine reads only the columns a query names).

    Levels, each computed once and read by the next: the text and its integer cast; which numbers are plain
    (18 digits, or 17 and X); the folded text of the others only; the 17-digit body and the check digit written;
    the body split in two below 10^9; the check (idsql.valid_parts)."""
    others = other_fields(kind, fields)
    first = ["_row"]
    for field in kind.id_fields:
        raw = f"CAST({quote(columns[field])} AS VARCHAR)"
        first.append(f"{raw} AS {field}__t")
        first.append(f"TRY_CAST({raw} AS BIGINT) AS {field}__n")
    first += other_columns(kind, others, columns, date_typed, deferred)
    levels = [first]
    plain, with_x, fold, messy, body, split = (["*"] for _ in range(6))
    checks = [["*"] for _ in range(4)]
    for f in kind.id_fields:
        plain.append(f"{idsql.digits18(f + '__t', f + '__n')} AS {f}__d")
        with_x.append(f"CASE WHEN {f}__d THEN NULL ELSE {idsql.x17(f + '__t')} END AS {f}__x")
        fold.append(f"CASE WHEN {f}__d OR {f}__x IS NOT NULL THEN NULL ELSE {idsql.folded(f + '__t')} END AS {f}__s")
        messy.append(f"CASE WHEN {f}__d THEN {f}__n // 10 WHEN {f}__x IS NOT NULL THEN {f}__x "
                     f"ELSE {idsql.body(f + '__s')} END AS {f}__b")
        body.append(f"CASE WHEN {f}__d THEN {f}__n - {f}__b * 10 WHEN {f}__x IS NOT NULL THEN 10 "
                    f"ELSE {idsql.given_check(f + '__s')} END AS {f}__g")
        body.append(f"{f}__b // 100000000 AS {f}__hi")
        split.append(f"{f}__b - {f}__hi * 100000000 AS {f}__lo")
        for level, columns in zip(checks, idsql.check_levels(f), strict=True):
            level.extend(columns)
    levels += [plain, with_x, fold, messy, body, split, *checks]
    oks = [f"{field}__ok" for field in kind.id_fields] + [f"{field} IS NOT NULL" for field in kind.required_dates]
    last = ["_row"]
    for f in kind.id_fields:
        last.append(f"CASE WHEN {f}__ok THEN {f}__b END AS {f}_key")
        last.append(f"CASE WHEN {f}__ok THEN NULL ELSE coalesce({f}__s, upper({f}__t), '') END AS {f}_bad")
    last += others
    last.append(f"({' AND '.join(oks)}) AS _ok")
    sql = f"SELECT {', '.join(first)} FROM {source}"
    for number, level in enumerate(levels[1:] + [last], start=1):
        sql = f"SELECT {', '.join(level)} FROM ({sql}) AS l{number}"
    return sql


def typed_sql(kind: Kind, inner: str, where: str = "") -> str:
    """The rows of `inner` (clean_sql(…, deferred=True)) with the deferred fields typed."""
    names = {field: field for field in kind.keys}
    columns = ["_row"] + [f"{f}_{part}" for f in kind.id_fields for part in ("key", "bad")]
    columns += [field if field in kind.id_fields or field in kind.required_dates else typed(kind, field, names)
                for field in kind.keys if field not in kind.id_fields]
    return f"SELECT {', '.join(columns)}, _ok FROM ({inner}) AS c {where}"


def evidence_sql(rules: list[str], payment_month: str, params: dict | None) -> str:
    return " UNION ALL ".join(f"SELECT * FROM ({rule_sql(code, payment_month, params)}) AS {code.lower()}"
                              for code in rules)


# The beneficiaries' fields that only the hit list shows: read at the end for the hit rows, by row number, not
# carried through the comparison for every beneficiary.
BENEFICIARY_CARRIED: list[str] = []
BENEFICIARY_FETCHED = ["name", "household_id", "county_code", "village_code", "monthly_amount"]


def fetch_sql(kind: Kind, source: str, columns: dict[str, str]) -> str:
    """The fetched fields of a register by `_row`, as the file has them (engines read only these columns; they are
    typed in hits_sql, for the hit rows only)."""
    return f"SELECT _row, {', '.join(f'{quote(columns[field])} AS {field}' for field in BENEFICIARY_FETCHED)} FROM {source}"


def matched_sql(rules: list[str], payment_month: str, params: dict | None) -> str:
    """The evidence that meets a beneficiary, the beneficiaries joined once on the key: rule, key, `_row` (the
    beneficiary's row, for fetch_sql) and ev1–ev3."""
    return ("SELECT e.rule, b.id_number_key AS key, b._row, coalesce(e.ev1, '') AS ev1, "
            "coalesce(e.ev2, '') AS ev2, coalesce(e.ev3, '') AS ev3 "
            f"FROM ({evidence_sql(rules, payment_month, params)}) AS e "
            "JOIN beneficiaries b ON b.id_number_key = e.key WHERE b._ok")


def hits_sql(matched: str, fetched: str) -> str:
    """One row per piece of evidence (`ordered_hits` reads them in a fixed order): the `matched` table with the
    number written out and the beneficiary's other fields from `fetched` (fetch_sql), by row number."""
    number = idsql.full_number("h.key")
    beneficiaries = KINDS["beneficiaries"]
    fields = ", ".join(typed(beneficiaries, field, {field: field}) for field in BENEFICIARY_FETCHED)
    return (f"SELECT DISTINCT h.rule, h.key, {number} AS id_number, {fields}, h.ev1, h.ev2, h.ev3 "
            f"FROM {matched} AS h JOIN ({fetched}) AS f ON f._row = h._row")


HIT_ORDER = "rule, key, ev1, ev2, ev3, household_id, county_code, village_code, name"


def ordered_hits(table: str = "hits") -> str:
    return f"SELECT * FROM {table} ORDER BY {HIT_ORDER}"


@lru_cache(maxsize=256)
def for_engine(sql: str, engine: str) -> str:
    if engine == "duckdb":
        return sql
    import sqlglot

    return sqlglot.transpile(sql, read="duckdb", write="spark")[0]
