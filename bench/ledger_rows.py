"""Sector ledger rows at 200,000 rows in one ledger (农村低保专项治理台账): the list's first page, a filter on a choice
column, an identity-number search and the export, as the office (全部) and a district liaison (本单位及下级).

It also times the alternative storage on the same rows: the choice filter as a JSON expression (`values->>'kind'`,
`json_extract`), without and with an expression index, so the choice in docs/architecture.md rests on figures.

    .venv/bin/python bench/ledger_rows.py --generate            # SQLite under var/bench/
    QICHA_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/qicha_bench_ledgers .venv/bin/python bench/ledger_rows.py --generate
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

ROWS = 200_000
PASSWORD = "Bench-Pass-2026!"


def configure() -> str:
    from problem_ledger import configure as base_configure

    return base_configure()


def generate(rows: int) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    from qicha.core.crypto import blind_index, encrypt_text
    from qicha.core.registry import ORGS, load_demo_data
    from qicha.ledgers.columns import search_text
    from qicha.ledgers.models import LedgerDefinition, LedgerRow, LedgerRowKey
    from qicha.ledgers.services.rows import digest
    from qicha.orgs.models import Unit, User

    call_command("flush", interactive=False, verbosity=0) if connection.introspection.table_names() else None
    call_command("migrate", verbosity=0)
    load_demo_data(PASSWORD, through=ORGS)
    dibao = LedgerDefinition.objects.get(key="dibao")
    units = list(Unit.objects.filter(kind__in=dibao.unit_kinds))
    author = User.objects.get(username="office")
    rng = random.Random(7)
    kinds, found_by = ["人情保", "关系保", "错保", "漏保"], ["排查", "群众举报", "数据比对", "巡视巡察反馈", "审计", "其他"]
    actions = [["停保"], ["纳入"], ["停保", "追回资金"], ["调整保障金额"]]
    # One ciphertext per distinct number would cost 200,000 SM4 encryptions; a pool of 2,000 numbers is as realistic.
    from stdnum.cn import ric

    pool = []
    for i in range(2000):
        body = f"3301021980{(i // 28) % 12 + 1:02d}{i % 28 + 1:02d}{i % 1000:03d}"
        number = body + ric.calc_check_digit(body + "0")
        pool.append((encrypt_text(number, "id_number"), blind_index(number, "id_number"), number))
    started = time.perf_counter()
    batch = 5000
    for start in range(0, rows, batch):
        with transaction.atomic():
            new, keys = [], []
            for i in range(start, min(rows, start + batch)):
                sealed, index, number = pool[i % len(pool)]
                kind = kinds[rng.randrange(4)]
                when = f"2026-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
                values = {"head_name": f"户主{i}", "head_id": sealed, "village": f"第{i % 400}村", "kind": kind,
                          "found_by": found_by[rng.randrange(6)], "found_on": when,
                          "situation": "经入户核查，家庭收入超过保障标准" if kind == "错保" else "排查发现",
                          "action": actions[rng.randrange(4)], "recovered": f"{rng.randrange(0, 9000)}.00",
                          "closed": rng.random() < 0.6}
                unit = units[i % len(units)]
                new.append(LedgerRow(definition=dibao, unit=unit, values=values, created_by=author,
                                     content_digest=digest(unit.pk, {"i": i}),
                                     search_text=search_text(dibao.columns, values)))
                keys.append([("head_id", index), ("kind", kind), ("found_by", values["found_by"]),
                             ("found_on", when), ("closed", "1" if values["closed"] else "0"),
                             *[("action", a) for a in values["action"]]])
            created = LedgerRow.objects.bulk_create(new)
            if created[0].pk is None:
                created = list(LedgerRow.objects.order_by("-pk")[:len(new)])[::-1]
            LedgerRowKey.objects.bulk_create(LedgerRowKey(row=row, definition=dibao, column=c, value=v)
                                             for row, pairs in zip(created, keys, strict=True) for c, v in pairs)
        print(f"\r  {min(rows, start + batch):,} rows", end="", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"\n{rows:,} rows generated in {time.perf_counter() - started:.0f} s")


def timed(function, repeat: int = 7) -> tuple[float, float, float]:
    """Median and p95 wall ms, and the median CPU ms of this process (on SQLite that includes the queries; on a
    shared machine the wall time includes waiting for a core, the CPU time does not)."""
    function()  # warm
    times, cpus = [], []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        function()
        times.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1 if len(times) > 1 else 0], statistics.median(cpus)


def measure(engine: str, export: bool) -> None:
    from django.db import connection
    from django.test import Client

    from qicha.ledgers import exporting, queries
    from qicha.ledgers.models import LedgerDefinition, LedgerRow
    from qicha.orgs.models import User

    dibao = LedgerDefinition.objects.get(key="dibao")
    total = LedgerRow.objects.filter(definition=dibao).count()
    print(f"{engine}: {total:,} rows in 农村低保专项治理台账; load average {os.getloadavg()[0]:.1f}")
    clients = {}
    for username in ("office", "liaison_chengxi"):
        client = Client()
        assert client.post("/login/", {"username": username, "password": PASSWORD}).status_code == 302
        clients[username] = client
    some_id = "33010219800101001" + __import__("stdnum.cn.ric", fromlist=["x"]).calc_check_digit("330102198001010010")
    cases = [
        ("list, first page", "/ledgers/dibao/"),
        ("filter 问题类型=错保", "/ledgers/dibao/?f_kind=%E9%94%99%E4%BF%9D"),
        ("filter 类型 + 发现日期范围", "/ledgers/dibao/?f_kind=%E9%94%99%E4%BF%9D&f_found_on_from=2026-03-01&f_found_on_to=2026-03-31"),
        ("search 身份证号 (blind index)", f"/ledgers/dibao/?q={some_id}"),
        ("search text in 村 (contains)", "/ledgers/dibao/?f_village=%E7%AC%AC17%E6%9D%91"),
        ("keyword q=户主1234 (text columns)", "/ledgers/dibao/?q=%E6%88%B7%E4%B8%BB1234"),
        ("类型 + 办结 + 发现日期 one month", "/ledgers/dibao/?f_kind=%E9%94%99%E4%BF%9D&f_closed=%E5%90%A6"
                                            "&f_found_on_from=2026-03-01&f_found_on_to=2026-03-31"),
        ("全局搜索 第17村 (every ledger)", "/search/?q=%E7%AC%AC17%E6%9D%91"),
    ]
    print(f"{'page':34} {'user':16} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>8}")
    for label, url in cases:
        for username, client in clients.items():
            def get(url=url, client=client):
                response = client.get(url)
                assert response.status_code == 200

            median, p95, cpu = timed(get)
            print(f"{label:34} {username:16} {median:10.0f} {p95:8.0f} {cpu:8.0f}")

    # The alternative: filter through the JSON value itself (page + count), no index, then with an expression index.
    if connection.vendor == "sqlite":
        expr, param = "json_extract(\"values\", '$.kind')", "错保"
    else:
        expr, param = "(\"values\" ->> 'kind')", "错保"
    page_sql = (f"SELECT id FROM ledgers_ledgerrow WHERE definition_id = %s AND {expr} = %s ORDER BY id DESC LIMIT 20")
    count_sql = f"SELECT count(*) FROM ledgers_ledgerrow WHERE definition_id = %s AND {expr} = %s"

    def json_filter():
        with connection.cursor() as cursor:
            cursor.execute(page_sql, [dibao.pk, param])
            cursor.fetchall()
            cursor.execute(count_sql, [dibao.pk, param])
            cursor.fetchall()

    def key_filter():
        rows = queries._with_key(LedgerRow.objects.filter(definition=dibao), dibao, "kind", "错保")
        list(rows.order_by("-pk").values_list("pk", flat=True)[:20])
        rows.count()

    def containment_filter():
        rows = LedgerRow.objects.filter(definition=dibao, values__contains={"kind": "错保"})
        list(rows.order_by("-pk").values_list("pk", flat=True)[:20])
        rows.count()

    print(f"{'choice filter, page + count':34} {'storage':16} {'median ms':>10} {'p95 ms':>8}")
    methods = [("key table", key_filter), ("JSON, no index", json_filter)]
    if connection.vendor == "postgresql":
        methods.append(("JSON @> + GIN", containment_filter))
    for label, fn in methods:
        median, p95, cpu = timed(fn, 5)
        print(f"{'':34} {label:16} {median:10.0f} {p95:8.0f} {cpu:8.0f}")
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE INDEX bench_json_kind ON ledgers_ledgerrow (definition_id, {expr}, id)")
        cursor.execute("ANALYZE")
    try:
        median, p95, cpu = timed(json_filter, 5)
        print(f"{'':34} {'JSON + expr index':16} {median:10.0f} {p95:8.0f} {cpu:8.0f}")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX bench_json_kind")

    if export:
        for label, filters in (("export 错保 (~50,000 rows)", {"definition": "dibao", "f_kind": "错保"}),
                               ("export whole ledger", {"definition": "dibao"})):
            office = User.objects.get(username="office")
            with tempfile.TemporaryDirectory() as folder:
                started, cpu = time.perf_counter(), time.process_time()
                result = exporting.export_rows(office, exporting.parse(filters), Path(folder) / "x.xlsx")
                print(f"{label:34} {result['rows']:,} rows in {time.perf_counter() - started:.1f} s "
                      f"(CPU {time.process_time() - cpu:.1f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--generate", action="store_true")
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--no-export", action="store_true")
    parser.add_argument("--migrate", action="store_true", help="apply new migrations to the generated data first")
    args = parser.parse_args()
    engine = configure()
    if args.generate:
        generate(args.rows)
    elif args.migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    measure(engine, export=not args.no_export)


if __name__ == "__main__":
    main()
