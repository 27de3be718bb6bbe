"""The Spark backend: the same SQL (transpiled by sqlglot), for registers that outgrow one machine.

`QICHA_SPARK_MASTER` names the cluster (local[*] by default). The session is made once per process: a JVM start
takes seconds.
"""

import logging
import os
import threading
from pathlib import Path

from .kinds import KINDS
from .reading import PARQUET, RegisterError, Source
from .sqltext import clean_sql, fetch_sql, for_engine

_SESSION = None
_LOCK = threading.Lock()
ROW_BITS = 33  # monotonically_increasing_id(): partition id in the upper bits, the row's index within it below


def session():
    global _SESSION
    with _LOCK:
        if _SESSION is None:
            try:
                from pyspark.sql import SparkSession
            except ImportError:  # an optional part: `pip install "qicha[spark]"` and a Java 17 runtime
                raise RegisterError("本机未安装 Spark 比对引擎（可选组件 qicha[spark]，另需 Java 17）：请改用 DuckDB 引擎，"
                                    "或由运维人员安装后再试。") from None

            master = os.environ.get("QICHA_SPARK_MASTER", "") or "local[*]"
            _SESSION = (SparkSession.builder.master(master).appName("qicha-screening")
                        .config("spark.ui.enabled", "false")
                        .config("spark.ui.showConsoleProgress", "false")
                        .config("spark.sql.ansi.enabled", "false")
                        .config("spark.sql.shuffle.partitions", os.environ.get("QICHA_SPARK_PARTITIONS", "8"))
                        .config("spark.sql.session.timeZone", "UTC")
                        # The driver builds broadcast joins' tables: Spark's default 1 GiB heap fails on a city's roll
                        # ("Not enough memory to build and broadcast the table"). Read when the JVM starts.
                        .config("spark.driver.memory", os.environ.get("QICHA_SPARK_DRIVER_MEMORY", "") or "3g")
                        .getOrCreate())
            _SESSION.sparkContext.setLogLevel("ERROR")
            logging.getLogger("py4j").setLevel(logging.WARNING)  # its shutdown chatter outlives the log streams
        return _SESSION


def stop_session() -> None:
    global _SESSION
    with _LOCK:
        if _SESSION is not None:
            _SESSION.stop()
            _SESSION = None


class SparkBackend:
    name = "spark"

    def __init__(self, workdir: Path):
        self.spark = session()
        self.views: list[str] = []

    def load(self, source: Source) -> list[tuple[str, str]]:
        from pyspark.sql import functions as F

        reader = self.spark.read
        if source.format == PARQUET:
            frame = reader.parquet(str(source.path))
        else:
            frame = reader.option("header", True).option("encoding", "UTF-8").csv(str(source.path))
        columns = [(name, kind.upper()) for name, kind in frame.dtypes]
        frame.withColumn("_row", F.monotonically_increasing_id()).createOrReplaceTempView(f"src_{source.kind}")
        self.views.append(f"src_{source.kind}")
        return columns

    def cleaned(self, source: Source, kind, columns: dict[str, str], date_typed: set[str],
                fields: list[str] | None, *, deferred: bool, meets: str | None = None, roll: bool = False,
                carry: list[str] = ()) -> str:
        return clean_sql(kind, f"src_{source.kind}", columns, date_typed, fields, deferred=deferred)

    def fetched(self, kind: str, matched: str, columns: dict[str, str]) -> str:
        return fetch_sql(KINDS[kind], f"src_{kind}", columns)

    def may_meet(self, alias: str, field: str) -> str:
        return f"{alias}.{field}_key IN (SELECT id_number_key FROM beneficiaries WHERE _ok)"

    def keep(self, name: str, sql: str, *, ordered: bool = False) -> None:
        self.create(name, sql, ordered=ordered)

    def create(self, name: str, sql: str, *, ordered: bool = False) -> None:
        # Cached: the counts, the bad rows and the rules all read it; without, each would recompute it from the file.
        self.spark.sql(for_engine(sql, "spark")).cache().createOrReplaceTempView(name)
        self.views.append(name)

    def total_rows(self, source: Source) -> int:
        return self.spark.table(f"src_{source.kind}").count()

    def query(self, sql: str) -> list[tuple]:
        return [tuple(row) for row in self.spark.sql(for_engine(sql, "spark")).collect()]

    def row_numbers(self, source: Source, rows: list[int]) -> list[int]:
        """`_row` ids as the file's row numbers: each partition's count, added up in partition order."""
        if not rows:
            return rows
        counts = dict(self.spark.sql(f"SELECT shiftright(_row, {ROW_BITS}) AS p, count(*) FROM src_{source.kind} "
                                     "GROUP BY 1").collect())
        offsets, total = {}, 0
        for partition in sorted(counts):
            offsets[partition] = total
            total += counts[partition]
        mask = (1 << ROW_BITS) - 1
        return [offsets[row >> ROW_BITS] + (row & mask) + 1 + source.header_rows for row in rows]

    def write_parquet(self, table: str, path: Path) -> None:
        # One file, like DuckDB's: the hit list is small beside the registers.
        import shutil

        from .sqltext import ordered_hits

        folder = path.with_suffix(".spark")
        self.spark.sql(for_engine(ordered_hits(table), "spark")).coalesce(1).write.mode("overwrite").parquet(str(folder))
        part = next(folder.glob("part-*.parquet"))
        shutil.move(str(part), str(path))
        shutil.rmtree(folder, ignore_errors=True)

    def close(self) -> None:
        for view in self.views:
            if view.startswith("src_"):
                self.spark.catalog.dropTempView(view)
            else:
                self.spark.catalog.uncacheTable(view)
                self.spark.catalog.dropTempView(view)
