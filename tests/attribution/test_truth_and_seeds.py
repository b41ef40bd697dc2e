"""Against the synthetic generator's truth: each model's bias, sequences, seeds."""

from __future__ import annotations

import numpy as np
import pytest

from mixwise.attribution.load import Journeys
from mixwise.attribution.models import MODELS, Settings, attribute
from mixwise.attribution.sequences import sequences, wilson
from mixwise.attribution.synthetic import SyntheticJourneys, generate_journeys


def _shares(j: Journeys, credit: np.ndarray) -> dict[str, float]:
    return dict(zip(j.paths.channels, credit / credit.sum(), strict=True))


def test_models_against_truth(synthetic: SyntheticJourneys, synthetic_journeys: Journeys) -> None:
    truth = dict(zip(synthetic.truth["channel"], synthetic.truth["share"], strict=True))
    assert truth["display"] == 0.0  # everywhere, late, causes nothing
    mc = attribute(synthetic_journeys.paths, MODELS, Settings(replicates=20, seed=1))
    share = {m: _shares(synthetic_journeys, c) for m, c in mc.point.items()}
    # last touch hands the late, useless channel most of the credit
    assert share["last_touch"]["display"] > 0.5
    # Shapley (which uses non-converting journeys) is the least fooled, within 0.1 of the truth
    assert share["shapley"]["display"] < 0.12
    assert abs(share["shapley"]["search"] - truth["search"]) < 0.1
    errors = {m: sum(abs(s[c] - truth[c]) for c in truth) for m, s in share.items()}
    assert min(errors, key=errors.__getitem__) == "shapley"
    for m in MODELS:  # intervals bracket the point credit
        lo, hi = mc.bounds(m, 0.9)
        assert np.all(lo <= mc.point[m] + 1e-9) and np.all(mc.point[m] <= hi + 1e-9)
        assert mc.point[m].sum() == pytest.approx(synthetic_journeys.paths.conversions.sum())


def test_sequences_find_the_channel_that_works_only_after_another(
    synthetic_journeys: Journeys,
) -> None:
    seq = sequences(synthetic_journeys.paths, min_support=200)
    top = seq.iloc[0]
    assert (top["first"], top["then"]) == ("social", "email")
    assert top["lo"] > 0 and top["lift"] > 2
    assert ((seq["lo"] > 0) | (seq["hi"] < 0)).all()
    assert (seq["journeys_first_then"] >= 200).all() and (seq["journeys_then_only"] >= 200).all()


def test_wilson_interval_known_value() -> None:
    lo, hi = wilson(np.array([5.0]), np.array([10.0]), 1.959964)
    assert lo[0] == pytest.approx(0.2366, abs=1e-4) and hi[0] == pytest.approx(0.7634, abs=1e-4)


def test_same_seed_same_result() -> None:
    a, b = generate_journeys(2000, seed=3), generate_journeys(2000, seed=3)
    assert a.events.equals(b.events)
    assert not a.events.equals(generate_journeys(2000, seed=4).events)
    from mixwise.attribution.load import read_journeys

    p = read_journeys(a.events).paths
    s = Settings(replicates=15, seed=9)
    r1, r2 = (
        attribute(p, ["linear", "markov_2", "shapley"], s),
        attribute(p, ["linear", "markov_2", "shapley"], s),
    )
    other = attribute(p, ["linear", "markov_2", "shapley"], Settings(replicates=15, seed=10))
    for m in r1.point:
        assert np.array_equal(r1.replicates[m], r2.replicates[m])
        # another seed draws other replicates; the point credits do not depend on the seed
        assert not np.array_equal(r1.replicates[m], other.replicates[m])
        assert np.array_equal(r1.point[m], other.point[m])


def test_the_truth_accounts_for_the_generated_conversions(synthetic: SyntheticJourneys) -> None:
    # expected conversions = base rate x touched journeys + every channel's incremental ones
    expected = synthetic.base + synthetic.truth["incremental"].sum()
    observed = synthetic.events["conversion"].sum()
    assert abs(observed - expected) < 4 * np.sqrt(expected)  # Poisson-binomial noise
    assert synthetic.base == pytest.approx(0.01 * synthetic.events["journey_id"].nunique())
