"""The ridge engine end to end on Robyn's demo (small search)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mixwise.data.dataset import MMMDataset
from mixwise.engines.ridge.run import run_ridge
from mixwise.engines.ridge.search import SearchSettings


def test_run_ridge_end_to_end(robyn_dataset: MMMDataset, robyn_holidays: pd.DataFrame) -> None:
    seen: list[tuple[str, float]] = []
    run = run_ridge(
        robyn_dataset,
        robyn_holidays,
        window=("2016-01-04", "2018-12-31"),
        settings=SearchSettings(iterations=300, trials=2, batch_size=20, seed=3),
        n_draws=50,
        progress=lambda stage, fraction, message="": seen.append((stage, fraction)),
    )
    c, sel = run.candidates, run.selection
    assert len(c.nrmse) == 600
    assert run.chosen in sel.models and sel.front[run.chosen] >= 1
    assert run.arrays.contributions.shape == (50, 157, 5)
    assert run.arrays.params.sizes == {"draw": 50, "channel": 5}
    # every draw uses the chosen model's hyperparameters
    np.testing.assert_array_equal(run.draws.hyper, np.repeat(c.hyper[[run.chosen]], 50, axis=0))
    k = sel.clusters.k
    assert run.intervals.ci_low.shape == (k, 5)
    cl = sel.clusters.labels[np.flatnonzero(sel.models == run.chosen)[0]]
    # the chosen model's cluster has an interval (3+ models: 12 with this seed) holding its ROAS
    assert run.intervals.n[cl, 0] >= 3
    chosen_roas = c.roas(run.problem.spend)[run.chosen]
    assert (run.intervals.ci_low[cl] <= chosen_roas).all()
    assert (chosen_roas <= run.intervals.ci_up[cl]).all()
    fractions = [f for _, f in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert {s for s, _ in seen} == {"build", "search", "pareto", "bootstrap"}
