"""A placebo channel for the model reviewer: a real channel's spend shuffled in time.

The shuffled spend keeps the source channel's values (level, spread, zeros) but breaks any
relation to the KPI, so a sound model should give it no effect (the reviewer's placebo check,
:mod:`mixwise.model.review.placebo`). In geo data every geo's series is shuffled by the same
permutation of the dates.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from mixwise.data.dataset import MMMDataset
from mixwise.data.mapping import ChannelMap
from mixwise.errors import MixwiseError

PREFIX = "placebo_"


def largest_channel(dataset: MMMDataset) -> str:
    """The channel with the most spend (the default source of the placebo)."""
    totals = {c.name: float(dataset.frame[c.spend].sum()) for c in dataset.mapping.channels}
    return max(totals, key=totals.__getitem__)


def with_placebo(dataset: MMMDataset, source: str, seed: int = 0) -> tuple[MMMDataset, str]:
    """``dataset`` plus a channel ``placebo_<source>`` whose spend is ``source``'s shuffled in
    time (seeded); returns it and the new channel's name."""
    by_name = {c.name: c for c in dataset.mapping.channels}
    if source not in by_name:
        raise MixwiseError(
            f"placebo channel: no channel {source!r} in the data",
            f"Pick one of {', '.join(by_name)}.",
        )
    name = f"{PREFIX}{source}"
    if name in by_name or name in dataset.frame.columns:
        raise MixwiseError(
            f"placebo channel: the data already have a column or channel {name!r}",
            "Rename it, or pick another source channel.",
        )
    dates = dataset.dates
    order = np.random.default_rng(seed).permutation(len(dates))
    moved = dict(zip(dates, dates[order], strict=True))
    frame = dataset.frame.copy()
    date_col, spend_col = dataset.mapping.date, by_name[source].spend
    keys = [date_col, *([dataset.mapping.geo] if dataset.mapping.geo else [])]
    lookup = frame.set_index(keys)[spend_col]
    shifted = frame[keys].copy()
    shifted[date_col] = shifted[date_col].map(moved)
    index = pd.MultiIndex.from_frame(shifted) if len(keys) > 1 else pd.Index(shifted[date_col])
    frame[name] = lookup.reindex(index).to_numpy()
    mapping = dataset.mapping.model_copy(
        update={"channels": [*dataset.mapping.channels, ChannelMap(name=name, spend=name)]}
    )
    return replace(dataset, frame=frame, mapping=mapping), name
