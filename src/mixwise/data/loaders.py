"""Read a raw table from a file, a glob of files or a database query.

``read_table`` dispatches on the source:

- ``.csv`` / ``.tsv`` / ``.txt`` (also gzip-compressed, e.g. ``.csv.gz``): delimited text,
  delimiter sniffed among ``, ; TAB |`` (the extension's usual one first). Every column is read
  as **text**: missing markers (``NA_STRINGS``) become NaN, every other cell stays the string the
  user wrote, so the checks can name a bad cell instead of pandas silently turning it into NaN.
  UTF-8 (with or without BOM), UTF-16 with BOM and Windows-1252 are accepted;
  ``frame.attrs["encoding"]`` says which.
- ``.parquet`` / ``.pq``, ``.xlsx`` / ``.xlsm`` / ``.xls`` (``spec.sheet``): native types kept.
- ``.duckdb`` (and ``.db`` holding DuckDB), ``.sqlite`` / ``.sqlite3`` (and ``.db`` holding
  SQLite): run ``spec.sql``; DuckDB files are opened read-only.
- a glob such as ``data/*.csv`` or ``exports/*.parquet``: every match read and concatenated (CSV
  files one by one with the rules above, Parquet files through DuckDB); all files must have the
  same columns.
- anything containing ``://`` is a SQLAlchemy URL (``sqlite:///file.db``, ``postgresql://...``);
  ``duckdb:///file.duckdb`` is run by DuckDB itself. ``spec.sql`` is required.

Every file is held to :class:`~mixwise.data.limits.ReadLimits` (what it unpacks to, rows,
columns, cells, text length), checked before parsing where the format allows.

Every table is tidied the same way: column names are stripped of surrounding whitespace, an
unnamed leading column holding 0..n-1 (a pandas index written to the file) is dropped, unnamed
columns with no values at all (trailing delimiters) are dropped, rows with no values at all are
dropped (their count is in ``frame.attrs["blank_rows_dropped"]``), and duplicate column names are
an error.
"""

from __future__ import annotations

import csv
import glob
import importlib.util
import io
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from mixwise.data.limits import ReadLimits, check_parquet, check_xlsx, gunzip, read_parquet
from mixwise.data.loaders_db import read_database_file, read_url, redact_url
from mixwise.data.mapping import SourceSpec
from mixwise.errors import InputFileError, TableTooLarge

NA_STRINGS = ["", "NA", "NaN", "nan", "null", "NULL", "None"]
"""Cells read as missing in text files; everything else stays a string."""

DELIMITED = {".csv": ",", ".tsv": "\t", ".txt": ","}
PARQUET = (".parquet", ".pq")
EXCEL = (".xlsx", ".xlsm", ".xls")
DATABASE_FILES = (".duckdb", ".db", ".sqlite", ".sqlite3")
SUPPORTED_EXTENSIONS = (*DELIMITED, *PARQUET, *EXCEL, *DATABASE_FILES)

_DELIMITERS = (",", ";", "\t", "|")
_SNIFF_LINES = 50
_MAGIC = (
    (b"PAR1", "a Parquet file (use the .parquet extension)"),
    (b"PK\x03\x04", "a zip archive, probably an Excel workbook (use the .xlsx extension)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (use the .xls extension or save as .xlsx)"),
    (b"SQLite format 3\x00", "a SQLite database (use .sqlite and give source.sql)"),
    (b"\x89PNG", "a PNG image"),
    (b"%PDF", "a PDF document"),
)
_SUPPORTED_HINT = (
    "Supported: " + ", ".join(SUPPORTED_EXTENSIONS) + ", a glob such as data/*.csv, or a database "
    "URL such as sqlite:///file.db with source.sql in the mapping."
)


def read_table(
    source: str | Path, spec: SourceSpec | None = None, limits: ReadLimits | None = None
) -> pd.DataFrame:
    """Read ``source`` into a DataFrame (see the module docstring for formats and tidying).

    Raises ``InputFileError`` (with a hint) for anything that is not a readable, non-empty table,
    ``TableTooLarge`` for one past ``limits`` (default :class:`ReadLimits`).
    """
    limits = limits or ReadLimits()
    frame, origin = _read_any(source, spec or SourceSpec(), limits)
    limits.check_shape(origin, *frame.shape)
    return frame


