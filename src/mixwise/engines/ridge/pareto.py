"""Model selection as Robyn does it: Pareto fronts, then k-means clusters of per-channel ROAS.

1. :func:`pareto_fronts` (Robyn's ``pareto_front``): sort by (NRMSE, DECOMP.RSSD); front 1 is
   every point whose DECOMP.RSSD sets a new running minimum (no other point is better on both);
   remove it and repeat for fronts 2, 3, ... Identical points share a front.
2. :func:`calibration_filter`: with lift tests, Robyn keeps only candidates with MAPE.LIFT in
   the lowest 10% (``calibration_constraint``) and NRMSE and DECOMP.RSSD below their 90%
   quantiles before the fronts are computed.
3. :func:`error_score`: ``sqrt(sum_i (w_i * minmax(objective_i))^2)``, weights summing to 1.
4. :func:`cluster_models`: k-means (scikit-learn, seeded) on the front models' ROAS per paid
   channel; ``k = "auto"`` is Robyn's rule: the largest k whose normalised WSS
   (``WSS_k / WSS_1``, k = 1 .. 30, 3 starts each) drops by more than 0.06 from ``k - 1``,
   kept within 3 .. 10. The best model of each cluster has the lowest error score.
5. :func:`cluster_intervals`: Robyn's ROAS intervals per cluster (bootstrap of its models).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from sklearn.cluster import KMeans

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def pareto_fronts(x: npt.ArrayLike, y: npt.ArrayLike, max_fronts: int = 3) -> IntArray:
    """Front number (1 = best) of each point, 0 for points beyond ``max_fronts``; both minimised."""
    xa, ya = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    front = np.zeros(xa.shape, dtype=np.int64)
    remaining = np.flatnonzero(~(np.isnan(xa) | np.isnan(ya)))
    for f in range(1, max_fronts + 1):
        if remaining.size == 0:
            break
        order = remaining[np.lexsort((ya[remaining], xa[remaining]))]
        xs, ys = xa[order], ya[order]
        running = np.minimum.accumulate(ys)
        new_min = np.r_[True, running[1:] < running[:-1]]
        same = np.r_[False, (xs[1:] == xs[:-1]) & (ys[1:] == ys[:-1])]
        group = np.cumsum(~same)  # identical points share a group
        on = np.isin(group, group[new_min])
        front[order[on]] = f
        remaining = order[~on]
    return front


def calibration_filter(
    nrmse: FloatArray, rssd: FloatArray, mape: FloatArray, constraint: float = 0.1
) -> npt.NDArray[np.bool_]:
    """Robyn's ``mape.qt10``: MAPE.LIFT <= its ``constraint`` quantile, NRMSE and DECOMP.RSSD
    <= their 90% quantiles."""
    finite = np.isfinite(rssd)
    return (
        (mape <= np.quantile(mape, constraint))
        & (nrmse <= np.quantile(nrmse, 0.9))
        & (rssd <= np.quantile(rssd[finite], 0.9) if finite.any() else False)
    )


def _minmax(v: FloatArray) -> FloatArray:
    finite = np.isfinite(v)
    if not finite.any():
        return np.zeros_like(v)
    w = np.where(finite, v, v[finite].max())
    span = w.max() - w.min()
    return (w - w.min()) / span if span > 0 else np.zeros_like(w)


def error_score(objectives: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> FloatArray:
    """Robyn's ``errors_scores``: objectives ``(N, n_obj)`` min-max scaled (``inf`` -> the
    largest finite value), weighted (weights / their sum), Euclidean distance to 0."""
    obj = np.asarray(objectives, dtype=np.float64)
    w = np.ones(obj.shape[1]) if weights is None else np.asarray(weights, dtype=np.float64)
    w = w / w.sum()
    scaled = np.column_stack([_minmax(obj[:, i]) for i in range(obj.shape[1])])
    return np.sqrt(np.sum((scaled * w) ** 2, axis=1))


@dataclass(frozen=True)
class Clusters:
    """``labels (N,)`` of the clustered models, ``best`` the index (into them) of each cluster's
    best model, ``k`` the number of clusters."""

    labels: IntArray
    best: IntArray
    k: int


def _kmeans(data: FloatArray, k: int, seed: int, n_init: int = 10) -> KMeans:
    return KMeans(n_clusters=k, n_init=n_init, random_state=seed).fit(data)


def auto_k(wss: FloatArray, min_k: int = 3, max_k: int = 10, drop: float = 0.06) -> int:
    """Robyn's rule on ``wss[i] = WSS(k = i + 1)``: the largest k whose ``WSS_k / WSS_1`` is more
    than ``drop`` below that of ``k - 1``, clipped to ``min_k .. max_k``."""
    norm = wss / wss[0] if wss[0] > 0 else np.zeros_like(wss)
    gains = norm[:-1] - norm[1:]
    ks = np.flatnonzero(gains > drop) + 2
    k = int(ks.max()) if ks.size else min_k
    return int(min(max(k, min_k), max_k))


def cluster_models(
    roas: npt.ArrayLike,
    scores: npt.ArrayLike,
    k: int | Literal["auto"] = "auto",
    seed: int = 0,
    max_k: int = 10,
) -> Clusters:
    """k-means of ``roas (N, paid)`` (the front models); best per cluster = lowest ``scores``."""
    data = np.asarray(roas, dtype=np.float64)
    sc = np.asarray(scores, dtype=np.float64)
    n = data.shape[0]
    if k == "auto":
        limit = max(1, min(n - 1, 30))
        wss = np.array([_kmeans(data, j, seed, n_init=3).inertia_ for j in range(1, limit + 1)])
        chosen = auto_k(wss, max_k=max_k)
    else:
        chosen = int(k)
    chosen = max(1, min(chosen, n))
    labels = _kmeans(data, chosen, seed).labels_.astype(np.int64)
    best = np.array(
        [np.flatnonzero(labels == c)[np.argmin(sc[labels == c])] for c in range(chosen)],
        dtype=np.int64,
    )
    return Clusters(labels=labels, best=best, k=chosen)


@dataclass(frozen=True)
class Selection:
    """``front (N,)`` of every candidate (0: beyond the kept fronts), ``models`` the indices of
    the kept front models, ``score (N,)`` every candidate's error score, ``clusters`` of the kept
    models; :attr:`best` the candidate index of each cluster's best model, best first."""

    front: IntArray
    models: IntArray
    score: FloatArray
    clusters: Clusters

    @property
    def best(self) -> IntArray:
        picks = self.models[self.clusters.best]
        return picks[np.argsort(self.score[picks], kind="stable")]


