"""read_table: every format, the tidying rules, and every error a user can cause."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from mixwise.data.loaders import NA_STRINGS, read_table, tidy_columns
from mixwise.data.loaders_db import redact_url
from mixwise.data.mapping import SourceSpec
from mixwise.errors import InputFileError

TYPED = pd.DataFrame(
    {
        "date": pd.to_datetime(["2024-01-01", "2024-01-08", "2024-01-15"]),
        "tv": [1.5, 2.0, 0.0],
        "sales": [10, 20, 30],
    }
)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# -- text files --------------------------------------------------------------------------------
def test_csv_keeps_raw_strings_and_missing_markers(tmp_path: Path) -> None:
    f = _write(tmp_path / "d.csv", "date,tv,sales\n2024-01-01,1.5,10\n2024-01-08,abc,NA\n")
    df = read_table(f)
    assert list(df.columns) == ["date", "tv", "sales"]
    assert df["tv"].tolist() == ["1.5", "abc"]  # bad number stays visible for the checks
    assert df.loc[0, "sales"] == "10"
    assert pd.isna(df.loc[1, "sales"])
    assert df.attrs["encoding"] == "utf-8"


@pytest.mark.parametrize("marker", NA_STRINGS)
def test_csv_missing_markers_become_nan(tmp_path: Path, marker: str) -> None:
    df = read_table(_write(tmp_path / "d.csv", f"a,b\n1,{marker}\n"))
    assert pd.isna(df.loc[0, "b"])


def test_csv_na_lowercase_is_a_value(tmp_path: Path) -> None:
    # Robyn's events column uses "na" as a level: it must stay a string
    df = read_table(_write(tmp_path / "d.csv", "a,events\n1,na\n2,event1\n"))
    assert df["events"].tolist() == ["na", "event1"]


@pytest.mark.parametrize(
    ("name", "sep"), [("d.tsv", "\t"), ("d.txt", ";"), ("d.txt", "|"), ("d.csv", ";")]
)
def test_delimiter_is_sniffed(tmp_path: Path, name: str, sep: str) -> None:
    text = sep.join(["date", "tv", "sales"]) + "\n" + sep.join(["2024-01-01", "1,5", "10"]) + "\n"
    df = read_table(_write(tmp_path / name, text))
    assert list(df.columns) == ["date", "tv", "sales"]
    assert df.loc[0, "tv"] == "1,5"


def test_quoted_delimiter_stays_in_value(tmp_path: Path) -> None:
    df = read_table(_write(tmp_path / "d.csv", 'name,spend\n"Search, brand",3\n'))
    assert df.loc[0, "name"] == "Search, brand"


def test_column_names_are_stripped(tmp_path: Path) -> None:
    df = read_table(_write(tmp_path / "d.csv", " date , tv\t,sales \n2024-01-01,1,2\n"))
    assert list(df.columns) == ["date", "tv", "sales"]


def test_bom_utf16_and_cp1252(tmp_path: Path) -> None:
    (tmp_path / "bom.csv").write_bytes("\ufeffdate,tv\n2024-01-01,1\n".encode())
    assert list(read_table(tmp_path / "bom.csv").columns) == ["date", "tv"]
    (tmp_path / "u16.csv").write_text("date,télé\n2024-01-01,1\n", encoding="utf-16")
    assert list(read_table(tmp_path / "u16.csv").columns) == ["date", "télé"]
    (tmp_path / "w.csv").write_bytes("date,télé\n2024-01-01,1\n".encode("cp1252"))
    df = read_table(tmp_path / "w.csv")
    assert list(df.columns) == ["date", "télé"]
    assert df.attrs["encoding"] == "cp1252"


def test_leading_pandas_index_is_dropped(tmp_path: Path) -> None:
    df = read_table(_write(tmp_path / "d.csv", ",geo,tv\n0,A,1\n1,B,2\n2,C,3\n"))
    assert list(df.columns) == ["geo", "tv"]


def test_leading_unnamed_column_that_is_not_an_index_is_kept(tmp_path: Path) -> None:
    df = read_table(_write(tmp_path / "d.csv", ",geo,tv\n5,A,1\n6,B,2\n"))
    assert list(df.columns) == ["", "geo", "tv"]
    assert df[""].tolist() == ["5", "6"]


def test_trailing_delimiters_and_blank_rows_are_dropped(tmp_path: Path) -> None:
    df = read_table(_write(tmp_path / "d.csv", "a,b,\n1,2,\n,,\n3,4,\n"))
    assert list(df.columns) == ["a", "b"]
    assert df["a"].tolist() == ["1", "3"]
    assert df.attrs["blank_rows_dropped"] == 1


def test_meridian_geo_csv_drops_its_index_column(shared_datasets: Path) -> None:
    df = read_table(shared_datasets / "meridian_geo_all_channels.csv")
    assert df.shape == (6240, 19)
    assert df.columns[0] == "geo"
    assert "" not in df.columns


# -- native formats --------------------------------------------------------------------------
def _assert_typed(df: pd.DataFrame) -> None:
    assert list(df.columns) == ["date", "tv", "sales"]
    assert pd.api.types.is_datetime64_any_dtype(df["date"])
    assert df["tv"].tolist() == [1.5, 2.0, 0.0]
    assert df["sales"].tolist() == [10, 20, 30]


def test_parquet(tmp_path: Path) -> None:
    TYPED.to_parquet(tmp_path / "d.parquet")
    _assert_typed(read_table(tmp_path / "d.parquet"))


def test_parquet_with_date_index_becomes_a_column(tmp_path: Path) -> None:
    TYPED.set_index("date").to_parquet(tmp_path / "d.parquet")
    _assert_typed(read_table(tmp_path / "d.parquet"))


def test_excel_default_and_named_sheet(tmp_path: Path) -> None:
    path = tmp_path / "d.xlsx"
    with pd.ExcelWriter(path) as xw:
        pd.DataFrame({"x": [1]}).to_excel(xw, sheet_name="notes", index=False)
        TYPED.to_excel(xw, sheet_name="data", index=False)
    assert list(read_table(path).columns) == ["x"]
    _assert_typed(read_table(path, SourceSpec(sheet="data")))
    _assert_typed(read_table(path, SourceSpec(sheet=1)))


def test_excel_duplicate_headers_are_reported_not_mangled(tmp_path: Path) -> None:
    path = tmp_path / "d.xlsx"
    pd.DataFrame([[1, 2], [3, 4]], columns=["tv", "tv "]).to_excel(path, index=False)
    with pytest.raises(InputFileError, match=r"duplicate column name.*'tv'"):
        read_table(path)


def test_duckdb_file_runs_sql_read_only(tmp_path: Path) -> None:
    path = tmp_path / "d.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE media AS SELECT * FROM TYPED")
    df = read_table(path, SourceSpec(sql="SELECT * FROM media ORDER BY date"))
    _assert_typed(df)
    with pytest.raises(InputFileError, match=r"query on .* failed"):
        read_table(path, SourceSpec(sql="CREATE TABLE x (a INT)"))  # read-only


def test_duckdb_url(tmp_path: Path) -> None:
    path = tmp_path / "d.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE media AS SELECT * FROM TYPED")
    _assert_typed(read_table(f"duckdb:///{path}", SourceSpec(sql="SELECT * FROM media")))


def _sqlite(path: Path) -> Path:
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE media (date TEXT, tv REAL, sales INTEGER)")
        con.executemany(
            "INSERT INTO media VALUES (?, ?, ?)",
            [("2024-01-01", 1.5, 10), ("2024-01-08", 2.0, 20), ("2024-01-15", 0.0, 30)],
        )
    return path


def test_sqlite_url_and_file(tmp_path: Path) -> None:
    path = _sqlite(tmp_path / "d.sqlite")
    spec = SourceSpec(sql="SELECT * FROM media ORDER BY date")
    for source in (f"sqlite:///{path}", path, _sqlite(tmp_path / "d.db")):
        df = read_table(source, spec)
        assert df["tv"].tolist() == [1.5, 2.0, 0.0]
        assert df["sales"].tolist() == [10, 20, 30]


def test_glob_of_csvs_is_concatenated_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    _write(tmp_path / "data" / "b.csv", "date,tv\n2024-01-08,2\n")
    _write(tmp_path / "data" / "a.csv", "tv,date\n1,2024-01-01\n")
    _write(tmp_path / "data" / "c.csv", "date,tv\n")  # header only: contributes nothing
    df = read_table(tmp_path / "data" / "*.csv")
    assert df["date"].tolist() == ["2024-01-01", "2024-01-08"]
    assert df["tv"].tolist() == ["1", "2"]


def test_glob_of_parquet(tmp_path: Path) -> None:
    TYPED.iloc[:2].to_parquet(tmp_path / "p1.parquet")
    TYPED.iloc[2:].to_parquet(tmp_path / "p2.parquet")
    _assert_typed(read_table(str(tmp_path / "*.parquet")))


# -- errors ------------------------------------------------------------------------------------
def _fails(source: str | Path, match: str, spec: SourceSpec | None = None) -> InputFileError:
    with pytest.raises(InputFileError, match=match) as info:
        read_table(source, spec)
    assert info.value.hint, "every input error carries a hint"
    return info.value


def test_missing_file_and_directory(tmp_path: Path) -> None:
    _fails(tmp_path / "nope.csv", "file not found: .*nope.csv")
    _fails(tmp_path, "is a directory")


def test_empty_and_header_only(tmp_path: Path) -> None:
    _fails(_write(tmp_path / "e.csv", ""), "empty .*no data rows")
    _fails(_write(tmp_path / "h.csv", "date,tv,sales\n"), "no data rows")
    _fails(_write(tmp_path / "b.csv", "\n\n  \n"), "no data rows")


def test_binary_garbage_and_renamed_files(tmp_path: Path) -> None:
    (tmp_path / "g.csv").write_bytes(bytes(range(256)) * 4)
    _fails(tmp_path / "g.csv", "not a text table")
    TYPED.to_parquet(tmp_path / "p.csv")
    _fails(tmp_path / "p.csv", "looks like a Parquet file")
    _fails(_write(tmp_path / "j.csv", '[{"date": "2024-01-01", "tv": 1}]'), "looks like JSON")
    _fails(
        _write(tmp_path / "x.parquet", "date,tv\n2024-01-01,1\n"), "could not be read as Parquet"
    )
    _fails(_write(tmp_path / "x.xlsx", "date,tv\n2024-01-01,1\n"), "not .*Excel|Excel workbook")


def test_ragged_csv_names_the_line(tmp_path: Path) -> None:
    err = _fails(_write(tmp_path / "r.csv", "a,b,c\n1,2,3\n4,5,6\n7,8,9,10\n"), "line 4")
    assert "4 fields" in err.message and "header has 3" in err.message


def test_more_fields_than_header_on_every_row_is_not_silently_an_index(tmp_path: Path) -> None:
    _fails(_write(tmp_path / "r.csv", "a,b\n1,2,3\n4,5,6\n"), "line 2 has 3 fields")


def test_duplicate_columns(tmp_path: Path) -> None:
    _fails(_write(tmp_path / "d.csv", "date,tv, tv\n2024-01-01,1,2\n"), "duplicate .*'tv'")


def test_unsupported_extension_lists_supported(tmp_path: Path) -> None:
    err = _fails(_write(tmp_path / "d.json", "{}"), "unsupported file type '.json'")
    assert ".csv" in err.hint and ".parquet" in err.hint and "sqlite:///" in err.hint


def test_database_without_sql(tmp_path: Path) -> None:
    path = _sqlite(tmp_path / "d.sqlite")
    _fails(path, "needs source.sql")
    _fails(f"sqlite:///{path}", "needs source.sql")
    _fails(f"duckdb:///{tmp_path / 'x.duckdb'}", "needs source.sql")


def test_failing_query_shows_the_database_message(tmp_path: Path) -> None:
    path = _sqlite(tmp_path / "d.sqlite")
    err = _fails(f"sqlite:///{path}", "query on .* failed", SourceSpec(sql="SELECT * FROM nope"))
    assert "no such table: nope" in err.message
    duck = tmp_path / "d.duckdb"
    duckdb.connect(str(duck)).close()
    err = _fails(duck, "query on .* failed", SourceSpec(sql="SELECT * FROM nope"))
    assert "nope" in err.message


def test_query_with_no_rows(tmp_path: Path) -> None:
    path = _sqlite(tmp_path / "d.sqlite")
    _fails(path, "no data rows", SourceSpec(sql="SELECT * FROM media WHERE 0"))


def test_missing_database_files_are_not_created(tmp_path: Path) -> None:
    spec = SourceSpec(sql="SELECT 1")
    _fails(f"sqlite:///{tmp_path / 'nope.db'}", "SQLite file not found", spec)
    _fails(f"duckdb:///{tmp_path / 'nope.duckdb'}", "DuckDB file not found", spec)
    assert not (tmp_path / "nope.db").exists()


def test_unreachable_database_names_it_and_hides_the_password() -> None:
    err = _fails(
        "postgresql://bob:s3cret@127.0.0.1:1/db", "Connection refused", SourceSpec(sql="SELECT 1")
    )
    assert "s3cret" not in str(err) and "bob:***@127.0.0.1:1" in str(err)
    assert redact_url("postgresql://bob:p@ss@host/db") == "postgresql://bob:***@host/db"


def test_glob_errors(tmp_path: Path) -> None:
    _fails(tmp_path / "*.csv", "no files match")
    _write(tmp_path / "a.csv", "date,tv\n2024-01-01,1\n")
    _write(tmp_path / "b.csv", "date,radio\n2024-01-08,2\n")
    err = _fails(tmp_path / "*.csv", r"b\.csv has different columns")
    assert "missing: tv" in err.message and "extra: radio" in err.message
    _write(tmp_path / "c.tsv", "date\ttv\n2024-01-01\t1\n")
    _fails(tmp_path / "*.?sv", "different types")


def test_tidy_columns_on_a_frame() -> None:
    frame = pd.DataFrame({"": np.arange(3), " a ": ["1", "2", "3"], "b": [np.nan, np.nan, np.nan]})
    out = tidy_columns(frame, origin="frame")
    assert list(out.columns) == ["a", "b"]  # named empty columns are kept


def test_postgresql_query_on_the_local_server() -> None:
    """The production path: a query against the real PostgreSQL on this machine."""
    sql = (
        "SELECT DATE '2024-01-01' + 7 * g AS date, 10.0 * g AS tv_spend "
        "FROM generate_series(0, 3) g"
    )
    frame = read_table("postgresql://postgres@127.0.0.1:5432/test", SourceSpec(sql=sql))
    assert list(frame.columns) == ["date", "tv_spend"]
    assert frame["tv_spend"].astype(float).tolist() == [0.0, 10.0, 20.0, 30.0]
