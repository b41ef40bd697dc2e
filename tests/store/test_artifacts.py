"""Artifacts are written atomically and never outside the artifact directory."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from mixwise.store.artifacts import ArtifactStore, UploadTooLarge


def test_stream_is_placed_whole(tmp_path: Path) -> None:
    a = ArtifactStore(tmp_path / "art")
    size = a.write_stream("uploads/x.csv", io.BytesIO(b"a,b\n1,2\n"))
    assert size == 8 and a.path("uploads/x.csv").read_bytes() == b"a,b\n1,2\n"
    assert list(a.tmp.iterdir()) == []


def test_too_large_leaves_nothing(tmp_path: Path) -> None:
    a = ArtifactStore(tmp_path)
    with pytest.raises(UploadTooLarge, match="upload limit"):
        a.write_stream("uploads/big.csv", io.BytesIO(b"x" * 5000), max_bytes=1000)
    assert not a.exists("uploads/big.csv") and list(a.tmp.iterdir()) == []


def test_directory_is_placed_by_rename_and_deleted(tmp_path: Path) -> None:
    a = ArtifactStore(tmp_path)
    with a.temp_dir() as d:
        (d / "summary.json").write_text("{}")
        a.place_dir(d, "models/m1/r1")
    assert a.path("models/m1/r1/summary.json").read_text() == "{}"
    with a.temp_dir() as d, pytest.raises(FileExistsError):
        a.place_dir(d, "models/m1/r1")
    a.delete("models/m1/r1")
    assert not a.exists("models/m1/r1")
    a.delete("models/m1/r1")  # missing is fine


def test_paths_cannot_escape(tmp_path: Path) -> None:
    a = ArtifactStore(tmp_path / "art")
    with pytest.raises(ValueError, match="escapes"):
        a.path("../secret")
    assert a.relative(a.path("uploads/x.csv")) == "uploads/x.csv"


def test_sweep_removes_only_old_leftovers(tmp_path: Path) -> None:
    import os
    import time

    a = ArtifactStore(tmp_path)
    old_file, old_dir, fresh = a.tmp / "old.csv", a.tmp / "olddir", a.tmp / "fresh.csv"
    old_file.write_text("x")
    old_dir.mkdir()
    (old_dir / "result.nc").write_text("x")
    fresh.write_text("x")
    past = time.time() - 7200
    for p in (old_file, old_dir):
        os.utime(p, (past, past))
    assert a.sweep_tmp(older_than_s=3600) == 2
    assert [p.name for p in a.tmp.iterdir()] == ["fresh.csv"]
