"""Credit by campaign or creative within channel (``--by campaign|creative``).

The journeys are grouped again with each touch's *unit* (its channel and its campaign or
creative) in place of its channel, and the models run on those units unchanged: a rule-based
model gives each touch's weight to its unit, so the units of a channel add up to the channel's
credit exactly; a Markov chain's states become units, so its removal effect is that of one
campaign (removing all of a channel's campaigns is not the channel's removal effect, so unit
credits of a channel need not add up to its channel credit). Shapley values over every unit
coalition are left out (2^units coalitions).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mixwise.attribution.events import UNIT_SEP
from mixwise.attribution.models import HEURISTICS, MARKOV, ModelCredits

BY_MODELS = (*HEURISTICS, *MARKOV)
"""The models that credit units."""
UNIT_COLUMNS = ["channel", "unit", "model", "credit", "share", "channel_share", "lo", "hi"]


def split_unit(unit: str) -> tuple[str, str]:
    """(channel, campaign or creative) of a unit name."""
    channel, _, label = unit.partition(UNIT_SEP)
    return channel, label


def unit_models(models: list[str]) -> tuple[list[str], list[str]]:
    """(the chosen models that credit units, those that do not)."""
    return [m for m in models if m in BY_MODELS], [m for m in models if m not in BY_MODELS]


def unit_credits_table(mc: ModelCredits, interval: float) -> pd.DataFrame:
    """One row per unit and model: ``credit`` with its bootstrap interval (``lo``, ``hi``),
    ``share`` of all credit and ``channel_share``, its share of its channel's units' credit
    (``unit``: the campaign or creative)."""
    pairs = [split_unit(u) for u in mc.channels]
    channel = np.array([c for c, _ in pairs], dtype=object)
    frames = []
    for model, point in mc.point.items():
        lo, hi = mc.bounds(model, interval)
        per_channel = pd.Series(point).groupby(channel).transform("sum").to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            channel_share = np.where(per_channel > 0, point / per_channel, np.nan)
        total = point.sum()
        frames.append(
            pd.DataFrame(
                {
                    "channel": channel,
                    "unit": [u for _, u in pairs],
                    "model": model,
                    "credit": point,
                    "share": point / total if total > 0 else np.nan,
                    "channel_share": channel_share,
                    "lo": lo,
                    "hi": hi,
                },
                columns=UNIT_COLUMNS,
            )
        )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=UNIT_COLUMNS)
