"""FitResult without sampling: the on-disk format (round trip, atomic overwrite, clear errors)
and the top-level exports. The summary math is in test_summary.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import xarray as xr
from tests.model.support import make_result

from mixwise.errors import MixwiseError
from mixwise.model.result import FORMAT_VERSION, load_result


# -- persistence ----------------------------------------------------------------------------------
def _approx(value: object) -> object:
    if isinstance(value, dict):
        return {k: _approx(v) for k, v in value.items()}
    if isinstance(value, float):
        return pytest.approx(value, rel=1e-9)
    return value


def test_save_load_round_trip(tmp_path: Path) -> None:
    result = make_result(geos=["a", "b"], n_holdout=5)
    out = result.save(tmp_path / "fit")
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["result.nc", "spec.yaml", "provenance.json", "summary.json"]
    )
    back = load_result(out)
    for name in ("contributions", "baseline", "fitted", "observed", "spend"):
        xr.testing.assert_identical(getattr(back, name), getattr(result, name))
    xr.testing.assert_allclose(back.params, result.params)
    assert back.params.attrs == result.params.attrs
    assert back.spec == result.spec and back.diagnostics == result.diagnostics
    assert back.provenance == result.provenance
    assert (back.kpi_type, back.frequency, back.n_holdout) == ("revenue", "weekly", 5)
    assert back.summary_dict() == _approx(json.loads((out / "summary.json").read_text()))
    summary = json.loads((out / "summary.json").read_text())
    assert summary["format_version"] == 1
    assert json.loads((out / "provenance.json").read_text())["format_version"] == FORMAT_VERSION


def test_save_replaces_an_existing_result_and_is_deterministic(tmp_path: Path) -> None:
    result = make_result()
    first = (result.save(tmp_path / "fit") / "summary.json").read_bytes()
    (tmp_path / "fit" / "stray.txt").write_text("old")
    second = (result.save(tmp_path / "fit") / "summary.json").read_bytes()
    assert first == second
    assert not (tmp_path / "fit" / "stray.txt").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["fit"]  # no temp dirs left behind


def test_a_save_that_fails_half_way_leaves_the_old_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written whole or not at all: `mixwise fit`, refresh, select and the demo rely on it."""
    from mixwise.model.result import FitResult

    result = make_result()
    before = (result.save(tmp_path / "fit") / "summary.json").read_bytes()

    def half_write(self: FitResult, path: Path) -> None:
        (path / "result.nc").write_text("half")
        raise OSError("disk full")

    monkeypatch.setattr(FitResult, "_write", half_write)
    with pytest.raises(OSError, match="disk full"):
        result.save(tmp_path / "fit")
    assert (tmp_path / "fit" / "summary.json").read_bytes() == before
    assert (tmp_path / "fit" / "result.nc").read_bytes() != b"half"
    assert [p.name for p in tmp_path.iterdir()] == ["fit"]  # no temp dirs left behind


def test_load_errors(tmp_path: Path) -> None:
    with pytest.raises(MixwiseError, match="directory not found"):
        load_result(tmp_path / "nothing")
    out = make_result().save(tmp_path / "fit")
    (out / "summary.json").unlink()
    with pytest.raises(MixwiseError, match=r"missing summary\.json"):
        load_result(out)

    out = make_result().save(tmp_path / "fit2")
    prov = json.loads((out / "provenance.json").read_text())
    prov["format_version"] = FORMAT_VERSION + 1
    (out / "provenance.json").write_text(json.dumps(prov))
    with pytest.raises(MixwiseError, match="Upgrade mixwise") as info:
        load_result(out)
    assert f"format {FORMAT_VERSION + 1}" in str(info.value)

    (out / "provenance.json").write_text("{not json")
    with pytest.raises(MixwiseError, match=r"provenance\.json is corrupt"):
        load_result(out)

    out = make_result().save(tmp_path / "fit3")
    (out / "result.nc").write_bytes(b"garbage")
    with pytest.raises(MixwiseError, match="corrupt fit result"):
        load_result(out)


def test_lazy_top_level_exports() -> None:
    import mixwise

    assert mixwise.load_result is load_result
    assert callable(mixwise.fit)
    for name in mixwise.__all__:
        assert getattr(mixwise, name) is not None
    with pytest.raises(AttributeError):
        _ = mixwise.no_such_thing  # type: ignore[attr-defined]
