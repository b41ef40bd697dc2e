"""Engines side by side (service/comparison): real ridge fits (fast) and, marked slow, a real
Bayesian fit against a ridge fit on a common holdout."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from mixwise.data.mapping import Mapping
from mixwise.errors import MixwiseError
from mixwise.model import agreement
from mixwise.model.result import load_result
from mixwise.model.spec import ModelSpec
from mixwise.service.comparison import _Model, _reasons, compare_models
from mixwise.service.fitted import RunFolder
from mixwise.service.fitting import fit_run
from mixwise.service.results import summary_of

pytestmark = pytest.mark.slow  # three real ridge fits: about 15-40 s

RIDGE = ModelSpec.from_dict({"ridge": {"trials": 1, "iterations": 100, "bootstrap_draws": 40}})


@dataclass
class Runs:
    data: Path
    a: Path
    b: Path
    no_ooh: Path


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    from mixwise.data.synthetic import generate, preset

    root = tmp_path_factory.mktemp("cmp")
    generate(preset("small"), seed=5).save(root / "data")
    data, mapping = root / "data" / "data.csv", root / "data" / "mapping.yaml"
    m = Mapping.load(mapping).model_dump(mode="json", exclude_defaults=True)
    m["channels"] = [c for c in m["channels"] if c["name"] != "OOH"]
    (root / "no_ooh.yaml").write_text(yaml.safe_dump(m))
    fits = (("a", 1, mapping), ("b", 2, mapping), ("no_ooh", 1, root / "no_ooh.yaml"))
    for name, seed, mp in fits:
        fit_run(data, mp, root / name, RIDGE, engine="ridge", seed=seed)
    return Runs(root / "data", root / "a", root / "b", root / "no_ooh")


def test_two_runs_on_the_same_data(runs: Runs) -> None:
    out = compare_models([RunFolder(runs.a), RunFolder(runs.b)])
    assert out.same_data and out.missing_channels == {}
    assert [m.interval_text for m in out.models] == ["90% bootstrap interval"] * 2
    assert [m.engine_label for m in out.models] == ["Ridge (Robyn's method)"] * 2
    summaries = [json.loads((p / "summary.json").read_text()) for p in (runs.a, runs.b)]
    assert [c.channel for c in out.channels] == list(summaries[0]["channels"])
    for ch in out.channels:
        r = [s["channels"][ch.channel]["roas"] for s in summaries]
        overlap = max(r[0]["lo"], r[1]["lo"]) <= min(r[0]["hi"], r[1]["hi"])
        assert ch.roas_agree is overlap
        assert [e.roas.mean for e in ch.estimates if e.roas] == [x["mean"] for x in r]
        assert (ch.reasons == []) is (ch.roas_agree is not False and ch.share_agree is not False)
        spend = load_result(runs.a).spend.sel(channel=ch.channel).values
        assert ch.spend_cv == pytest.approx(spend.std() / spend.mean(), rel=1e-9)
    assert out.holdout_window is None and all(f.holdout is None for f in out.fit)
    assert any("In-sample fit only" in n for n in out.notes)
    assert out.fit[0].in_sample.r2 == summaries[0]["fit"]["in_sample"]["r2"]


def test_window_fit_reproduces_the_summarys_in_sample_fit(runs: Runs) -> None:
    result = load_result(runs.a)
    mine = agreement.window_fit(result, result.train_dates)
    theirs = summary_of(runs.a, "a").fit.in_sample
    assert mine is not None
    for key in ("r2", "mape", "nrmse"):
        assert mine[key] == pytest.approx(getattr(theirs, key), rel=1e-8)


def test_runs_on_different_data_compare_shared_channels(runs: Runs) -> None:
    out = compare_models([RunFolder(runs.a), RunFolder(runs.no_ooh)], {str(runs.no_ooh): "nooh"})
    assert not out.same_data
    assert "OOH" not in [c.channel for c in out.channels] and len(out.channels) == 4
    assert out.missing_channels == {str(runs.no_ooh): ["OOH"]}
    assert any("nooh has no channel OOH" in n for n in out.notes)
    assert any("different data" in n for n in out.notes)


def test_not_a_run_and_too_few(runs: Runs, tmp_path: Path) -> None:
    with pytest.raises(MixwiseError, match="directory not found"):
        compare_models([RunFolder(tmp_path / "nope"), RunFolder(runs.a)])
    half = tmp_path / "half"
    half.mkdir()
    shutil.copy(runs.a / "summary.json", half)
    with pytest.raises(MixwiseError, match=r"not a complete fit result: missing result\.nc"):
        compare_models([RunFolder(runs.a), RunFolder(half)])
    with pytest.raises(MixwiseError, match="at least two"):
        compare_models([RunFolder(runs.a)])
    with pytest.raises(MixwiseError, match="named twice"):
        compare_models([RunFolder(runs.a), RunFolder(runs.a)])


def test_reasons_from_spend_variation_and_baseline(runs: Runs) -> None:
    loaded = [
        _Model(str(p), p.name, load_result(p), summary_of(p, str(p))) for p in (runs.a, runs.b)
    ]
    codes = [r.code for r in _reasons("TV", loaded, cv=0.1, baseline_agree=False)]
    assert codes == ["low_spend_variation", "different_baseline"]  # ridge: no priors to test
    assert [r.code for r in _reasons("TV", loaded, cv=0.5, baseline_agree=True)] == ["unexplained"]


def test_cli_compare_and_bad_input(run_cli, runs: Runs, tmp_path: Path) -> None:
    res = run_cli("compare", str(runs.a), str(runs.no_ooh))
    assert res.exit_code == 0, res.text
    text = " ".join(res.out.split())  # Rich wraps long lines
    assert "bootstrap" in text and "no channel OOH" in text
    doc = run_cli("compare", str(runs.a), str(runs.b), "--json")
    assert json.loads(doc.out)["models"][0]["interval_kind"] == "bootstrap"
    bad = run_cli("compare", str(runs.a), str(tmp_path))
    assert bad.exit_code == 2 and "not a complete fit result" in " ".join(bad.text.split())
    assert "Traceback" not in bad.text


def test_bayesian_against_ridge_on_a_common_holdout(runs: Runs, tmp_path: Path) -> None:
    """A real NUTS fit (small draws) with a holdout and a prior that pins the coefficients near
    zero, against the ridge fit: every model is scored on the Bayesian fit's holdout, the ridge
    fit marked in-sample there; TV is flagged prior-dominated in the Bayesian fit. (A global
    prior: the bayesian engine refuses per-channel coefficient priors with logistic saturation.)"""
    tight = {"dist": "HalfNormal", "kwargs": {"sigma": 0.01}}
    spec = ModelSpec.from_dict(
        {
            "sampler": {"chains": 2, "draws": 60, "tune": 60, "seed": 1},
            "holdout": 8,
            "priors": {"saturation_beta": tight},
        }
    )
    bayes = tmp_path / "bayes"
    fit_run(runs.data / "data.csv", runs.data / "mapping.yaml", bayes, spec, engine="bayesian")
    out = compare_models([RunFolder(bayes), RunFolder(runs.a)], {str(bayes): "bayes"})
    assert [m.interval_kind for m in out.models] == ["posterior", "bootstrap"]
    assert out.holdout_window is not None and out.holdout_window.n == 8
    own = summary_of(bayes, "b").fit.holdout
    b_fit, r_fit = out.fit
    assert b_fit.holdout_out_of_sample and not r_fit.holdout_out_of_sample
    assert own is not None and b_fit.holdout is not None
    for key in ("r2", "mape", "nrmse"):  # the window is exactly the Bayesian fit's holdout
        assert getattr(b_fit.holdout, key) == pytest.approx(getattr(own, key), rel=1e-8)
    ridge = load_result(runs.a)
    mine = agreement.window_fit(ridge, ridge.dates[-8:])
    assert mine is not None and r_fit.holdout is not None
    assert r_fit.holdout.r2 == pytest.approx(mine["r2"], rel=1e-8)
    assert any("in-sample, not a forecast" in n for n in out.notes)
    tv = next(c for c in out.channels if c.channel == "TV")
    assert tv.roas_agree is False  # a coefficient near 0 against the ridge fit's TV effect
    prior = [r for r in tv.reasons if r.code == "prior_dominated"]
    assert [r.model_id for r in prior] == [str(bayes)]
    assert prior[0].value is not None and prior[0].value < agreement.PRIOR_DOMINATED
