"""The ROAS parametrisation in the spec: ``parametrisation``, ``roas_prior`` and a channel's
``roas_prior``; a non-positive scale is refused naming the field."""

from __future__ import annotations

import pytest

from mixwise.engines.base import engine_capabilities
from mixwise.errors import SpecError
from mixwise.model.spec import ModelSpec


def test_defaults_and_overrides() -> None:
    spec = ModelSpec()
    assert spec.parametrisation == "coefficient"
    assert (spec.roas_prior.median, spec.roas_prior.sd) == (1.22, 0.9)  # Meridian's default
    spec = ModelSpec.model_validate(
        {
            "parametrisation": "roas",
            "roas_prior": {"median": 2.0, "sd": 0.5},
            "channels": {"Print": {"roas_prior": {"median": 0.5}}},
        }
    )
    assert spec.roas_prior.median == 2.0 and spec.channels["Print"].roas_prior is not None
    assert spec.channels["Print"].roas_prior.sd == 0.9  # unset fields keep the default
    again = ModelSpec.model_validate(spec.to_dict(full=True))  # the YAML round trip keeps it
    assert again.parametrisation == "roas" and again.channels["Print"].roas_prior.median == 0.5


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"roas_prior": {"sd": 0}}, r"roas_prior\.sd: Input should be greater than 0 \(got 0\)"),
        ({"roas_prior": {"median": -1}}, r"roas_prior\.median: Input should be greater than 0"),
        (
            {"channels": {"TV": {"roas_prior": {"median": 1, "sd": -0.5}}}},
            r"channels\.TV\.roas_prior\.sd: Input should be greater than 0 \(got -0\.5\)",
        ),
        ({"parametrisation": "beta"}, r"parametrisation: Input should be 'coefficient' or 'roas'"),
    ],
)
def test_bad_values_name_the_field(data: dict, field: str) -> None:
    with pytest.raises(SpecError, match=field):
        ModelSpec.model_validate(data)


def test_ridge_refuses_the_roas_parametrisation() -> None:
    caps = engine_capabilities("ridge")
    with pytest.raises(SpecError, match="parametrisation: the ridge engine does not support it"):
        caps.check("ridge", ModelSpec(parametrisation="roas"))
    with pytest.raises(SpecError, match="channels: the ridge engine"):
        caps.check("ridge", ModelSpec(channels={"TV": {"roas_prior": {"median": 2}}}))
    caps.check("ridge", ModelSpec())  # the default is fine