def _read_any(source: str | Path, spec: SourceSpec, limits: ReadLimits) -> tuple[pd.DataFrame, str]:
    text = str(source)
    if "://" in text:
        return tidy_columns(read_url(text, spec.sql), origin=redact_url(text)), redact_url(text)
    path = Path(text).expanduser()
    if _is_glob(text) and not path.exists():
        return _read_glob(text, limits), text
    _check_file(path)
    suffix = _suffix(path)
    if suffix in DELIMITED:
        frame = _read_delimited(path, DELIMITED[suffix], limits)
    elif suffix in PARQUET:
        frame = _read_parquet(path, limits)
    elif suffix in EXCEL:
        frame = _read_excel(path, spec.sheet, limits)
    elif suffix in DATABASE_FILES:
        frame = read_database_file(path, spec.sql)
    else:
        raise InputFileError(
            f"{path}: unsupported file type '{suffix or '(no extension)'}'", _SUPPORTED_HINT
        )
    return tidy_columns(frame, origin=str(path)), str(path)


def _suffix(path: Path) -> str:
    """The table extension: ``.csv`` for ``data.csv.gz``."""
    suffixes = [s.lower() for s in path.suffixes]
    if len(suffixes) > 1 and suffixes[-1] == ".gz" and suffixes[-2] in DELIMITED:
        return suffixes[-2]
    return path.suffix.lower()


# -- tidying -------------------------------------------------------------------------------------
def tidy_columns(frame: pd.DataFrame, origin: str, require_rows: bool = True) -> pd.DataFrame:
    """Strip column names, drop a written-out pandas index, unnamed empty columns and blank rows;
    reject duplicate column names and (if ``require_rows``) tables without data rows."""
    df = frame.reset_index(drop=True)
    df.columns = pd.Index([_column_name(c) for c in df.columns], dtype=object)
    keep = np.ones(df.shape[1], dtype=bool)
    if df.shape[1] > 1 and df.columns[0] == "" and _is_range(df.iloc[:, 0]):
        keep[0] = False
    for i, name in enumerate(df.columns):
        if name == "" and df.iloc[:, i].isna().all():
            keep[i] = False
    df = df.iloc[:, keep]
    names = list(df.columns)
    dups = sorted({n for n in names if names.count(n) > 1})
    if dups:
        shown = ", ".join("(empty name)" if d == "" else f"'{d}'" for d in dups)
        raise InputFileError(
            f"{origin}: duplicate column name(s) {shown} (after stripping spaces)",
            "Give every column a unique header so the mapping can name it.",
        )
    blank = df.isna().all(axis=1)
    n_blank = int(blank.sum())
    if n_blank:
        df = df.loc[~blank].reset_index(drop=True)
    if require_rows and len(df) == 0:
        raise InputFileError(
            f"{origin}: no data rows (only a header, or every row is empty)",
            "Check that you exported the right file, query or sheet.",
        )
    df.attrs = {**frame.attrs, "blank_rows_dropped": n_blank}
    return df


def _column_name(name: object) -> str:
    if name is None or (isinstance(name, float) and np.isnan(name)):
        return ""
    return str(name).strip()


def _is_range(column: pd.Series) -> bool:
    values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
    return bool(np.array_equal(values, np.arange(len(values), dtype=float)))


# -- single files ----------------------------------------------------------------------------
def _check_file(path: Path) -> None:
    if not path.exists():
        raise InputFileError(
            f"file not found: {path}",
            f"Check the path (relative paths start from {Path.cwd()}).",
        )
    if path.is_dir():
        raise InputFileError(
            f"{path} is a directory, not a file",
            f"Pass one file, or a glob such as {path / '*.csv'}.",
        )
    if path.stat().st_size == 0:
        raise InputFileError(f"{path} is empty (0 bytes): no data rows", "Re-export the file.")


