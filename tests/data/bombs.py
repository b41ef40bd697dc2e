"""Small files that unpack to a lot (decompression bombs), written in bounded memory."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

MIB = 2**20
_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)
_SHEET_HEAD = b'<?xml version="1.0"?><worksheet><sheetData>'
_SHEET_TAIL = b"</sheetData></worksheet>"


def xlsx(path: Path, sheet_rows: int = 1, cell_mib: int = 0) -> Path:
    """A workbook-shaped zip: ``sheet_rows`` one-cell rows, and (if ``cell_mib``) one shared
    string of that many MiB. Only what the limit checks look at: sizes and XML."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _TYPES)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(_SHEET_HEAD)
            row = b"<row><c><v>1</v></c></row>"
            left = sheet_rows
            while left > 0:
                n = min(left, 100_000)
                fh.write(row * n)
                left -= n
            fh.write(_SHEET_TAIL)
        if cell_mib:
            with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
                fh.write(b"<sst><si><t>")
                for _ in range(cell_mib):
                    fh.write(b"a" * MIB)
                fh.write(b"</t></si></sst>")
    return path


def gzip_csv(path: Path, mib: int) -> Path:
    """A gzip'd CSV of about ``mib`` MiB of rows ``1,2``."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"1,2\n" * (MIB // 4)
    with path.open("wb") as fh:
        fh.write(packer.compress(b"a,b\n"))
        for _ in range(mib):
            fh.write(packer.compress(block))
        fh.write(packer.flush())
    return path
