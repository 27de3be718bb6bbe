"""The DuckDB backend: embedded, one process. Registers are read into Arrow (Parquet by pyarrow's multi-threaded
reader, only the columns used; CSV by DuckDB), identity numbers keyed with NumPy over the Arrow buffers
(arrowids.py; the few messy ones by idsql's SQL), and the tables handed to DuckDB without a copy for the rules."""

import contextlib
import ctypes
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from .arrowids import ChunkKeys, ColumnKeys, KeyMap, chunk_keys, column_keys, joined, key_array, sparse_text
from .kinds import KINDS, Kind
from .reading import PARQUET, Source
from .sqltext import BENEFICIARY_FETCHED, clean_sql, fetch_sql, keyed_sql, other_fields, quote

# The shape idsql's SQL cleans: one identity field, nothing else (for the numbers NumPy leaves to it).
REST = Kind("rest", "", (("id_number", ""),), ("id_number",))


def _path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


class DuckBackend:
    name = "duckdb"

    def __init__(self, workdir: Path):
        import duckdb

        _memory_pool()
        _malloc_settings()
        self.con = duckdb.connect()
        self.con.execute(f"SET temp_directory = {_path(workdir)}")
        limit = os.environ.get("QICHA_SCREENING_MEMORY", "")
        if limit:
            self.con.execute(f"SET memory_limit = '{limit}'")
        threads = os.environ.get("QICHA_SCREENING_THREADS", "")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
            pa.set_cpu_count(int(threads))
        self.pool = ThreadPoolExecutor(int(threads) if threads else os.cpu_count() or 1)
        self.keyed: set[str] = set()
        self.tables: dict[str, pa.Table] = {}
        self.roll: KeyMap | None = None
        self.fetch_from: dict[str, tuple[Source, list[str]]] = {}
        self.ahead: dict[str, tuple] = {}      # read_ahead: registers to read once the roll's keys are known
        self.started: dict[str, tuple] = {}    # … and those being read: (plan, futures)
        self.writing: list = []                # write_parquet's futures

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

    def cleaned(self, source: Source, kind: Kind, columns: dict[str, str], date_typed: set[str],
                fields: list[str] | None, *, deferred: bool, meets: str | None = None, roll: bool = False,
                carry: list[str] = ()) -> str:
        """The register as sqltext.clean_sql shapes it (the SQL of a relation), keyed in Arrow. `roll`: these are
        the keys the others must meet (remembered in a KeyMap); `meets`: the field that must meet one (`_near`
        says whether it may, see may_meet); `carry`: more of the file's columns, kept as they are (fetch_source)."""
        ids = [columns[field] for field in kind.id_fields]
        if roll and source.format == PARQUET:
            # The hit list's columns are read at the end, for the hit rows only (fetched).
            self.fetch_from[source.kind] = (source, list(carry))
            carry = ()
        others = list(dict.fromkeys([*(columns[field] for field in other_fields(kind, fields)), *carry]))
        if source.format == PARQUET and self.roll is not None and not roll:
            table, keyed = self._arrow_kept(self._kept_plan(source, kind, columns, meets, others))
        else:
            table, keyed = self._arrow(source, ids, others, roll=roll)
        n = table.num_rows
        out = {"_row": table["_row"]}
        ids_ok = np.ones(n, bool)
        finished = {field: self._finish(keyed[columns[field]]) for field in kind.id_fields}
        if roll:  # the registers read ahead keep only the rows that may meet these keys from now on
            keys = keyed[columns[kind.id_fields[0]]]
            # Filled on this thread: the pool's are busy reading the next registers (queued behind the roll's row
            # groups in _arrow), which a fill queued on the pool would wait for.
            self.roll = KeyMap(keys.key, None, keys.ok)
            self._start_ahead()  # (already started, unless the roll was not read from Parquet)
        for field in kind.id_fields:
            keys = keyed[columns[field]]
            bad_rows, bad_texts = finished[field]
            out[f"{field}_key"] = key_array(keys.key, keys.ok)
            out[f"{field}_bad"] = sparse_text(n, bad_rows, bad_texts)
            ids_ok &= keys.ok
            if field == meets:
                # On this thread: the pool may be busy reading the next registers (read_ahead), and a register
                # read from Parquet holds only its kept rows by now.
                out["_near"] = pa.array(self.roll.holds(keys.key) & keys.ok)
        for name in others:
            out[name] = table[name]
        out["_ids_ok"] = pa.array(ids_ok)
        name = f"keyed_{source.kind}"
        self.tables[source.kind] = pa.table(out)
        self.con.register(name, self.tables[source.kind])
        self.keyed.add(name)
        return keyed_sql(kind, name, columns, date_typed, fields, deferred=deferred,
                         carried=("_near",) if meets else ())

    def fetched(self, kind: str, matched: str, columns: dict[str, str]) -> str:
        """The hit list's other fields of the `matched` rows (fetch_sql): taken from the register's Arrow table,
        which carried them since it was read."""
        if kind in self.fetch_from:
            # DuckDB's Parquet reader filters on the row number first and decodes the other columns of the
            # rows kept only (about half pyarrow's CPU for the same rows read whole and taken).
            source, names = self.fetch_from[kind]
            self.create(f"fetched_{kind}", f"SELECT file_row_number + 1 AS _row, "
                        f"{', '.join(quote(name) for name in dict.fromkeys(names))} FROM {self._reader(source)} "
                        f"WHERE file_row_number IN (SELECT _row - 1 FROM {matched})")
            return fetch_sql(KINDS[kind], f"fetched_{kind}", columns)
        rows = self.con.sql(f"SELECT DISTINCT _row FROM {matched} ORDER BY _row").fetchnumpy()["_row"]
        table = self.tables[kind].select(["_row", *(columns[field] for field in BENEFICIARY_FETCHED)])
        at = np.searchsorted(table["_row"].to_numpy(), rows)  # `_row` ascends in the order read
        self.con.register(f"fetched_{kind}", table.take(at))
        return fetch_sql(KINDS[kind], f"fetched_{kind}", columns)

    def may_meet(self, alias: str, field: str) -> str:
        """Rows that may meet a beneficiary: a superset (KeyMap), the hit query's join on the key is exact."""
        return f"{alias}._near"

    def keep(self, name: str, sql: str, *, ordered: bool = False) -> None:
        """A register the rules read whole (the roll, the cadres): a view over its Arrow table, not a copy."""
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {sql}")

    def _arrow(self, source: Source, ids: list[str], others: list[str],
               roll: bool = False) -> tuple[pa.Table, dict[str, ColumnKeys]]:
        """The `others` columns and `_row` (the file's row number), and the keys of the `ids` columns. A Parquet file
        is read a row group per task on the pool, each read single-threaded and keyed at once (its numbers still
        in the core's cache); a CSV file is read by DuckDB."""
        names = ids + others
        if source.format == PARQUET:
            metadata = pq.ParquetFile(source.path).metadata
            dictionary = _dictionary_columns(source.path, others)

            def group(index: int) -> tuple[pa.Table, list[list[ChunkKeys]]]:
                part = pq.ParquetFile(source.path, metadata=metadata, read_dictionary=dictionary).read_row_group(
                    index, columns=names, use_threads=False)
                # The numbers' text is not kept: the keys and the bad rows' texts are all that is read of it.
                return part.drop_columns(ids), [[chunk_keys(chunk) for chunk in part[name].chunks] for name in ids]

            futures = [self.pool.submit(group, index) for index in range(metadata.num_row_groups)]
            if roll:
                # The registers read ahead are queued right behind the roll's row groups: the pool's threads go
                # on to them while this thread joins the roll's keys, fills the key map and hands the roll to
                # DuckDB (their rows are kept, _keep, once the key map is there).
                self._start_ahead()
            parts = [future.result() for future in futures]
            if not parts:
                return self._arrow_whole(source, ids, others)
            keyed = {name: joined([k for _, keys in parts for k in keys[i]]) for i, name in enumerate(ids)}
            rows = pa.array(np.arange(1, sum(part.num_rows for part, _ in parts) + 1))
            if not others:  # only the numbers were read (the roll): a table of no columns may lose its length
                return pa.table({"_row": rows}), keyed
            return pa.concat_tables([part for part, _ in parts]).append_column("_row", rows), keyed
        return self._arrow_whole(source, ids, others)

    def read_ahead(self, source: Source, kind: Kind, columns: dict[str, str], meets: str | None) -> None:
        """Announce a reference register before the roll is cleaned: as soon as the roll's keys are known, its row
        groups are read and kept (_kept_parts) on the pool, one register after another with no pause between
        them, while this thread hands the registers before it to DuckDB."""
        if source.format == PARQUET:
            self.ahead[source.kind] = (source, kind, columns, meets)

    def _kept_plan(self, source: Source, kind: Kind, columns: dict[str, str], meets: str | None,
                   others: list[str]) -> tuple:
        return (source, tuple(columns[field] for field in kind.id_fields), tuple(others),
                columns[meets] if meets else None,
                tuple(columns[field] for field in kind.required_dates))

    def _start_ahead(self) -> None:
        for name, (source, kind, columns, meets) in self.ahead.items():
            others = list(dict.fromkeys(columns[field] for field in other_fields(kind, None)))
            plan = self._kept_plan(source, kind, columns, meets, others)
            self.started[name] = (plan, self._kept_parts(*plan))
        self.ahead.clear()

    def _arrow_kept(self, plan: tuple) -> tuple[pa.Table, dict[str, ColumnKeys]]:
        """As _arrow, but only the rows a query can use leave the pool's task that read them (_kept_parts)."""
        source, ids = plan[0], plan[1]
        started = self.started.pop(source.kind, None)
        futures = started[1] if started and started[0] == plan else self._kept_parts(*plan)
        # A row group read before the key map was there is kept here (its rows all came back).
        parts = [part if kept else self._keep(*part) for kept, part in (future.result() for future in futures)]
        if not parts:
            return self._arrow_whole(source, list(ids), list(plan[2]))
        table = pa.concat_tables([part for part, _ in parts])
        return table, {name: joined([keys[i] for _, keys in parts]) for i, name in enumerate(ids)}

    def _kept_parts(self, source: Source, ids: tuple, others: tuple, meets: str | None, required: tuple) -> list:
        """Futures of each row group's kept rows: those whose `meets` key may be on the roll (KeyMap), those whose
        numbers are bad or left to idsql's SQL, and those lacking a required date (every row where `meets` is
        None: the cadres). The others are never handed to DuckDB, and their columns are dropped a row group at a
        time."""
        metadata = pq.ParquetFile(source.path).metadata
        starts = _group_starts(metadata)
        dictionary = _dictionary_columns(source.path, list(others))
        names = list(dict.fromkeys(ids + others))

        def group(index: int) -> tuple[bool, tuple]:
            part = pq.ParquetFile(source.path, metadata=metadata, read_dictionary=dictionary).read_row_group(
                index, columns=names, use_threads=False)
            keys = [joined([chunk_keys(chunk) for chunk in part[name].chunks]) for name in ids]
            read = (part, keys, starts[index], ids, meets, required)
            if meets is not None and self.roll is None:  # read ahead of the roll's key map: kept by the caller
                return False, read
            return True, self._keep(*read)

        return [self.pool.submit(group, index) for index in range(len(starts) - 1)]

    def _keep(self, part: pa.Table, keys: list[ColumnKeys], start: int, ids: tuple, meets: str | None,
              required: tuple) -> tuple[pa.Table, list[ColumnKeys]]:
        """A row group's kept rows (_kept_parts), `_row` numbered from `start`."""
        keep = np.full(part.num_rows, meets is None)
        for name, column in zip(ids, keys, strict=True):
            keep |= ~column.ok  # bad, or left to SQL (not known yet)
            if name == meets:
                keep |= self.roll.holds(column.key)
        for name in required:
            column = part[name]
            if not (pa.types.is_date(column.type) or pa.types.is_timestamp(column.type)):
                keep[:] = True  # a date typed in SQL: its nulls are not known here
            elif column.null_count:
                keep |= column.is_null().to_numpy()
        rows = np.flatnonzero(keep)
        kept = part.drop_columns(list(ids)).take(rows)
        kept = kept.append_column("_row", pa.array(rows + 1 + start))
        return kept, [_taken(column, rows) for column in keys]

    def _arrow_whole(self, source: Source, ids: list[str], others: list[str]) -> tuple[pa.Table, dict]:
        if source.format == PARQUET:
            table = pq.read_table(source.path, columns=ids + others)
            table = table.append_column("_row", pa.array(np.arange(1, table.num_rows + 1)))
        else:
            self.con.execute("SET preserve_insertion_order = true")
            table = self.con.sql(f"SELECT {', '.join(quote(n) for n in ids + others)}, _row "
                                 f"FROM src_{source.kind}").to_arrow_table()
        return table, {name: column_keys(table[name], self.pool) for name in ids}

    def _finish(self, keys: ColumnKeys) -> tuple[np.ndarray, list[str]]:
        """The bad rows and their texts, after idsql's SQL has decided the few rows arrowids left to it."""
        if not len(keys.left):
            return keys.bad, keys.texts
        self.con.register("rest_ids", pa.table({"_row": keys.left, "t": keys.left_values}))
        done = self.con.sql(clean_sql(REST, "rest_ids", {"id_number": "t"}, fields=[])).to_arrow_table()
        self.con.unregister("rest_ids")
        at = done["_row"].to_numpy()
        ok = done["_ok"].to_numpy(zero_copy_only=False)
        keys.key[at] = done["id_number_key"].fill_null(0).to_numpy()
        keys.ok[at] = ok
        every = np.concatenate([keys.bad, at[~ok]])
        texts = keys.texts + done["id_number_bad"].filter(pa.array(~ok)).to_pylist()
        order = np.argsort(every, kind="stable")
        return every[order], [texts[i] for i in order]

    def create(self, name: str, sql: str, *, ordered: bool = False) -> None:
        # Insertion order only matters where a CSV's row numbers are counted by position.
        self.con.execute(f"SET preserve_insertion_order = {'true' if ordered else 'false'}")
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")
        if f"keyed_{name}" in self.keyed:  # the Arrow tables are read once: free them
            self.con.unregister(f"keyed_{name}")
            self.keyed.discard(f"keyed_{name}")
            del self.tables[name]

    def total_rows(self, source: Source) -> int:
        if source.format == PARQUET:
            return self.con.execute(f"SELECT count(*) FROM read_parquet({_path(source.path)})").fetchone()[0]
        return self.con.execute(f"SELECT count(*) FROM {self._reader(source)}").fetchone()[0]

    def query(self, sql: str) -> list[tuple]:
        return self.con.execute(sql).fetchall()

    def row_numbers(self, source: Source, rows: list[int]) -> list[int]:
        return rows  # `_row` is already the file's row number

    def write_parquet(self, table: str, path: Path) -> None:
        """Start writing `table` to `path` on the pool (one thread; pyarrow releases the GIL) and return: the hit
        list's counts run meanwhile; written() waits for the file."""
        # pyarrow's writer: 0.30 s CPU for the full-scale hit list (504,015 rows), DuckDB's COPY 0.42–0.51 s; the
        # same columns and types (text, BIGINT, DOUBLE) either way.
        self.writing.append(self.pool.submit(pq.write_table, self.con.table(table).to_arrow_table(), path,
                                             compression="zstd"))

    def written(self) -> None:
        while self.writing:
            self.writing.pop().result()

    def close(self) -> None:
        self.pool.shutdown()  # (a file still being written, after an error, is finished first)
        self.con.close()