def select_models(
    nrmse: FloatArray,
    rssd: FloatArray,
    roas: FloatArray,
    mape: FloatArray | None = None,
    fronts: int | Literal["auto"] = 3,
    min_candidates: int = 100,
    k: int | Literal["auto"] = "auto",
    weights: npt.ArrayLike | None = None,
    seed: int = 0,
) -> Selection:
    """Fronts 1..``fronts`` (``"auto"``: as many as hold ``min_candidates`` models), error
    scores, then clusters of the front models' ``roas (N, paid)``."""
    keep = np.ones(nrmse.shape, dtype=bool)
    objectives = [nrmse, rssd]
    if mape is not None:
        keep = calibration_filter(nrmse, rssd, mape)
        objectives.append(mape)
    score = error_score(np.column_stack(objectives), weights)
    x, y = np.where(keep, nrmse, np.nan), np.where(keep, rssd, np.nan)
    front = pareto_fronts(x, y, max_fronts=len(x) if fronts == "auto" else fronts)
    if fronts == "auto":
        counts = np.cumsum(np.bincount(front, minlength=2)[1:])
        last = int(np.searchsorted(counts, min(min_candidates, counts[-1]))) + 1
        front = np.where(front <= last, front, 0)
    models = np.flatnonzero(front > 0)
    clusters = cluster_models(roas[models], score[models], k=k, seed=seed)
    return Selection(front=front, models=models, score=score, clusters=clusters)


@dataclass(frozen=True)
class ClusterIntervals:
    """Per cluster and paid channel ``(k, paid)``: model count ``n``, bootstrap mean and standard
    error of the mean ROAS, and Robyn's interval ``[ci_low, ci_up]``."""

    n: IntArray
    boot_mean: FloatArray
    boot_se: FloatArray
    ci_low: FloatArray
    ci_up: FloatArray


def cluster_intervals(
    roas: npt.ArrayLike, labels: npt.ArrayLike, boot_n: int = 1000, seed: int = 1
) -> ClusterIntervals:
    """Robyn's ``confidence_calcs``: per cluster, ``boot_n`` resamples (with replacement) of its
    models' ROAS give the bootstrap means; ``se = sd(boot means)`` and the interval is
    ``mean +- t_{0.975, n-1} * se * sqrt(n)``, floored at 0 (NaN for clusters under 3 models)."""
    from scipy.stats import t as student_t

    data = np.asarray(roas, dtype=np.float64)
    lab = np.asarray(labels)
    k, paid = int(lab.max()) + 1, data.shape[1]
    rng = np.random.default_rng(seed)
    n = np.bincount(lab, minlength=k).astype(np.int64)
    mean = np.full((k, paid), np.nan)
    se = np.full((k, paid), np.nan)
    low = np.full((k, paid), np.nan)
    up = np.full((k, paid), np.nan)
    for c in range(k):
        if n[c] < 3:
            continue
        samp = data[lab == c]
        picks = rng.integers(0, n[c], size=(boot_n, n[c]))
        boot = samp[picks].mean(axis=1)  # (boot_n, paid)
        mean[c], se[c] = boot.mean(axis=0), boot.std(axis=0, ddof=1)
        half = student_t.ppf(0.975, n[c] - 1) * se[c] * np.sqrt(n[c])
        centre = samp.mean(axis=0)
        low[c], up[c] = np.maximum(centre - half, 0.0), centre + half
    return ClusterIntervals(
        n=np.repeat(n[:, None], paid, axis=1), boot_mean=mean, boot_se=se, ci_low=low, ci_up=up
    )
