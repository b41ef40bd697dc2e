"""Read limits: what a table file may unpack to, checked before it is parsed.

A small compressed file can unpack to gigabytes (a "decompression bomb"): an XLSX is a zip of XML,
Parquet pages are compressed, a ``.csv.gz`` is gzip. :class:`ReadLimits` bounds what a file
unpacks to (bytes), its rows, columns, cells and the length of one text cell; the checks here read
only zip directories, Parquet footers and a bounded stream of the unpacked bytes, so a bomb is
refused in about a second and a few MB of memory, with :class:`~mixwise.errors.TableTooLarge`
naming the limit. The defaults suit a laptop; the server passes its own (``store.settings``).
"""

from __future__ import annotations

import gzip
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mixwise.errors import InputFileError, TableTooLarge, TooManyRows

if TYPE_CHECKING:
    import pandas as pd

MIB = 2**20
_CHUNK = MIB
_MAX_ZIP_ENTRIES = 10_000
_ROW = tuple(p + b"row" + e for p in (b"<", b":") for e in (b" ", b">", b"/"))
_CELL = tuple(p + b"c" + e for p in (b"<", b":") for e in (b" ", b">", b"/"))
"""Opening tags of rows and cells (``x:`` prefixes too), counted without parsing."""


@dataclass(frozen=True)
class ReadLimits:
    """Upper bounds on a table file (see the module docstring)."""

    max_unpacked_bytes: int = 256 * MIB
    max_rows: int = 1_000_000
    max_columns: int = 2_000
    max_cells: int = 10_000_000
    max_cell_chars: int = 32_767  # Excel's own limit for one cell

    def unpacked_error(self, name: str, what: str) -> TableTooLarge:
        return TableTooLarge(
            f"{name}: {what} unpacks to more than the limit of "
            f"{self.max_unpacked_bytes / MIB:g} MiB (unpacked size)",
            "Upload the table uncompressed or smaller (fewer rows or columns); on a server, "
            "MIXWISE_MAX_UNPACKED_MB raises the limit.",
        )

    def check_shape(self, name: str, rows: int, columns: int | None = None) -> None:
        """Refuse ``rows`` x ``columns`` past the row, column or cell limits."""
        if rows > self.max_rows:
            raise TooManyRows(
                f"{name}: the table has {rows:,} rows; the limit is {self.max_rows:,} rows",
                "Aggregate to daily or weekly rows first; on a server, MIXWISE_MAX_UPLOAD_ROWS "
                "raises the limit.",
            )
        if columns is not None and columns > self.max_columns:
            raise TableTooLarge(
                f"{name}: the table has {columns:,} columns; the limit is "
                f"{self.max_columns:,} columns",
                "Keep the date, KPI, spend and control columns; drop the rest.",
            )
        if columns is not None:
            self.check_cells(name, rows * columns)

    def check_cells(self, name: str, cells: int) -> None:
        if cells > self.max_cells:
            raise TableTooLarge(
                f"{name}: the table has more than {self.max_cells:,} cells (the cell limit)",
                "Aggregate to fewer rows, or keep only the columns the model needs.",
            )

    def check_text(self, name: str, chars: int) -> None:
        if chars > self.max_cell_chars:
            raise TableTooLarge(
                f"{name}: a cell holds more than {self.max_cell_chars:,} characters (the "
                "string length limit)",
                "A table cell holds a date, a number or a short label; re-export the data.",
            )


def gunzip(data: bytes, name: str, limits: ReadLimits) -> bytes:
    """The gzip member(s) in ``data`` unpacked; first measured in 1 MiB pieces that are thrown
    away, so a bomb is refused past ``max_unpacked_bytes`` without holding what it unpacks to."""
    try:
        total, rest = 0, data
        while rest.startswith(b"\x1f\x8b"):
            inflater = zlib.decompressobj(wbits=31)
            chunk = rest
            while chunk and not inflater.eof:
                total += len(inflater.decompress(chunk, _CHUNK))
                if total > limits.max_unpacked_bytes:
                    raise limits.unpacked_error(name, "the gzip file")
                chunk = inflater.unconsumed_tail
            if not inflater.eof:
                raise EOFError("truncated")
            rest = inflater.unused_data
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputFileError(
            f"{name} is not a complete gzip file ({exc})",
            "Compress the CSV again, or upload it as is.",
        ) from None


