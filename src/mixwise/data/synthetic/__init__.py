"""Synthetic marketing mix data with known ground truth (for demos, tests and benchmarks).

from mixwise.data.synthetic import generate, preset
data = generate(preset("demo"))      # SyntheticData: frame, mapping, truth
data.truth_frame()                   # per-channel ROAS, mROAS, parameters
data.save("demo/")                   # data.csv, mapping.yaml, truth.json
"""

from mixwise.data.synthetic.config import (
    AdstockTruth,
    ChannelConfig,
    ControlConfig,
    EventConfig,
    GeoConfig,
    SaturationTruth,
    SyntheticConfig,
    slug,
)
from mixwise.data.synthetic.generate import generate, mapping_for
from mixwise.data.synthetic.presets import (
    PRESETS,
    daily_config,
    demo_config,
    geo_config,
    preset,
    small_config,
)
from mixwise.data.synthetic.result import SyntheticData
from mixwise.data.synthetic.truth import ChannelTruth, SyntheticTruth, unit_response

__all__ = [
    "PRESETS",
    "AdstockTruth",
    "ChannelConfig",
    "ChannelTruth",
    "ControlConfig",
    "EventConfig",
    "GeoConfig",
    "SaturationTruth",
    "SyntheticConfig",
    "SyntheticData",
    "SyntheticTruth",
    "daily_config",
    "demo_config",
    "generate",
    "geo_config",
    "mapping_for",
    "preset",
    "slug",
    "small_config",
    "unit_response",
]
