"""The DuckDB backend: embedded, reads Parquet and CSV itself (no Python row loops), one process."""

import os
from pathlib import Path

from .reading import PARQUET, Source


def _path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


class DuckBackend:
    name = "duckdb"

    def __init__(self, workdir: Path):
        import duckdb

        self.con = duckdb.connect()
        self.con.execute(f"SET temp_directory = {_path(workdir)}")
        limit = os.environ.get("QICHA_SCREENING_MEMORY", "")
        if limit:
            self.con.execute(f"SET memory_limit = '{limit}'")
        threads = os.environ.get("QICHA_SCREENING_THREADS", "")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")

    def _reader(self, source: Source) -> str:
        if source.format == PARQUET:
            return f"read_parquet({_path(source.path)}, file_row_number = true)"
        return f"read_csv({_path(source.path)}, header = true, all_varchar = true)"

    def load(self, source: Source) -> list[tuple[str, str]]:
        """Declare `src_<kind>` (with `_row`, the file's row number) and return its columns (name, type)."""
        if source.format == PARQUET:
            select = f"SELECT *, file_row_number + 1 AS _row FROM {self._reader(source)}"
        else:
            select = f"SELECT *, row_number() OVER () + {source.header_rows} AS _row FROM {self._reader(source)}"
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW src_{source.kind} AS {select}")
        described = self.con.execute(f"DESCRIBE SELECT * FROM {self._reader(source)}").fetchall()
        return [(row[0], str(row[1]).upper()) for row in described]

    def create(self, name: str, sql: str, *, ordered: bool = False) -> None:
        # Insertion order only matters where a CSV's row numbers are counted by position.
        self.con.execute(f"SET preserve_insertion_order = {'true' if ordered else 'false'}")
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")

    def total_rows(self, source: Source) -> int:
        if source.format == PARQUET:
            return self.con.execute(f"SELECT count(*) FROM read_parquet({_path(source.path)})").fetchone()[0]
        return self.con.execute(f"SELECT count(*) FROM {self._reader(source)}").fetchone()[0]

    def query(self, sql: str) -> list[tuple]:
        return self.con.execute(sql).fetchall()

    def row_numbers(self, source: Source, rows: list[int]) -> list[int]:
        return rows  # `_row` is already the file's row number

    def write_parquet(self, table: str, path: Path) -> None:
        self.con.execute(f"COPY (SELECT * FROM {table}) TO {_path(path)} (FORMAT parquet, COMPRESSION zstd)")

    def close(self) -> None:
        self.con.close()