def _memory_pool() -> None:
    """Arrow's buffers from jemalloc, unless ARROW_DEFAULT_MEMORY_POOL says otherwise: the row groups' buffers are
    allocated and freed by the hundred, and mimalloc (pyarrow's default) gave their pages back and took the first-touch
    faults again — 1.5–2.2 s of system time a full-scale run against 1.05–1.5 s with jemalloc, and ~60 MiB more
    peak memory (2026-12-06). Process-wide; a wheel built without jemalloc keeps its default."""
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    with contextlib.suppress(NotImplementedError):  # pyarrow's ArrowNotImplementedError
        pa.set_memory_pool(pa.jemalloc_memory_pool())


M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's malloc.h


def _malloc_settings() -> None:
    """glibc's malloc (NumPy's arrays) keeps what it frees below 32 MiB for reuse, unless a MALLOC_* variable says
    otherwise. Keying allocates its temporaries (16,384 values, 128 KiB each) by the thousand on the pool's threads;
    with glibc's moving thresholds much of that memory went back to the kernel when freed and took its first-touch
    page faults again when allocated: 310,000–450,000 faults and 1.6–2.5 s of system time a full-scale run, against
    200,000–260,000 and 1.1–1.4 s with these two settings (2026-12-06, bench/README.md; the trim threshold alone
    fixes the mmap threshold at 128 KiB: 1.9 M faults). Process-wide (a worker keeps up to 64 MiB freed per malloc
    arena); arrays of 32 MiB and more are still mapped and unmapped whole."""
    if any(name.startswith("MALLOC_") for name in os.environ):
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, 32 << 20)
        libc.mallopt(M_TRIM_THRESHOLD, 64 << 20)
    except (OSError, AttributeError):  # not glibc: its allocator's defaults
        pass


