"""Every attribution model by name, their point credits and bootstrap intervals.

Intervals resample journeys: each journey is drawn Poisson(1) times (the Poisson bootstrap,
equivalent to resampling journeys with replacement for large data), so a unique path with ``c``
converting and ``u`` non-converting journeys gets ``Poisson(c)`` and ``Poisson(u)`` (seeded).
Every model is refitted on each replicate; ``lo``/``hi`` are equal-tailed percentiles.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from mixwise.attribution import heuristics
from mixwise.attribution.markov import MAX_ORDER, Chain, build_chain, markov_credit
from mixwise.attribution.paths import Paths, Target
from mixwise.attribution.shapley import EXACT_MAX, ShapleyResult, shapley_credit
from mixwise.errors import MixwiseError

HEURISTICS = ("first_touch", "last_touch", "linear", "time_decay", "position")
MARKOV = tuple(f"markov_{k}" for k in range(1, MAX_ORDER + 1))
MODELS = (*HEURISTICS, *MARKOV, "shapley")
LABELS = {
    "first_touch": "First touch",
    "last_touch": "Last touch",
    "linear": "Linear",
    "time_decay": "Time decay",
    "position": "Position-based",
    "shapley": "Shapley",
} | {f"markov_{k}": f"Markov (order {k})" for k in range(1, MAX_ORDER + 1)}


@dataclass(frozen=True)
class Settings:
    """Model options: time-decay half-life, position-based first/last shares, what is
    attributed, Shapley permutations (above 12 channels), bootstrap replicates and interval."""

    half_life: float = 7.0
    first_share: float = 0.4
    last_share: float = 0.4
    target: Target = "conversions"
    permutations: int = 200
    replicates: int = 100
    interval: float = 0.9
    seed: int = 0


@dataclass
class ModelCredits:
    """Per model: point credit, bootstrap replicates ``(B, channels)``, and notes."""

    channels: tuple[str, ...]
    point: dict[str, np.ndarray] = field(default_factory=dict)
    replicates: dict[str, np.ndarray] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def bounds(self, model: str, interval: float) -> tuple[np.ndarray, np.ndarray]:
        return equal_tailed(self.replicates[model], interval)


def equal_tailed(draws: np.ndarray, interval: float) -> tuple[np.ndarray, np.ndarray]:
    """Per column, the equal-tailed ``interval`` of the replicates ``(B, channels)`` (NaN
    replicates, such as shares of a replicate without credit, left out)."""
    q = (1 - interval) / 2
    return np.nanquantile(draws, q, axis=0), np.nanquantile(draws, 1 - q, axis=0)


def check_models(models: Sequence[str], settings: Settings) -> list[str]:
    if not models:
        raise MixwiseError("no attribution model chosen", f"Choose from: {', '.join(MODELS)}.")
    unknown = [m for m in models if m not in MODELS]
    if unknown:
        raise MixwiseError(
            f"unknown attribution model(s): {', '.join(unknown)}",
            f"Choose from: {', '.join(MODELS)}.",
        )
    if settings.half_life <= 0:
        raise MixwiseError("the time-decay half-life must be positive", "e.g. --half-life 7")
    if min(settings.first_share, settings.last_share) < 0 or (
        settings.first_share + settings.last_share > 1
    ):
        raise MixwiseError(
            "position-based shares must be >= 0 and add up to at most 1",
            "e.g. --position 0.4 0.4 (40% first, 40% last, 20% the middle)",
        )
    return list(dict.fromkeys(models))


def _model_fn(
    name: str, s: Settings, chains: dict[int, Chain], paths: Paths
) -> Callable[[Paths, np.ndarray], np.ndarray]:
    weights: dict[str, Callable[[Paths], np.ndarray]] = {
        "first_touch": heuristics.first_touch,
        "last_touch": heuristics.last_touch,
        "linear": heuristics.linear,
        "time_decay": lambda p: heuristics.time_decay(p, s.half_life),
        "position": lambda p: heuristics.position_based(p, s.first_share, s.last_share),
    }
    if name in weights:
        # the weights depend on the paths only, not on their counts: computed once
        per_path = heuristics.per_path_weights(paths, weights[name](paths))
        return lambda p, y: y @ per_path
    if name in MARKOV:
        order = int(name.split("_")[1])
        chain = chains.setdefault(order, build_chain(paths, order))
        return lambda p, y: markov_credit(p, y, order, chain)
    return lambda p, y: shapley_credit(p, y, s.permutations, s.seed).credit


def attribute(paths: Paths, models: Sequence[str], s: Settings) -> ModelCredits:
    """Point credits and ``s.replicates`` bootstrap replicates of every model in ``models``."""
    models = check_models(models, s)
    out = ModelCredits(paths.channels)
    chains: dict[int, Chain] = {}
    fns = {m: _model_fn(m, s, chains, paths) for m in models}
    y = paths.target(s.target)
    for m, fn in fns.items():
        out.point[m] = fn(paths, y)
    rng = np.random.default_rng(s.seed)
    draws = {m: np.empty((s.replicates, len(paths.channels))) for m in models}
    for b in range(s.replicates):
        rep = paths.reweighted(
            rng.poisson(paths.converters).astype(float), rng.poisson(paths.nulls).astype(float)
        )
        y_rep = rep.target(s.target)
        for m, fn in fns.items():
            draws[m][b] = fn(rep, y_rep)
    out.replicates = draws
    if "shapley" in models and len(paths.channels) > EXACT_MAX:
        res: ShapleyResult = shapley_credit(paths, y, s.permutations, s.seed)
        if not res.exact:
            worst = float(np.max(res.std_error / np.maximum(np.abs(res.credit), 1e-12)))
            out.notes.append(
                f"Shapley values are sampled ({res.permutations} channel orders, "
                f"{len(paths.channels)} channels > 12): Monte Carlo standard error up to "
                f"{worst:.1%} of a channel's credit (inside the bootstrap interval)."
            )
    return out