def _read_delimited(path: Path, default_delimiter: str, limits: ReadLimits) -> pd.DataFrame:
    data = path.read_bytes()
    if data.startswith(b"\x1f\x8b"):
        data = gunzip(data, str(path), limits)
    if not data:
        raise InputFileError(f"{path} is empty (0 bytes): no data rows", "Re-export the file.")
    text, encoding = _decode(data, path)
    stripped = text.lstrip()
    if not stripped:
        raise InputFileError(f"{path} holds only blank lines: no data rows", "Re-export the file.")
    _reject_structured(stripped, path)
    delimiter = _sniff_delimiter(text, default_delimiter)
    header = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            df = pd.read_csv(
                io.StringIO(text),
                sep=delimiter,
                dtype=str,
                keep_default_na=False,
                na_values=NA_STRINGS,
                index_col=False,
            )
    except (pd.errors.ParserError, pd.errors.ParserWarning, csv.Error, ValueError) as exc:
        raise _ragged_error(path, text, delimiter, exc) from exc
    if len(header) == df.shape[1]:
        df.columns = pd.Index(header, dtype=object)
    else:  # a header with a quoted line break: keep pandas' names, minus its placeholders
        df.columns = pd.Index([re.sub(r"^Unnamed: \d+$", "", str(c)) for c in df.columns])
    df.attrs["encoding"] = encoding
    return df


def _decode(data: bytes, path: Path) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    head = data[:8192]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise InputFileError(
                f"{path} is not a text table: it looks like {what}",
                "Rename it with the right extension, or export the data as CSV.",
            )
    if b"\x00" in head:
        raise InputFileError(
            f"{path} is not a text table: it holds binary data",
            "Export the data as CSV (comma-separated, UTF-8), Parquet or Excel.",
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), "utf-8" if encoding == "utf-8-sig" else encoding
        except UnicodeDecodeError:
            continue
    raise InputFileError(
        f"{path} is not UTF-8 or Windows-1252 text", "Save the file as CSV UTF-8 and try again."
    )


def _reject_structured(stripped: str, path: Path) -> None:
    what = None
    if stripped[0] in "{[":
        what = "JSON"
    elif stripped[:5].lower() in ("<?xml", "<!doc", "<html"):
        what = "XML/HTML"
    if what:
        raise InputFileError(
            f"{path} is not a delimited table: it looks like {what}",
            "Export the data as CSV (one header row, one row per date), Parquet or Excel.",
        )


def _sniff_delimiter(text: str, default: str) -> str:
    """The first candidate (the extension's default first) that splits the first lines into the
    same number (> 1) of fields; the default if none does."""
    lines = [ln for ln in text.splitlines()[: _SNIFF_LINES + 1] if ln.strip()][:_SNIFF_LINES]
    candidates = [default, *(d for d in _DELIMITERS if d != default)]
    for delimiter in candidates:
        rows = list(csv.reader(lines, delimiter=delimiter))
        if rows and len(rows[0]) > 1 and all(len(r) == len(rows[0]) for r in rows):
            return delimiter
    return default


def _ragged_error(path: Path, text: str, delimiter: str, exc: Exception) -> InputFileError:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        width = len(next(reader))
        for row in reader:
            if row and len(row) > width:
                return InputFileError(
                    f"{path}: line {reader.line_num} has {len(row)} fields but the header has "
                    f"{width}",
                    "Quote values that contain the delimiter, or fix the extra field(s) on that "
                    "line (a missing header name also causes this).",
                )
    except csv.Error:
        pass
    message = str(exc).replace("Error tokenizing data. C error: ", "").strip()
    return InputFileError(
        f"{path} could not be parsed as a table: {message}",
        "Check the delimiter and quoting around the named line; export as CSV UTF-8.",
    )


def _read_parquet(path: Path, limits: ReadLimits) -> pd.DataFrame:
    check_parquet(path, str(path), limits)
    try:
        df = read_parquet(path, str(path), limits)
    except TableTooLarge:
        raise
    except Exception as exc:  # pyarrow raises several unrelated types for bad files
        raise InputFileError(
            f"{path} could not be read as Parquet: {exc}",
            "Check that the file is a complete Parquet file (not renamed CSV or truncated).",
        ) from exc
    if not isinstance(df.index, pd.RangeIndex):
        df = df.reset_index()
    return df


