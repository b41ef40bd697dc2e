"""Decompression bombs: a table file is held to its read limits (unpacked bytes, rows, columns,
cells, text length) before it is parsed: refused within seconds and little memory, naming the
limit. Bombs are built small in tmp_path."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.data.bombs import MIB, gzip_csv, xlsx

from mixwise.data.limits import ReadLimits
from mixwise.data.loaders import read_table
from mixwise.errors import TableTooLarge, TooManyRows

SMALL = ReadLimits(max_unpacked_bytes=4 * MIB, max_rows=1_000, max_columns=20, max_cells=5_000)


@pytest.fixture
def bounded() -> Iterator[None]:
    """The code under test (and the small bombs it builds) finishes within 5 s."""
    started = time.monotonic()
    yield
    assert time.monotonic() - started < 5


_CHILD = """
import resource, sys, time
from mixwise.data.loaders import read_table
from mixwise.errors import TableTooLarge
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.monotonic()
try:
    read_table(sys.argv[1])
except TableTooLarge as exc:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(time.monotonic() - started, (peak - base) / 1024, exc.message, sep="\\n")
"""


def _refused_in_a_child(path: Path) -> tuple[float, float, str]:
    """Read ``path`` with the default limits in a fresh process: seconds, MiB of extra peak
    memory, the refusal's message."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path)], env=env, capture_output=True, timeout=120
    )
    seconds, mib, message = out.stdout.decode().splitlines()[:3]
    return float(seconds), float(mib), message


def _refused(path: Path, limits: ReadLimits | None, words: str) -> TableTooLarge:
    with pytest.raises(TableTooLarge) as exc:
        read_table(path, limits=limits)
    assert words in exc.value.message, exc.value.message
    assert exc.value.hint
    return exc.value


@pytest.mark.parametrize(
    ("build", "words"),
    [
        (lambda d: xlsx(d / "cell.xlsx", cell_mib=300), "unpacked size"),
        (lambda d: xlsx(d / "rows.xlsx", sheet_rows=3_000_000), "1,000,000 rows"),
        (lambda d: gzip_csv(d / "big.csv.gz", 300), "unpacked size"),
    ],
    ids=["xlsx-300-MiB-cell", "xlsx-3M-rows", "gzip-csv-300-MiB"],
)
def test_bombs_are_refused_fast_in_little_memory_by_the_default_limits(
    tmp_path: Path, build: Callable[[Path], Path], words: str
) -> None:
    bomb = build(tmp_path)
    assert bomb.stat().st_size < MIB
    seconds, mib, message = _refused_in_a_child(bomb)
    assert words in message and bomb.name in message
    assert seconds < 3, f"refused after {seconds:.1f} s"
    assert mib < 300, f"peak memory grew by {mib:.0f} MiB"


def test_xlsx_cell_text_and_cell_count_limits(tmp_path: Path, bounded: None) -> None:
    _refused(xlsx(tmp_path / "long.xlsx", cell_mib=1), None, "32,767 characters")
    _refused(xlsx(tmp_path / "cells.xlsx", sheet_rows=900), ReadLimits(max_cells=500), "cell")


def test_gzip_csv_is_read_and_a_gzip_bomb_is_refused(tmp_path: Path, bounded: None) -> None:
    assert len(read_table(gzip_csv(tmp_path / "one.csv.gz", 1))) == MIB // 4
    _refused(gzip_csv(tmp_path / "bomb.csv.gz", 8), SMALL, "unpacked size")


def test_parquet_rows_columns_and_unpacked_size_come_from_its_footer(
    tmp_path: Path, bounded: None
) -> None:
    rows = tmp_path / "rows.parquet"
    pd.DataFrame({"a": range(2_000)}).to_parquet(rows)
    _refused(rows, SMALL, "1,000 rows")
    wide = tmp_path / "wide.parquet"
    pd.DataFrame({f"c{i}": [1.0] for i in range(30)}).to_parquet(wide)
    _refused(wide, SMALL, "20 columns")
    text = tmp_path / "text.parquet"
    table = pa.table({"s": ["x" * 10_000] * 800})
    pq.write_table(table, text, use_dictionary=False, compression="zstd")
    assert text.stat().st_size < 100_000
    _refused(text, SMALL, "unpacked size")


def test_parquet_text_is_measured_before_it_is_decoded(tmp_path: Path, bounded: None) -> None:
    repeated = tmp_path / "dict.parquet"  # one 20 KB value over 1,000 rows: 20 MB decoded
    pq.write_table(pa.table({"s": ["y" * 20_000] * 1_000}), repeated, use_dictionary=True)
    assert repeated.stat().st_size < 100_000
    _refused(repeated, SMALL, "unpacked size")
    long_text = tmp_path / "long.parquet"
    pq.write_table(pa.table({"s": ["z" * 40_000, "a"]}), long_text)
    _refused(long_text, None, "32,767 characters")
    ok = tmp_path / "ok.parquet"
    pd.DataFrame(
        {"date": pd.date_range("2024-01-01", periods=3), "s": ["a", None, "c"]}
    ).to_parquet(ok)
    back = read_table(ok, limits=SMALL)
    assert back["s"].tolist()[::2] == ["a", "c"] and back["s"].isna().iloc[1]


def test_csv_rows_and_columns_are_held_to_the_limits(tmp_path: Path) -> None:
    many = tmp_path / "many.csv"
    many.write_text("a,b\n" + "1,2\n" * 1_001)
    assert isinstance(_refused(many, SMALL, "1,001 rows"), TooManyRows)
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"c{i}" for i in range(21)) + "\n" + ",".join("1" * 21) + "\n")
    _refused(wide, SMALL, "21 columns")
    assert len(read_table(many)) == 1_001  # the defaults allow it
