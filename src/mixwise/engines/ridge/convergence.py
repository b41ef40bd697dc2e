"""Did the hyperparameter search converge? Robyn's rule (``robyn_converge``), in plain words.

The candidates of all trials are cut into ``cuts`` equal parts by their iteration within the
trial. For each objective, with ``median_k`` and ``sd_k`` the median and standard deviation of
part ``k``::

    sd_ref    = mean(sd_1 .. sd_q)                       (q = sd_qtref, the first parts)
    bound     = |median_1 - med_lowb * sd_ref|
    converged = sd_last < sd_ref  and  |median_last| < bound

that is, the last part is tighter than the first ones and its median has come down by at least
``med_lowb`` of their standard deviations. Defaults are Robyn's (20 cuts, q = 3, med_lowb = 2).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ObjectiveConvergence:
    """One objective's verdict and the numbers behind it."""

    objective: str
    converged: bool
    sd_last: float
    sd_ref: float
    median_last: float
    median_bound: float

    @property
    def message(self) -> str:
        numbers = (
            f"spread {self.sd_last:.3g} in the last iterations vs {self.sd_ref:.3g} in the first, "
            f"median {self.median_last:.3g} vs {self.median_bound:.3g}"
        )
        if self.converged:
            return f"{self.objective} converged ({numbers})"
        return f"{self.objective} did not converge ({numbers}): run more iterations"

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "message": self.message}


def objective_convergence(
    name: str,
    iteration: npt.ArrayLike,
    values: npt.ArrayLike,
    cuts: int = 20,
    sd_qtref: int = 3,
    med_lowb: float = 2.0,
) -> ObjectiveConvergence:
    """Robyn's convergence rule (module docstring) for one objective's ``values``."""
    it = np.asarray(iteration, dtype=np.float64)
    v = np.asarray(values, dtype=np.float64)
    keep = np.isfinite(v)
    it, v = it[keep], v[keep]
    edges = np.linspace(it.min(), it.max() + 1, cuts + 1)
    part = np.clip(np.searchsorted(edges, it, side="right") - 1, 0, cuts - 1)
    medians, sds = [], []
    for k in range(cuts):
        x = v[part == k]
        if x.size >= 2:
            medians.append(float(np.median(x)))
            sds.append(float(np.std(x, ddof=1)))
    if len(medians) < sd_qtref + 1:
        raise ValueError(f"too few iterations to judge convergence ({len(medians)} parts)")
    sd_ref = float(np.mean(sds[:sd_qtref]))
    bound = abs(medians[0] - med_lowb * sd_ref)
    return ObjectiveConvergence(
        objective=name,
        converged=bool(sds[-1] < sd_ref and abs(medians[-1]) < bound),
        sd_last=sds[-1],
        sd_ref=sd_ref,
        median_last=medians[-1],
        median_bound=bound,
    )


def search_convergence(
    iteration: npt.ArrayLike, objectives: dict[str, FloatArray]
) -> list[ObjectiveConvergence]:
    """The verdict of every objective that was optimised (all-zero or missing ones left out,
    e.g. MAPE.LIFT without lift tests); none when the search was too short to judge."""
    out = []
    for name, values in objectives.items():
        v = np.asarray(values, dtype=np.float64)
        if not np.any(np.isfinite(v) & (v != 0)):
            continue
        try:
            out.append(objective_convergence(name, iteration, v))
        except ValueError:
            return []
    return out
