"""ROAS parametrisation (``parametrisation: roas``): the prior sits on each channel's ROAS, as
Meridian's ROI priors do, and the saturation coefficient follows from it.

With ``f`` the saturation curve at coefficient 1 (its shape parameters, e.g. ``lam``, keep
their priors), ``x_c(t)`` the adstocked scaled spend, ``s`` the target scale and ``S_c`` the
channel's total spend over the training periods::

    roas_c ~ LogNormal(log median_c, sd_c)
    beta_c = roas_c * S_c / (s * sum_{t <= n_train} f(x_c(t)))

so that ``s * sum_t beta_c f(x_c(t)) / S_c = roas_c`` exactly over the training window: the
channel's historical ROAS *is* the sampled variable. ``beta_c`` (``saturation_<coefficient>``)
stays a deterministic with the name every later step reads (contributions, FitResult, lift
tests, ROAS calibration). The training-window sum is taken over the first ``n_train`` periods,
so the holdout evaluation model (built on every period) gives the same ``beta``.

Only kinds whose curve is linear in its coefficient can be parametrised this way (logistic,
Hill, Michaelis-Menten); tanh's ceiling ``b`` also shapes the curve. National models only.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pymc as pm
import pymc.dims as pmd
from pymc_extras.prior import Prior

from mixwise.errors import SpecError
from mixwise.model.catalogue import COEFFICIENT
from mixwise.model.spec import ModelSpec

ROAS = "roas"
"""The sampled ROAS variable (``channel``)."""
SPEND_TOTAL = "roas_spend_total"
"""Per channel training spend (data variable)."""
KINDS = ("logistic", "hill", "michaelis_menten")
"""Saturation kinds linear in their coefficient."""


def check_roas(spec: ModelSpec, geo: bool) -> None:
    """Refuse what the ROAS parametrisation cannot fit, naming the field."""
    if spec.parametrisation != "roas":
        return
    if geo:
        raise SpecError(
            "parametrisation: roas is not supported for geo models yet",
            "Use parametrisation: coefficient (the hierarchical coefficient prior) for geo data.",
        )
    if spec.saturation.kind not in KINDS:
        raise SpecError(
            f"parametrisation: roas needs a saturation linear in its coefficient "
            f"({', '.join(KINDS)}), not {spec.saturation.kind}",
            "Pick another saturation.kind or parametrisation: coefficient.",
        )


def roas_prior(spec: ModelSpec, channels: list[str]) -> Prior:
    """``LogNormal(log median_c, sd_c)`` per channel: ``channels.<c>.roas_prior`` where given,
    else ``roas_prior``."""
    medians, sds = [], []
    for ch in channels:
        own = spec.channels[ch].roas_prior if ch in spec.channels else None
        p = own or spec.roas_prior
        medians.append(np.log(p.median))
        sds.append(p.sd)
    return Prior("LogNormal", mu=np.array(medians), sigma=np.array(sds), dims="channel")


def roas_saturation(
    kind: str, base: type, spend_total: np.ndarray, n_train: int, prior: Prior, **kw: Any
) -> Any:
    """An instance of ``base`` (the PyMC-Marketing class of saturation ``kind``) whose
    coefficient follows from a ROAS prior (module docstring); ``spend_total``: per channel
    training spend, in the data's currency."""
    coef = COEFFICIENT[kind]

    class RoasSaturation(base):
        lookup_name = f"mixwise_roas_{kind}"

        def apply(self, x: Any, *, core_dim: str | None = None, idx: Any = None) -> Any:
            shape = {
                k: p.create_variable(self.variable_mapping[k], xdist=True)
                for k, p in self.function_priors.items()
                if k != coef
            }
            unit = self.function(x, dim=core_dim, **shape, **{coef: 1.0})
            window = unit.isel(date=slice(0, n_train)).sum("date")
            roas = prior.create_variable(ROAS, xdist=True)
            # data, not a constant: a refit on new data of the same shape reuses the compiled
            # model (.structure keys data by shape)
            total = pmd.Data(SPEND_TOTAL, np.asarray(spend_total, dtype=float), dims=("channel",))
            scale = pm.modelcontext(None)["target_scale"]
            beta = pmd.Deterministic(self.variable_mapping[coef], roas * total / (scale * window))
            return unit * beta

    return RoasSaturation(**kw)
