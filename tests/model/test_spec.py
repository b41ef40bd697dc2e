"""ModelSpec: defaults, YAML round trip, resolution, and SpecError naming the field."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mixwise.errors import SpecError
from mixwise.model.spec import HolidaysSpec, LiftTest, ModelSpec, PriorSpec, SamplerSpec


def test_defaults_work_without_a_spec() -> None:
    spec = ModelSpec()
    assert spec.adstock.kind == "geometric"
    assert spec.saturation.kind == "logistic"
    assert spec.trend.enabled and spec.controls and spec.events
    assert not spec.time_varying_intercept
    assert (spec.sampler.chains, spec.sampler.draws, spec.sampler.tune) == (4, 1000, 1000)
    assert spec.sampler.target_accept == 0.9
    assert spec.sampler.mode == "full"
    assert spec.interval == 0.9 and spec.max_draws == 1000 and spec.holdout == 0


def test_resolved_fills_auto_values_by_frequency() -> None:
    weekly = ModelSpec().resolved("weekly", 179)
    assert weekly.adstock.l_max == 8
    assert weekly.seasonality.yearly_order == 2
    assert weekly.trend.n_changepoints == 4  # 3.4 years -> round(3.4) + 1
    daily = ModelSpec().resolved("daily", 730)
    assert daily.adstock.l_max == 28
    assert daily.seasonality.yearly_order == 3
    kept = ModelSpec(adstock={"l_max": 4}, seasonality={"yearly_order": 0}).resolved("weekly", 99)
    assert kept.adstock.l_max == 4 and kept.seasonality.yearly_order == 0


def test_geo_panels_get_geo_sampler_defaults_only_where_unset() -> None:
    national = ModelSpec().resolved("weekly", 156)
    assert (national.sampler.tune, national.sampler.draws) == (1000, 1000)
    assert national.sampler.target_accept == 0.9
    geo = ModelSpec().resolved("weekly", 156, geo=True).sampler
    assert (geo.tune, geo.draws, geo.target_accept) == (500, 2000, 0.95)
    # what the user set stays, even when it equals the national default
    spec = ModelSpec.from_dict({"sampler": {"draws": 1000, "target_accept": 0.9}})
    mixed = spec.resolved("weekly", 156, geo=True).sampler
    assert (mixed.tune, mixed.draws, mixed.target_accept) == (500, 1000, 0.9)
    # the resolved spec round-trips through YAML unchanged
    again = ModelSpec.from_yaml(spec.resolved("weekly", 156, geo=True).to_yaml())
    assert again.resolved("weekly", 156, geo=True).sampler == mixed


FULL = {
    "adstock": {"kind": "weibull_cdf", "l_max": 10, "normalize": False},
    "saturation": {"kind": "hill"},
    "priors": {
        "adstock_lam": {"dist": "Gamma", "kwargs": {"mu": 2, "sigma": 1}},
        "saturation_beta": {
            "dist": "HalfNormal",
            "kwargs": {"sigma": {"dist": "HalfNormal", "kwargs": {"sigma": 2}}},
        },
        "intercept": {"dist": "Normal", "kwargs": {"mu": 0, "sigma": 1}},
    },
    "channels": {
        "TV": {
            "priors": {"saturation_kappa": {"dist": "HalfNormal", "kwargs": {"sigma": 0.5}}},
            "roas": {"mean": 2.5, "sigma": 0.5},
        },
        "Search": {"cpa": {"mean": 20, "sigma": 5}},
    },
    "seasonality": {"yearly_order": 3},
    "trend": {"enabled": True, "n_changepoints": 6, "scale": 0.1},
    "holidays": {"country": "DE"},
    "controls": False,
    "events": True,
    "time_varying_intercept": False,
    "sampler": {"mode": "quick", "chains": 2, "draws": 500, "tune": 700, "seed": 7},
    "holdout": 13,
    "interval": 0.8,
    "max_draws": 400,
    "lift_tests": [
        {
            "channel": "TV",
            "start": "2023-03-06",
            "end": "2023-04-02",
            "spend_change": 40000,
            "kpi_change": 95000,
            "sigma": 20000,
        }
    ],
}


def test_yaml_round_trip(tmp_path: Path) -> None:
    spec = ModelSpec.from_dict(FULL)
    assert ModelSpec.from_yaml(spec.to_yaml()) == spec
    assert ModelSpec.from_yaml(spec.to_yaml(full=True)) == spec
    spec.save(tmp_path / "spec.yaml")
    assert ModelSpec.load(tmp_path / "spec.yaml") == spec
    assert ModelSpec().to_yaml() == "{}\n"
    assert ModelSpec.from_yaml("") == ModelSpec()


def test_spec_validates_without_pymc() -> None:
    """The model layer never imports PyMC: a full spec (priors included) validates, and the
    unknown-distribution and unknown-parameter errors come from the spec's own table."""
    code = (
        "import sys, json; from mixwise.model.spec import ModelSpec; "
        "import mixwise.plan, mixwise.data.synthetic; "
        f"ModelSpec.from_dict(json.loads({json.dumps(json.dumps(FULL))})); "
        "bad = [m for m in ('pymc', 'pymc_extras', 'pymc_marketing', 'pytensor', 'nutpie') "
        "if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_lift_test_aliases() -> None:
    test = LiftTest(
        channel="x1", start="2020-01-06", end="2020-01-26", x=1.0, delta_x=2, delta_y=3, sigma=1
    )
    assert (test.spend_level, test.spend_change, test.kpi_change) == (1.0, 2.0, 3.0)


BAD: list[tuple[dict, str, str]] = [
    ({"sampler": {"chains": 0}}, "sampler.chains", "greater than or equal to 1"),
    ({"sampler": {"draws": "many"}}, "sampler.draws", "valid integer"),
    ({"sampler": {"target_accept": 1.0}}, "sampler.target_accept", "less than 1"),
    ({"sampler": {"mode": "fast"}}, "sampler.mode", "'full' or 'quick'"),
    ({"sampler": {"backend": "jax"}}, "sampler.backend", "'auto', 'nutpie' or 'pymc'"),
    ({"adstock": {"kind": "exponential"}}, "adstock.kind", "'geometric'"),
    ({"adstock": {"l_max": 0}}, "adstock.l_max", "greater than or equal to 1"),
    ({"saturation": {"kind": "softplus"}}, "saturation.kind", "'logistic'"),
    ({"interval": 1.5}, "interval", "less than 1"),
    ({"interval": 0}, "interval", "greater than 0"),
    ({"holdout": -1}, "holdout", "greater than or equal to 0"),
    ({"max_draws": 5}, "max_draws", "greater than or equal to 10"),
    ({"seasonality": {"yearly_order": -1}}, "seasonality.yearly_order", "greater than or equal"),
    ({"trend": {"scale": 0}}, "trend.scale", "greater than 0"),
    ({"unknown_field": 1}, "unknown_field", "Extra inputs are not permitted"),
    ({"sampler": {"chain": 2}}, "sampler.chain", "Extra inputs are not permitted"),
    ({"priors": {"saturation_foo": {"dist": "Gamma"}}}, "priors", "unknown prior 'saturation_foo'"),
    (
        {"adstock": {"kind": "weibull_pdf"}, "priors": {"adstock_alpha": {"dist": "Beta"}}},
        "priors",
        "unknown prior 'adstock_alpha' for adstock 'weibull_pdf'",
    ),
    ({"priors": {"saturation_lam": {"dist": "Gama"}}}, "priors.saturation_lam", "'Gama'"),
    (
        {"priors": {"saturation_lam": {"dist": "Gamma", "kwargs": {"shape": 1}}}},
        "priors.saturation_lam",
        "{'shape'}",
    ),
    (
        {"priors": {"saturation_lam": {"dist": "Gamma", "kwargs": {"alpha": "three"}}}},
        "priors.saturation_lam.kwargs",
        "alpha must be a number",
    ),
    (
        {"channels": {"TV": {"priors": {"intercept": {"dist": "Normal"}}}}},
        "channels.TV.priors.intercept",
        "not a channel parameter",
    ),
    ({"channels": {"TV": {"roas": {"mean": -1, "sigma": 1}}}}, "channels.TV.roas.mean", "> 0"),
    (
        {"channels": {"TV": {"roas": {"mean": 2, "sigma": 1}, "cpa": {"mean": 2, "sigma": 1}}}},
        "channels.TV",
        "either roas",
    ),
    ({"holidays": {"country": "XX"}}, "holidays", "unknown country code 'XX'"),
    (
        {"holdout": 4, "time_varying_intercept": True},
        "holdout",
        "cannot be combined with time_varying_intercept",
    ),
    (
        {
            "lift_tests": [
                {
                    "channel": "TV",
                    "start": "2020-02-01",
                    "end": "2020-01-01",
                    "spend_change": 1,
                    "kpi_change": 1,
                    "sigma": 1,
                }
            ]
        },
        "lift_tests.0.end",
        "(2020-01-01) is before start (2020-02-01)",
    ),
    (
        {
            "lift_tests": [
                {
                    "channel": "TV",
                    "start": "2020-01-01",
                    "end": "2020-01-31",
                    "spend_change": 1,
                    "kpi_change": 1,
                    "sigma": 0,
                }
            ]
        },
        "lift_tests.0.sigma",
        "greater than 0",
    ),
    (
        {
            "lift_tests": [
                {
                    "channel": "TV",
                    "start": "2020-01-01",
                    "end": "2020-01-31",
                    "kpi_change": 1,
                    "sigma": 1,
                }
            ]
        },
        "lift_tests.0.spend_change",
        "Field required",
    ),
]


@pytest.mark.parametrize(("data", "field", "text"), BAD, ids=[b[1] for b in BAD])
def test_bad_values_raise_spec_error_naming_the_field(data: dict, field: str, text: str) -> None:
    with pytest.raises(SpecError) as info:
        ModelSpec.from_dict(data)
    message = info.value.message
    assert message.startswith("Invalid model spec: ")
    assert f"{field}: " in message, message
    assert text.replace("> 0", "greater than 0") in message, message
    assert field in info.value.fields  # type: ignore[attr-defined]


def test_direct_construction_raises_spec_error_too() -> None:
    with pytest.raises(SpecError, match=r"sampler\.chains: Input should be greater"):
        SamplerSpec(chains=0)
    with pytest.raises(SpecError, match=r"sampler\.seed"):
        ModelSpec(sampler={"seed": -1})
    with pytest.raises(SpecError, match="'Nrmal'"):
        PriorSpec(dist="Nrmal")
    with pytest.raises(SpecError, match=r"lift_tests\.end: \(2020-01-01\) is before start"):
        LiftTest(channel="TV", start="2020-02-01", end="2020-01-01", delta_x=1, delta_y=1, sigma=1)
    with pytest.raises(SpecError, match=r"holidays: unknown country code 'ZZ'"):
        HolidaysSpec(country="ZZ")


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="model spec file not found"):
        ModelSpec.load(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("adstock: [unclosed\n", encoding="utf-8")
    with pytest.raises(SpecError, match="not valid YAML"):
        ModelSpec.load(bad)
    bad.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(SpecError, match="must be a mapping of settings"):
        ModelSpec.load(bad)