def check_xlsx(path: Path, name: str, limits: ReadLimits) -> None:
    """Refuse a workbook whose XML unpacks past the limits, counting rows, cells and the longest
    text in a bounded stream (the zip's declared sizes are checked first, then enforced)."""
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return  # not a zip: the Excel reader names the problem
    with book:
        entries = book.infolist()
        if len(entries) > _MAX_ZIP_ENTRIES:
            raise TableTooLarge(
                f"{name}: the workbook holds {len(entries):,} parts (limit {_MAX_ZIP_ENTRIES:,})",
                "Save the workbook again from Excel, or export the data as CSV.",
            )
        if sum(e.file_size for e in entries) > limits.max_unpacked_bytes:
            raise limits.unpacked_error(name, "the workbook")
        budget = limits.max_unpacked_bytes
        try:
            for entry in entries:
                if entry.filename.endswith((".xml", ".rels", ".vml")):
                    budget = _scan_xml(book, entry, name, limits, budget)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError):
            return  # a damaged or encrypted part: the Excel reader names the problem


def _scan_xml(
    book: zipfile.ZipFile, entry: zipfile.ZipInfo, name: str, limits: ReadLimits, budget: int
) -> int:
    """Stream one XML part: count rows and cells, measure the longest text; the budget left."""
    is_sheet = entry.filename.startswith("xl/worksheets/")
    has_cells = is_sheet or entry.filename.endswith("sharedStrings.xml")
    rows = cells = run = 0
    carry = b""
    with book.open(entry) as fh:
        while chunk := fh.read(_CHUNK):
            budget -= len(chunk)
            if budget < 0:
                raise limits.unpacked_error(name, "the workbook")
            if has_cells:  # cell text lives in sheets and the shared strings only
                first = chunk.find(b"<")
                if first < 0:
                    run += len(chunk)
                else:
                    longest = _longest_text(chunk, first, limits)
                    limits.check_text(name, max(run + first, longest))
                    run = len(chunk) - chunk.rfind(b"<") - 1
                limits.check_text(name, run)
            if is_sheet:
                buf = carry + chunk
                cut = buf.rfind(b"<")
                if cut < 0 or len(buf) - cut > 16:
                    cut = len(buf)
                rows += sum(buf.count(tag, 0, cut) for tag in _ROW)
                cells += sum(buf.count(tag, 0, cut) for tag in _CELL)
                carry = buf[cut:]
                limits.check_shape(name, rows)
                limits.check_cells(name, cells)
    return budget


def _longest_text(chunk: bytes, first: int, limits: ReadLimits) -> int:
    """The longest run without ``<`` after ``first`` in ``chunk`` if it may pass the text limit,
    else 0. A run longer than ``2h`` holds a whole aligned window of ``h`` bytes without ``<``,
    so only such windows are measured (a few ``find`` calls per MiB, no parsing)."""
    h = max(1, limits.max_cell_chars // 2)
    longest = 0
    for i in range(first, len(chunk), h):
        if chunk.find(b"<", i, i + h) < 0:
            end = chunk.find(b"<", i)
            longest = max(longest, (len(chunk) if end < 0 else end) - chunk.rfind(b"<", 0, i) - 1)
    return longest


def check_parquet(path: Path, name: str, limits: ReadLimits) -> None:
    """Refuse a Parquet file whose footer declares more rows, columns, cells or unpacked bytes
    than the limits (only the footer is read)."""
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path).metadata
    except Exception:
        return  # not Parquet: the reader names the problem
    limits.check_shape(name, meta.num_rows, meta.num_columns)
    unpacked = sum(
        meta.row_group(i).column(j).total_uncompressed_size
        for i in range(meta.num_row_groups)
        for j in range(meta.num_columns)
    )
    if unpacked > limits.max_unpacked_bytes:
        raise limits.unpacked_error(name, "the Parquet file")


def read_parquet(path: Path, name: str, limits: ReadLimits) -> pd.DataFrame:
    """The Parquet file as a frame, text columns measured before they are decoded: they are read
    dictionary-encoded (each distinct value once), so a short dictionary repeated over many rows
    cannot unpack past ``max_unpacked_bytes`` or hold text past ``max_cell_chars``."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    schema = pq.read_schema(path)
    text = [
        f.name
        for f in schema
        if pa.types.is_string(f.type)
        or pa.types.is_large_string(f.type)
        or pa.types.is_binary(f.type)
        or pa.types.is_large_binary(f.type)
    ]
    table = pq.read_table(path, read_dictionary=text)
    decoded = 0
    for column in table.columns:
        for chunk in column.chunks:
            if isinstance(chunk, pa.DictionaryArray):
                lengths = pc.binary_length(chunk.dictionary)
                if len(lengths) and (pc.max(lengths).as_py() or 0) > limits.max_cell_chars:
                    limits.check_text(name, limits.max_cell_chars + 1)
                decoded += pc.sum(pc.take(lengths, chunk.indices)).as_py() or 0
            else:
                decoded += chunk.nbytes
        if decoded > limits.max_unpacked_bytes:
            raise limits.unpacked_error(name, "the Parquet file")
    frame: pd.DataFrame = table.cast(schema).to_pandas()
    return frame
