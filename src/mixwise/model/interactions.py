"""Channel synergy: an opt-in interaction term between pairs of channels, declared once.

For a pair ``(A, B)`` named in the spec (``interactions: [[TV, Social Media]]``) the model adds::

    synergy_AB(t) = kpi_scale * gamma_AB * s_A(t) * s_B(t)
    s_c(t) = saturation_c(adstock_c(spend_c(t) / spend_scale_c))      (the unit curve, no beta)
    gamma_AB ~ Normal(0, INTERACTION_SIGMA)                            (target-scaled units)

``s_c`` is the channel's saturated, adstocked input in FitResult's parametrisation
(``contribution_c = kpi_scale * beta_c * s_c``), so the term is reproduced from a result's
``params`` alone (:func:`mixwise.model.forward.forward_interactions`). The prior is centred on
zero: a synergy (``gamma > 0``) or a cannibalisation (``gamma < 0``) must be earned from the data.
In geo models ``gamma`` is one value per pair, shared by every geo.

FitResult keeps ``params["interaction_gamma"] (draw, interaction)`` with coords ``interaction``
(the label ``"A + B"``), ``interaction_a`` and ``interaction_b``, and the term over time in
``FitResult.interactions (draw, time[, geo], interaction)``.
"""

from __future__ import annotations

from collections.abc import Sequence

from mixwise.model.spec_base import SpecFieldError

INTERACTION_SIGMA = 0.5
"""Standard deviation of ``gamma``'s Normal prior on the max-abs scaled KPI: a pair whose unit
curves both sit at 0.5 can move the scaled KPI by about +-0.125 a period at one sd."""

GAMMA = "interaction_gamma"
"""The per-draw coefficient of each pair in ``FitResult.params``."""

DIM = "interaction"
"""The dimension of pairs, labelled :func:`label`."""


def label(a: str, b: str) -> str:
    """``"A + B"``: how a pair is named in summaries, reports and the API."""
    return f"{a} + {b}"


def check_pairs(pairs: Sequence[Sequence[str]]) -> list[tuple[str, str]]:
    """The pairs as tuples; ``ValueError("@i: ...")`` for a pair that is not two distinct
    channel names or that repeats an earlier pair (in either order)."""
    out: list[tuple[str, str]] = []
    seen: dict[frozenset[str], int] = {}
    for i, pair in enumerate(pairs):
        names = list(pair)
        if len(names) != 2 or not all(isinstance(n, str) and n for n in names):
            raise ValueError(f"@{i}: a pair of two channel names, e.g. [TV, Social Media]")
        a, b = names
        if a == b:
            raise ValueError(f"@{i}: a channel cannot interact with itself ({a!r})")
        key = frozenset(names)
        if key in seen:
            raise ValueError(f"@{i}: the pair {a} + {b} is already interactions.{seen[key]}")
        seen[key] = i
        out.append((a, b))
    return out


def check_channels(pairs: Sequence[tuple[str, str]], channels: Sequence[str]) -> None:
    """Raise :class:`SpecFieldError` naming ``interactions.<i>`` when a pair names a channel the
    data do not have."""
    for i, pair in enumerate(pairs):
        for name in pair:
            if name not in channels:
                field = f"interactions.{i}"
                raise SpecFieldError(
                    f"{field}: no channel {name!r} in the dataset "
                    f"(channels: {', '.join(channels)})",
                    [field],
                    "Name two channels of the mapping in each interaction pair.",
                )
