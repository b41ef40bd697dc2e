"""Keeping a seeded subset of a sampler's draws (every engine that samples: bayesian, meridian)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr


@dataclass(frozen=True)
class Thinned:
    """Kept draws (dim ``draw``) and where they came from (``chain``, ``chain_draw``)."""

    posterior: xr.Dataset
    chain: np.ndarray
    chain_draw: np.ndarray


def thin(posterior: xr.Dataset, max_draws: int, seed: int) -> Thinned:
    """At most ``max_draws`` draws, chosen uniformly without replacement (seeded), in order."""
    n_chain, n_draw = int(posterior.sizes["chain"]), int(posterior.sizes["draw"])
    total = n_chain * n_draw
    if total > max_draws:
        flat = np.sort(np.random.default_rng(seed).choice(total, size=max_draws, replace=False))
    else:
        flat = np.arange(total)
    chain, draw = np.divmod(flat, n_draw)
    sel = posterior.isel(chain=xr.DataArray(chain, dims="s"), draw=xr.DataArray(draw, dims="s"))
    sel = sel.drop_vars(["chain", "draw"], errors="ignore").rename(s="draw")
    return Thinned(sel.assign_coords(draw=np.arange(len(flat))), chain, draw)