def _read_excel(path: Path, sheet: str | int | None, limits: ReadLimits) -> pd.DataFrame:
    if path.suffix.lower() != ".xls":
        check_xlsx(path, str(path), limits)
    if path.suffix.lower() == ".xls" and importlib.util.find_spec("xlrd") is None:
        raise InputFileError(
            f"{path}: old .xls workbooks need the 'xlrd' package, which is not installed",
            "Save the workbook as .xlsx (or CSV) and try again.",
        )
    try:
        book = pd.ExcelFile(path)
    except Exception as exc:  # zipfile, openpyxl and xlrd errors differ
        raise InputFileError(
            f"{path} could not be opened as an Excel workbook: {exc}",
            "Check that the file is a real workbook (not a renamed CSV), not password-protected.",
        ) from exc
    with book:
        names = [str(n) for n in book.sheet_names]
        if isinstance(sheet, str) and sheet not in names:
            raise InputFileError(
                f"{path}: no sheet named '{sheet}'", f"Sheets: {', '.join(names)} (source.sheet)."
            )
        if isinstance(sheet, int) and not 0 <= sheet < len(names):
            raise InputFileError(
                f"{path}: sheet index {sheet} is out of range ({len(names)} sheets)",
                f"Use 0..{len(names) - 1} or a name: {', '.join(names)}.",
            )
        sheet_name: str | int = 0 if sheet is None else sheet
        header = pd.read_excel(book, sheet_name=sheet_name, header=None, nrows=1)
        if header.empty:
            raise InputFileError(
                f"{path}: sheet '{names[0] if sheet is None else sheet}' is empty: no data rows",
                f"Pick the sheet that holds the data with source.sheet ({', '.join(names)}).",
            )
        df = pd.read_excel(book, sheet_name=sheet_name)
    labels = [_column_name(v) for v in header.iloc[0].tolist()]
    if len(labels) == df.shape[1]:
        df.columns = pd.Index(labels, dtype=object)
    return df


# -- globs -----------------------------------------------------------------------------------
def _is_glob(text: str) -> bool:
    return any(ch in text for ch in "*?[")


def _read_glob(pattern: str, limits: ReadLimits) -> pd.DataFrame:
    files = sorted(Path(f) for f in glob.glob(pattern, recursive=True) if Path(f).is_file())
    if not files:
        raise InputFileError(
            f"no files match {pattern}", f"Check the folder and pattern (from {Path.cwd()})."
        )
    suffixes = sorted({_suffix(f) for f in files})
    if len(suffixes) > 1:
        raise InputFileError(
            f"{pattern} matches files of different types ({', '.join(suffixes)})",
            "Narrow the pattern to one type, e.g. data/*.csv.",
        )
    suffix = suffixes[0]
    if suffix in DELIMITED:
        frames = []
        for f in files:
            _check_file(f)
            frames.append(
                tidy_columns(
                    _read_delimited(f, DELIMITED[suffix], limits), str(f), require_rows=False
                )
            )
        _same_columns([list(fr.columns) for fr in frames], files, pattern)
        df = pd.concat(frames, ignore_index=True)
    elif suffix in PARQUET:
        for f in files:
            check_parquet(f, str(f), limits)
        df = _read_parquet_glob(files, pattern)
    else:
        raise InputFileError(
            f"{pattern}: globs can combine CSV/TSV/TXT or Parquet files, not '{suffix}'",
            "Read the files one at a time, or convert them to Parquet.",
        )
    return tidy_columns(df, origin=pattern)


def _same_columns(columns: list[list[str]], files: list[Path], pattern: str) -> None:
    first = set(columns[0])
    for cols, f in zip(columns[1:], files[1:], strict=True):
        if set(cols) != first:
            missing = sorted(first - set(cols))
            extra = sorted(set(cols) - first)
            raise InputFileError(
                f"{pattern}: {f} has different columns from {files[0]}"
                + (f"; missing: {', '.join(missing)}" if missing else "")
                + (f"; extra: {', '.join(extra)}" if extra else ""),
                "Every file in a glob must have the same columns.",
            )


def _read_parquet_glob(files: list[Path], pattern: str) -> pd.DataFrame:
    import duckdb
    import pyarrow.parquet as pq

    try:
        columns = [list(pq.read_schema(f).names) for f in files]
    except Exception as exc:
        raise InputFileError(
            f"{pattern}: a file could not be read as Parquet: {exc}",
            "Check that every matched file is a complete Parquet file.",
        ) from exc
    _same_columns(columns, files, pattern)
    with duckdb.connect() as con:
        try:
            return con.execute(
                "SELECT * FROM read_parquet(?, union_by_name = true)", [[str(f) for f in files]]
            ).df()
        except duckdb.Error as exc:
            raise InputFileError(
                f"{pattern}: the Parquet files could not be combined: {exc}",
                "Check that a column has the same type in every file.",
            ) from exc
