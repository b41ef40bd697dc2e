"""Credits by campaign (or creative) within channel: hand-computed on a tiny table, additive
for rule-based models on the synthetic journeys, and the CLI's CSV."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mixwise.attribution.by_unit import split_unit, unit_credits_table
from mixwise.attribution.load import read_journeys
from mixwise.attribution.models import Settings, attribute
from mixwise.attribution.synthetic import SyntheticJourneys
from mixwise.errors import MappingError

# j1: search/brand -> social/a, converts; j2: search/generic, converts;
# j3: search/brand -> search/generic, converts; j4: social/a, does not convert
EVENTS = pd.DataFrame(
    {
        "journey_id": [1, 1, 2, 3, 3, 4],
        "timestamp": [
            "2024-03-01 10:00:00",
            "2024-03-02 10:00:00",
            "2024-03-01 09:00:00",
            "2024-03-01 08:00:00",
            "2024-03-03 08:00:00",
            "2024-03-02 12:00:00",
        ],
        "channel": ["search", "social", "search", "search", "search", "social"],
        "campaign": ["brand", "a", "generic", "brand", "generic", "a"],
        "conversion": [0, 1, 1, 0, 1, 0],
    }
)
UNITS = ["search/brand", "search/generic", "social/a"]


def _credits(model: str) -> dict[str, float]:
    j = read_journeys(EVENTS, by="campaign")
    assert j.by_paths is not None
    mc = attribute(j.by_paths, [model], Settings(replicates=10))
    table = unit_credits_table(mc, 0.9)
    return {f"{r.channel}/{r.unit}": r.credit for r in table.itertuples()}


def test_rule_based_credits_by_campaign_by_hand() -> None:
    assert _credits("last_touch") == pytest.approx(dict(zip(UNITS, [0.0, 2.0, 1.0], strict=True)))
    assert _credits("first_touch") == pytest.approx(dict(zip(UNITS, [2.0, 1.0, 0.0], strict=True)))
    assert _credits("linear") == pytest.approx(dict(zip(UNITS, [1.0, 1.5, 0.5], strict=True)))


def test_markov_order_1_credits_by_campaign_by_hand() -> None:
    # start -> B 2, G 1, S 1; B -> S 1, G 1; G -> conv 2; S -> conv 1, null 1:
    # P = 0.75; without B 0.375, G 0.25, S 0.5: RE = 1/2, 2/3, 1/3; credit = 3 RE / 1.5
    assert _credits("markov_1") == pytest.approx(dict(zip(UNITS, [1.0, 4 / 3, 2 / 3], strict=True)))


def test_channel_share_and_intervals_by_campaign() -> None:
    j = read_journeys(EVENTS, by="campaign")
    assert j.by_paths is not None
    table = unit_credits_table(attribute(j.by_paths, ["linear"], Settings(replicates=20)), 0.9)
    search = table[table["channel"] == "search"].set_index("unit")
    assert search.loc["generic", "channel_share"] == pytest.approx(1.5 / 2.5)
    assert (table["lo"] <= table["hi"]).all() and table["share"].sum() == pytest.approx(1.0)
    assert split_unit(j.by_paths.channels[0]) == ("search", "brand")


def test_rule_based_units_add_up_to_their_channel(synthetic: SyntheticJourneys) -> None:
    events = synthetic.events.iloc[:30_000].copy()
    rng = np.random.default_rng(3)
    events["creative"] = rng.choice(["static", "video ad", ""], len(events))
    j = read_journeys(events, by="creative")
    assert j.by_paths is not None
    s = Settings(replicates=10)
    for model in ("last_touch", "position"):
        channel = attribute(j.paths, [model], s).point[model]
        units = unit_credits_table(attribute(j.by_paths, [model], s), 0.9)
        summed = units.groupby("channel")["credit"].sum()
        assert summed[list(j.paths.channels)].to_numpy() == pytest.approx(channel)
    assert "(none)" in set(units["unit"])  # an empty creative is named, not dropped


def test_by_needs_the_column_and_events() -> None:
    with pytest.raises(MappingError, match="creative column"):
        read_journeys(EVENTS, by="creative")
    paths = pd.DataFrame({"path": ["search > social"], "conversions": [1], "null": [0]})
    with pytest.raises(MappingError, match="touchpoint events"):
        read_journeys(paths, by="campaign")


def test_cli_writes_credits_by_campaign(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "events.csv"
    EVENTS.to_csv(src, index=False)
    args = ["--by", "campaign", "--models", "last_touch,markov_1,shapley", "--replicates", "10"]
    r = run_cli("attribute", str(src), "--out", str(tmp_path / "o"), *args)
    assert r.exit_code == 0, r.err
    csv = pd.read_csv(tmp_path / "o" / "credits_by_campaign.csv")
    assert list(csv.columns[:3]) == ["channel", "campaign", "model"]
    assert set(csv["model"]) == {"last_touch", "markov_1"}  # Shapley left out, with a note
    last = csv[csv["model"] == "last_touch"].set_index("campaign")["credit"]
    assert last.to_dict() == {"brand": 0.0, "generic": 2.0, "a": 1.0}
    r = run_cli("attribute", str(src), "--out", str(tmp_path / "p"), "--by", "region")
    assert r.exit_code == 2
