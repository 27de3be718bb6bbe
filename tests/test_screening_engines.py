"""DuckDB and Spark run the same rule text and give identical hits (one Spark session for the module: a JVM start
takes seconds). Skipped where no Java is installed (`make system-deps` installs a headless JDK)."""

import os
import shutil

import pytest

from qicha.screening.engine import run_screening
from qicha.screening.engine import spark as spark_engine

from .screening_data import EXPECTED, number_forms, write_number_forms, write_registers

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java (make system-deps)")]


@pytest.fixture(scope="module")
def spark_session():
    os.environ.setdefault("QICHA_SPARK_PARTITIONS", "2")  # a handful of rows: fewer tasks, less overhead
    yield
    spark_engine.stop_session()


def test_duckdb_and_spark_give_identical_hits_and_bad_rows(spark_session, tmp_path):
    registers = write_registers(tmp_path)
    duck = run_screening(registers, "2026-11", engine="duckdb")
    spark = run_screening(registers, "2026-11", engine="spark")
    assert {(hit.rule, hit.id_number) for hit in duck.hits} == EXPECTED
    assert spark.hits == duck.hits
    assert spark.hits_per_rule == duck.hits_per_rule and spark.hits_per_county == duck.hits_per_county
    for kind, stats in duck.registers.items():
        other = spark.registers[kind]
        assert (other.rows, other.bad, other.bad_rows) == (stats.rows, stats.bad, stats.bad_rows), kind


def test_every_form_of_a_number_gives_the_same_keys_and_bad_rows_in_both_engines(spark_session, tmp_path):
    """DuckDB keys numbers in Arrow (NumPy, pyarrow), Spark in SQL (idsql): the same hits and the same bad rows,
    their texts included, for every form a number is written in."""
    roll, staff = write_number_forms(tmp_path, number_forms())
    registers = {"beneficiaries": roll, "state_staff": staff}
    duck = run_screening(registers, "2026-11", engine="duckdb")
    spark = run_screening(registers, "2026-11", engine="spark")
    assert spark.hits == duck.hits
    for kind, stats in duck.registers.items():
        other = spark.registers[kind]
        assert (other.rows, other.bad, other.bad_rows) == (stats.rows, stats.bad, stats.bad_rows), kind


def test_the_numpy_fold_of_messy_numbers_is_pyarrows():
    """arrowids.fold (NumPy over the buffers) folds exactly as the pyarrow.compute path (NFKC, regex, replace) on
    every form of a number and on random texts of the characters it folds and of others (two- to four-byte UTF-8,
    nulls, slices, large_string)."""
    import random

    import pyarrow as pa

    from qicha.screening.engine.arrowids import fold, fold_pyarrow

    chars = (list("0123456789xX０１２３４５６７８９ｘＸ 　-") + list("aZ１ǅﬁ、ー—بØøＹ\u00a0Ⅻ①＝") + ["\U0001F600"])
    rng = random.Random(17)
    cases = [pa.array(number_forms())]
    for trial in range(60):
        values = [None if rng.random() < 0.05 else
                  "".join(rng.choice(chars[:27] if rng.random() < 0.8 else chars) for _ in range(rng.randint(0, 22)))
                  for _ in range(500)]
        array = pa.array(values, pa.large_string() if trial % 3 == 0 else pa.string())
        cases.append(array.slice(7, 400) if trial % 2 else array)
    for array in cases:
        foldable, folded = fold(array)
        expected_foldable, expected = fold_pyarrow(array)
        assert foldable.tolist() == expected_foldable.tolist()
        assert folded.to_pylist() == expected.to_pylist()
