"""The ridge engine as an engine: spec mapping, capabilities, documents, lift tests."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from mixwise.data.dataset import MMMDataset
from mixwise.engines.base import engine_capabilities
from mixwise.engines.ridge.documents import problem_document, problem_from_document
from mixwise.engines.ridge.engine import ridge_spec
from mixwise.engines.ridge.evaluate import RidgeProblem, evaluate
from mixwise.errors import SpecError
from mixwise.fitting import fit
from mixwise.model.spec import ModelSpec, SpecFieldError

LIFT = {
    "channel": "facebook",
    "start": "2018-05-01",
    "end": "2018-06-10",
    "spend_change": 20000,
    "kpi_change": 60000,
    "sigma": 10000,
}


def _spec(**data: Any) -> ModelSpec:
    return ModelSpec.from_dict(data)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"holdout": 13}, "holdout"),
        ({"time_varying_intercept": True}, "time_varying_intercept"),
        ({"adstock": {"kind": "delayed"}}, "adstock.kind"),
        ({"saturation": {"kind": "michaelis_menten"}}, "saturation.kind"),
        ({"lift_tests": [{**LIFT, "geo": "DE"}]}, "lift_tests"),
        ({"priors": {"intercept": {"dist": "Normal", "kwargs": {"mu": 0, "sigma": 1}}}}, "priors"),
        ({"channels": {"tv": {"roas": {"mean": 2, "sigma": 0.5}}}}, "channels"),
    ],
)
def test_ridge_refuses_what_it_cannot_honour(data: dict[str, Any], field: str) -> None:
    with pytest.raises(SpecFieldError) as err:
        engine_capabilities("ridge").check("ridge", _spec(**data))
    assert err.value.fields == [field]
    assert err.value.hint  # says what to do
    engine_capabilities("bayesian").check("bayesian", _spec(**data))  # bayesian fits them all


def test_geo_data_is_refused_and_defaults_pass() -> None:
    caps = engine_capabilities("ridge")
    assert caps.interval_kind == "bootstrap"
    assert engine_capabilities("bayesian").interval_kind == "posterior"
    caps.check("ridge", ModelSpec())  # logistic is only the default: ridge uses hill
    geo = SimpleNamespace(has_geo=True)
    with pytest.raises(SpecFieldError, match="national data only"):
        caps.check("ridge", ModelSpec(), geo)  # type: ignore[arg-type]
    with pytest.raises(SpecError, match="unknown engine"):
        engine_capabilities("prophet")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"ridge": {"ranges": {"tv": {"gamma": [0.2, 1.4]}}}}, "ridge.ranges.tv.gamma"),
        ({"ridge": {"ranges": {"tv": {"theta": [0.5, 0.1]}}}}, "ridge.ranges.tv.theta"),
        ({"ridge": {"ranges": {"tv": {"beta": [0, 1]}}}}, "ridge.ranges.tv.beta"),
        (
            {"adstock": {"kind": "weibull_pdf"}, "ridge": {"ranges": {"tv": {"theta": [0, 0.5]}}}},
            "ridge.ranges.tv.theta",
        ),
        ({"ridge": {"trials": 0}}, "ridge.trials"),
        ({"ridge": {"clusters": 0}}, "ridge.clusters"),
        ({"ridge": {"start": "2018-01-01", "end": "2017-01-01"}}, "ridge.end"),
        ({"ridge": {"media_kinds": {"tv": "cinema"}}}, "ridge.media_kinds.tv"),
    ],
)
def test_ridge_spec_errors_name_the_field(data: dict[str, Any], field: str) -> None:
    with pytest.raises(SpecFieldError) as err:
        ModelSpec.from_dict(data)
    assert field in err.value.fields, err.value.message


def test_spec_as_the_ridge_engine_fits_it(robyn_dataset: MMMDataset) -> None:
    plain = ridge_spec(_spec(sampler={"seed": 11}), robyn_dataset)
    kinds = (plain.adstock.kind, plain.saturation.kind, plain.ridge.seed)
    assert kinds == ("geometric", "hill", 11)
    weibull = ridge_spec(_spec(adstock={"kind": "weibull_cdf"}, ridge={"seed": 3}), robyn_dataset)
    assert (weibull.adstock.kind, weibull.ridge.seed) == ("weibull_cdf", 3)
    # a chosen kind survives the round trip through YAML (to_dict keeps it although default)
    chosen = ModelSpec.from_yaml(_spec(saturation={"kind": "logistic"}).to_yaml())
    with pytest.raises(SpecFieldError):
        engine_capabilities("ridge").check("ridge", chosen)


def test_problem_document_round_trips_exactly(robyn_problem: RidgeProblem) -> None:
    import json

    again = problem_from_document(json.loads(json.dumps(problem_document(robyn_problem))))
    rng = np.random.default_rng(0)
    hyper = robyn_problem.ranges.from_unit(rng.uniform(size=(4, len(robyn_problem.ranges.names))))
    a, b = evaluate(robyn_problem, hyper), evaluate(again, hyper)
    np.testing.assert_array_equal(a.coef, b.coef)
    np.testing.assert_array_equal(a.nrmse, b.nrmse)


def test_lift_tests_become_mape_lift_and_the_fit_seed_wins(robyn_dataset: MMMDataset) -> None:
    ridge = {"trials": 1, "iterations": 160, "bootstrap_draws": 20, "start": "2016-01-04"}
    spec = _spec(lift_tests=[LIFT], ridge={**ridge, "seed": 3})
    result = fit(robyn_dataset, spec, engine="ridge", seed=5)
    assert result.spec.ridge.seed == result.provenance["seed"] == 5
    summary = result.summary_dict()
    assert all(m["mape"] is not None for m in summary["pareto"]["models"])
    assert [t["channel"] for t in summary["lift_tests"]] == ["facebook"]
    assert summary["interval_kind"] == "bootstrap" and summary["n_draws"] == 20
