"""The one fit orchestration (service/fitting.py): the spec a fit runs with, where a run may be
written, progress. (Run folders are written whole or not at all by FitResult.save:
tests/model/test_result.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from mixwise.errors import MixwiseError, SpecError
from mixwise.model.spec import ModelSpec
from mixwise.service.fitting import (
    check_engine,
    check_run_target,
    scaled,
    spec_with_sampler,
)


def test_sampler_options_leave_unset_settings_to_the_data(tmp_path: Path) -> None:
    """Without sampler options the geo defaults and reruns still apply; options are kept."""
    plain = spec_with_sampler().resolved("weekly", 104, True)
    assert (plain.sampler.draws, plain.sampler.tune, plain.sampler.reruns) == (2000, 500, 1)
    chosen = spec_with_sampler(seed=3, draws=300).resolved("weekly", 104, True)
    assert (chosen.sampler.draws, chosen.sampler.tune, chosen.sampler.reruns) == (300, 500, 0)
    assert chosen.sampler.seed == 3
    spec = tmp_path / "spec.yaml"
    spec.write_text("sampler: {reruns: 2, target_accept: 0.8}\n", encoding="utf-8")
    from_file = spec_with_sampler(ModelSpec.load(spec), draws=300).resolved("weekly", 104)
    assert (from_file.sampler.reruns, from_file.sampler.target_accept) == (2, 0.8)
    assert spec_with_sampler(quick=True).sampler.mode == "quick"


def test_unknown_engine_is_refused_with_the_choices() -> None:
    with pytest.raises(SpecError) as err:
        check_engine("robyn")
    assert "robyn" in err.value.message and "bayesian" in err.value.hint


def test_run_target_must_be_empty_unless_forced(tmp_path: Path) -> None:
    check_run_target(tmp_path / "new", force=False)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("old")
    with pytest.raises(MixwiseError, match="not empty"):
        check_run_target(tmp_path / "full", force=False)
    check_run_target(tmp_path / "full", force=True)
    (tmp_path / "file").write_text("x")
    with pytest.raises(MixwiseError, match="is a file"):
        check_run_target(tmp_path / "file", force=True)


def test_scaled_progress_maps_into_its_window() -> None:
    seen: list[tuple[str, float]] = []
    report = scaled(lambda stage, f, msg="": seen.append((stage, f)), 0.1, 0.5)
    for f in (-1.0, 0.0, 0.5, 1.0, 2.0):
        report("fit", f)
    assert [f for _, f in seen] == pytest.approx([0.1, 0.1, 0.35, 0.6, 0.6])
