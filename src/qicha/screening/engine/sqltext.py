"""The SQL both engines run, built once in DuckDB's dialect: the cleaning of each register and the hit query.
`for_engine` hands it to an engine — unchanged for DuckDB, transpiled by sqlglot for Spark."""

from functools import lru_cache

from . import idsql
from .kinds import Kind
from .rules import rule_sql


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def clean_sql(kind: Kind, source: str, columns: dict[str, str], date_typed: set[str] = frozenset()) -> str:
    """One pass over a register: `_row`, `<field>_key` (BIGINT, NULL when bad) for each identity field, `_ok`,
    `<field>_bad` (the normalised text, kept only on bad rows, for the report) and the other fields typed."""
    first = ["_row"]
    for field in kind.keys:
        column = quote(columns[field])
        if field in kind.id_fields:
            first.append(f"{idsql.normalised(column)} AS {field}__s")
        elif field in kind.date_fields:
            if field in date_typed:
                first.append(f"CAST({column} AS DATE) AS {field}")
            else:
                text = f"replace(replace(trim(CAST({column} AS VARCHAR)), '/', '-'), '.', '-')"
                first.append(f"TRY_CAST({text} AS DATE) AS {field}")
        elif field == "monthly_amount":
            first.append(f"TRY_CAST({column} AS DOUBLE) AS {field}")
        else:
            first.append(f"trim(CAST({column} AS VARCHAR)) AS {field}")
    second = ["*"]
    for field in kind.id_fields:
        second.append(f"{idsql.body(field + '__s')} AS {field}__b")
        second.append(f"{idsql.given_check(field + '__s')} AS {field}__g")
    # Each check is computed once (its own level), then read by the key, the report and `_ok`.
    third = ["*"] + [f"coalesce({idsql.valid(f'{field}__b', f'{field}__g')}, FALSE) AS {field}__ok"
                     for field in kind.id_fields]
    oks = [f"{field}__ok" for field in kind.id_fields] + [f"{field} IS NOT NULL" for field in kind.required_dates]
    fourth = ["_row"]
    for field in kind.id_fields:
        fourth.append(f"CASE WHEN {field}__ok THEN {field}__b END AS {field}_key")
        fourth.append(f"CASE WHEN {field}__ok THEN NULL ELSE coalesce({field}__s, '') END AS {field}_bad")
    fourth += [field for field in kind.keys if field not in kind.id_fields]
    fourth.append(f"({' AND '.join(oks)}) AS _ok")
    return (f"SELECT {', '.join(fourth)} FROM (SELECT {', '.join(third)} FROM (SELECT {', '.join(second)} FROM "
            f"(SELECT {', '.join(first)} FROM {source}) AS l1) AS l2) AS l3")


def evidence_sql(rules: list[str], payment_month: str, params: dict | None) -> str:
    return " UNION ALL ".join(f"SELECT * FROM ({rule_sql(code, payment_month, params)}) AS {code.lower()}"
                              for code in rules)


def hits_sql(rules: list[str], payment_month: str, params: dict | None) -> str:
    """One row per piece of evidence, the beneficiaries joined once (`ordered_hits` reads them in a fixed order)."""
    number = idsql.full_number("h.key")
    return (
        "SELECT h.rule, h.key, " + number + " AS id_number, h.name, h.household_id, h.county_code, "
        "h.village_code, h.monthly_amount, h.ev1, h.ev2, h.ev3 FROM ("
        "SELECT DISTINCT e.rule, b.id_number_key AS key, b.name, b.household_id, b.county_code, b.village_code, "
        "b.monthly_amount, coalesce(e.ev1, '') AS ev1, coalesce(e.ev2, '') AS ev2, coalesce(e.ev3, '') AS ev3 "
        f"FROM ({evidence_sql(rules, payment_month, params)}) AS e "
        "JOIN beneficiaries b ON b.id_number_key = e.key WHERE b._ok) AS h")


HIT_ORDER = "rule, key, ev1, ev2, ev3, household_id, county_code, village_code, name"


def ordered_hits(table: str = "hits") -> str:
    return f"SELECT * FROM {table} ORDER BY {HIT_ORDER}"


@lru_cache(maxsize=256)
def for_engine(sql: str, engine: str) -> str:
    if engine == "duckdb":
        return sql
    import sqlglot

    return sqlglot.transpile(sql, read="duckdb", write="spark")[0]