def _group_starts(metadata) -> np.ndarray:
    """The first row (0-based) of each row group, and the number of rows last."""
    counts = [metadata.row_group(g).num_rows for g in range(metadata.num_row_groups)]
    return np.concatenate([[0], np.cumsum(counts, dtype=np.int64)]).astype(np.int64)


def _taken(keys: ColumnKeys, rows: np.ndarray) -> ColumnKeys:
    """The keys of `rows` (ascending) only; `rows` holds every bad and left row."""
    return ColumnKeys(keys.key[rows], keys.ok[rows], np.searchsorted(rows, keys.bad), keys.texts,
                      np.searchsorted(rows, keys.left), keys.left_values)


def _dictionary_columns(path: Path, names: list[str]) -> list[str]:
    """Text columns the file stores dictionary-encoded in every row group: read as Arrow dictionaries (codes and the
    few distinct values, not a decoded value per row; DuckDB reads them as they are). Only text: a decimal read so
    cost more and held the readers to one thread (measured on the roll's amounts). Never the identity fields:
    arrowids reads their text buffers."""
    file = pq.ParquetFile(path)
    metadata, schema = file.metadata, file.schema_arrow
    paths = [metadata.schema.column(i).path for i in range(metadata.num_columns)]
    found = []
    for name in names:
        if name not in paths or not pa.types.is_string(schema.field(name).type):
            continue
        i = paths.index(name)
        if all(any("DICTIONARY" in e for e in metadata.row_group(g).column(i).encodings)
               for g in range(metadata.num_row_groups)):
            found.append(name)
    return found
