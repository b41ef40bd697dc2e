"""``mixwise fit --engine all`` (or a list): refused before anything is fitted or written when
an engine cannot honour the spec, a name is unknown or repeated."""

from __future__ import annotations

from pathlib import Path

import pytest

from mixwise.engines.base import available_engines, engine_names
from mixwise.errors import SpecError
from mixwise.service.fitting import resolve_engines


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from mixwise.data.synthetic import generate, preset

    root = tmp_path_factory.mktemp("fe")
    generate(preset("small"), seed=5).save(root)
    return root


def test_resolve_engines_reads_the_registry(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """``all`` is every registered engine this installation can run: with the Meridian
    environment (``make test`` installs it) all of them; without it, the others, not an error."""
    assert resolve_engines("all") == available_engines()
    monkeypatch.setenv("MIXWISE_MERIDIAN_ENV", str(tmp_path / "none"))
    assert resolve_engines("all") == [e for e in engine_names() if e != "meridian"]
    assert resolve_engines(" ridge , bayesian ") == ["ridge", "bayesian"]
    with pytest.raises(SpecError, match="named twice"):
        resolve_engines("ridge,ridge")
    with pytest.raises(SpecError, match="unknown engine 'robyn'"):
        resolve_engines("bayesian,robyn")


def test_cli_fit_engines_refused_before_fitting(run_cli, data: Path, tmp_path: Path) -> None:
    csv, mapping = str(data / "data.csv"), str(data / "mapping.yaml")
    twice = run_cli("fit", csv, "-m", mapping, "--engine", "ridge,ridge", "-o", str(tmp_path))
    assert twice.exit_code == 2 and "named twice" in twice.text
    unknown = run_cli("fit", csv, "-m", mapping, "--engine", "ridge,robyn", "-o", str(tmp_path))
    assert unknown.exit_code == 2 and "unknown engine 'robyn'" in unknown.text
    spec = tmp_path / "spec.yaml"
    spec.write_text("holdout: 8\n")
    out = tmp_path / "all"
    held = run_cli("fit", csv, "-m", mapping, "--engine", "all", "-s", str(spec), "-o", str(out))
    assert held.exit_code == 2 and "holdout: the ridge engine does not support it" in held.text
    assert not out.exists()  # refused before anything was fitted or written
