"""Artifact storage: uploaded files, fit results and reports under one directory.

Everything is written atomically: into ``<root>/tmp`` first, then renamed into place (a rename
within one file system is atomic), so a reader sees either nothing or the whole artifact, never
half of it. The database stores paths relative to the root (:meth:`ArtifactStore.relative`).
Artifacts are private to the server's user: directories 0700, files 0600.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from mixwise.errors import MixwiseError

CHUNK = 1 << 20
DIR_MODE, FILE_MODE = 0o700, 0o600


class UploadTooLarge(MixwiseError):
    """An upload passed the size limit."""

    code = "upload_too_large"


class ArtifactStore:
    """Files and directories under ``root``, written atomically, addressed by relative paths."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.tmp = self.root / "tmp"
        self.tmp.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
        for folder in (self.root, self.tmp):  # also tightens an older installation's folders
            with suppress(OSError):
                folder.chmod(DIR_MODE)

    def path(self, relative: str) -> Path:
        """The absolute path of an artifact; refuses anything outside the root."""
        p = (self.root / relative).resolve()
        if not p.is_relative_to(self.root.resolve()):
            raise ValueError(f"artifact path escapes the artifact directory: {relative!r}")
        return p

    def relative(self, path: Path) -> str:
        return path.resolve().relative_to(self.root.resolve()).as_posix()

    def exists(self, relative: str) -> bool:
        return self.path(relative).exists()

    def write_stream(self, relative: str, source: BinaryIO, max_bytes: int | None = None) -> int:
        """Copy ``source`` to ``relative`` atomically; return the size. Raises
        :class:`UploadTooLarge` (and keeps nothing) past ``max_bytes``."""
        with self.temp_file(suffix=Path(relative).suffix) as tmp:
            size = 0
            with tmp.open("wb") as out:
                while chunk := source.read(CHUNK):
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise UploadTooLarge(
                            f"the file is larger than the upload limit of {_mib(max_bytes)}",
                            "Upload a smaller file (aggregate to weekly rows, drop unused "
                            "columns) or raise MIXWISE_MAX_UPLOAD_MB on the server.",
                        )
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            self._place(tmp, relative)
        return size

    def write_bytes(self, relative: str, data: bytes) -> None:
        with self.temp_file(suffix=Path(relative).suffix) as tmp:
            tmp.write_bytes(data)
            self._place(tmp, relative)

    @contextmanager
    def temp_file(self, suffix: str = "") -> Iterator[Path]:
        """A fresh temporary path under ``root/tmp``; removed afterwards unless placed."""
        fd, name = tempfile.mkstemp(dir=self.tmp, suffix=suffix)
        os.close(fd)
        path = Path(name)
        try:
            yield path
        finally:
            path.unlink(missing_ok=True)

    @contextmanager
    def temp_dir(self) -> Iterator[Path]:
        """A fresh temporary directory under ``root/tmp``; removed afterwards unless placed."""
        path = Path(tempfile.mkdtemp(dir=self.tmp))
        try:
            yield path
        finally:
            shutil.rmtree(path, ignore_errors=True)

    def write_dir(self, relative: str, write: Callable[[Path], object]) -> None:
        """A directory at ``relative``, whole or not at all: ``write(folder)`` creates and fills
        ``folder`` in the temporary area, which is then moved into place."""
        with self.temp_dir() as tmp:
            write(tmp / "dir")
            self.place_dir(tmp / "dir", relative)

    def place_dir(self, tmp_dir: Path, relative: str) -> None:
        """Move a finished directory into place at ``relative`` (which must not exist)."""
        self._place(tmp_dir, relative)

    def _place(self, tmp: Path, relative: str) -> None:
        final = self.path(relative)
        for folder in reversed([final.parent, *final.parent.parents]):
            if not folder.exists():  # mkdir(parents=True) would give the parents default modes
                folder.mkdir(mode=DIR_MODE, exist_ok=True)
        make_private(tmp)
        if tmp.is_dir() and final.exists():
            raise FileExistsError(f"artifact already exists: {relative}")
        os.replace(tmp, final)

    def sweep_tmp(self, older_than_s: float = 3600.0) -> int:
        """Remove temporary files and directories left by killed processes; returns how many.

        Only entries older than ``older_than_s`` go: a running writer's are fresh."""
        cutoff, removed = time.time() - older_than_s, 0
        for entry in self.tmp.iterdir():
            try:
                if entry.stat().st_mtime > cutoff:
                    continue
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)
                removed += 1
            except OSError:
                continue
        return removed

    def delete(self, relative: str | None) -> None:
        """Remove an artifact (file or directory); missing is fine."""
        if not relative:
            return
        p = self.path(relative)
        if p.is_dir():
            # rename first so that a reader never sees a half-deleted directory
            trash = Path(tempfile.mkdtemp(dir=self.tmp)) / "x"
            os.replace(p, trash)
            shutil.rmtree(trash.parent, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)


def make_private(path: Path) -> None:
    """``path`` (and everything under it) readable by its owner only."""
    path.chmod(DIR_MODE if path.is_dir() else FILE_MODE)
    if path.is_dir():
        for base, dirs, files in os.walk(path):
            for d in dirs:
                os.chmod(os.path.join(base, d), DIR_MODE)
            for f in files:
                os.chmod(os.path.join(base, f), FILE_MODE)


def _mib(n: int) -> str:
    return f"{n / 2**20:g} MiB"
