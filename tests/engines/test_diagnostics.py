"""The convergence verdict: what a rerun with more draws can fix, named in words."""

from __future__ import annotations

from mixwise.engines.diagnostics import _verdict, mixing_shortfall


def test_mixing_shortfall_names_what_missed() -> None:
    good = _verdict(1.004, 900.0, 700.0, 3, 0.9, 4)
    assert mixing_shortfall(good, 4) is None  # divergences are not what more draws fix
    rhat_only = mixing_shortfall(_verdict(1.012, 900.0, 700.0, 0, 0.9, 4), 4)
    assert rhat_only == "chains disagree (R-hat 1.012 > 1.01)"
    short = mixing_shortfall(_verdict(1.02, 390.0, 700.0, 0, 0.9, 4), 4)
    assert short == (
        "chains disagree (R-hat 1.020 > 1.01) and too few effective draws (ESS 390 < 400)"
    )
    assert mixing_shortfall(_verdict(1.5, 900.0, 150.0, 0, 0.9, 1), 1) is None  # one chain
