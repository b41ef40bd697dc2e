"""Reading journeys: roles proposed, identical paths grouped once, checks with codes and rows."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from tests.attribution.conftest import path_table

from mixwise.attribution.load import read_journeys
from mixwise.errors import MappingError, MixwiseError, ValidationFailed

EVENTS = pd.DataFrame(
    {
        "user_id": [1, 1, 1, 2, 2, 3, 4],
        "timestamp": [
            "2024-01-01",
            "2024-01-03",
            "2024-01-02",
            "2024-01-01",
            "2024-01-05",
            "2024-01-02",
            "2024-01-02",
        ],
        "channel": ["search", "social", "tv", "social", "search", "search", None],
        "conversion": [0, 1, 0, 0, 0, 1, 1],
        "revenue": [0, 10, 0, 0, 0, 5, 3],
    }
)


def test_events_roles_order_and_findings() -> None:
    j = read_journeys(EVENTS)
    m = j.mapping
    assert (m.layout, m.journey_id, m.timestamp, m.channel, m.conversion, m.value) == (
        "events",
        "user_id",
        "timestamp",
        "channel",
        "conversion",
        "revenue",
    )
    p = j.paths
    texts = {p.text(i): (p.converters[i], p.nulls[i], p.value[i]) for i in range(p.n_paths)}
    # journey 1 is reordered by time: search (1st), tv (2nd), social (3rd)
    assert texts == {
        "search > tv > social": (1, 0, 10),
        "social > search": (0, 1, 0),
        "search": (1, 0, 5),
    }
    assert p.unattributed == 1  # journey 4 converted without a touch
    codes = {f.code: f for f in j.findings}
    assert codes["journey_unordered_timestamps"].rows == (3,)
    assert "journey_conversion_without_touch" in codes


def test_identical_paths_are_grouped_once_and_path_tables_read() -> None:
    t = path_table([("a > b", 2, 3), ("a>b", 1, 1), ("b", 0, 4)])
    p = read_journeys(t).paths
    assert p.n_paths == 2
    assert p.text(0) == "a > b" and (p.converters[0], p.nulls[0]) == (3, 4)


def test_renames_and_unknown_channels(tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("channels:\n  search: Paid Search\n  social: Social\n")
    j = read_journeys(EVENTS, mapping)
    assert set(j.paths.channels) == {"Paid Search", "Social", "tv"}
    unknown = next(f for f in j.findings if f.code == "journey_unknown_channel")
    assert "tv" in unknown.message and unknown.rows == (3,)


def test_lookback_drops_old_touches_and_warns_when_it_cuts_most() -> None:
    j = read_journeys(EVENTS, lookback_days=1.5)
    texts = {j.paths.text(i) for i in range(j.paths.n_paths)}
    assert texts == {"tv > social", "search"}  # journey 2 (no conversion) ends at its last touch
    assert "journey_lookback_cuts_paths" in {f.code for f in j.findings}


@pytest.mark.parametrize(
    ("frame", "code", "rows"),
    [
        (path_table([("a > b", 1, 0), ("a >  > b", 1, 0)]), "journey_malformed_path", (2,)),
        (path_table([("a > b", 1, 0), ("b | c", 1, 0)]), "journey_separator_in_channel", (2,)),
        (path_table([("a", 1, 0), ("b", -2, 0)]), "journey_negative_conversions", (2,)),
        (path_table([("a", 0, 3), ("b", 0, 1)]), "journey_no_conversion", ()),
        (
            EVENTS.assign(channel=["a", "b>c", "a", "a", "a", "a", "a"]),
            "journey_separator_in_channel",
            (2,),
        ),
        (EVENTS.assign(conversion=[0, 1, "x", 0, 0, 1, 1]), "journey_bad_number", (3,)),
        (
            EVENTS.assign(timestamp=EVENTS["timestamp"].where(EVENTS.index != 4, "soon")),
            "journey_bad_timestamp",
            (5,),
        ),
        (  # a numeric timestamp column (days) with a missing value: not dropped in silence
            EVENTS.assign(timestamp=[1.0, 3, 2, 1, 5, 2, np.nan]),
            "journey_bad_timestamp",
            (7,),
        ),
    ],
)
def test_bad_input_names_code_row_and_fix(frame: pd.DataFrame, code: str, rows: tuple) -> None:
    with pytest.raises(ValidationFailed) as exc:
        read_journeys(frame)
    first = next(f for f in exc.value.findings if f.severity == "error")
    assert first.code == code and first.rows == rows and first.hint
    if rows:
        assert f"row {rows[0]}" in exc.value.message


def test_a_lookback_that_leaves_no_converting_touch_is_an_error() -> None:
    ev = pd.DataFrame(
        {
            "journey_id": [1, 1, 2],
            "timestamp": ["2024-01-01", "2024-01-10", "2024-01-03"],
            "channel": ["search", None, "tv"],
            "conversion": [0, 1, 0],
        }
    )
    assert read_journeys(ev).paths.conversions.sum() == 1
    with pytest.raises(MixwiseError, match="no converting journey has a touchpoint within"):
        read_journeys(ev, lookback_days=2)


def test_not_a_journeys_table_is_a_mapping_error() -> None:
    with pytest.raises(MappingError, match="not a journeys table"):
        read_journeys(pd.DataFrame({"date": ["2024-01-01"], "tv_spend": [1.0]}))


def test_parquet_and_duckdb_files_read_the_same(tmp_path: Path) -> None:
    EVENTS.to_parquet(tmp_path / "j.parquet")
    with duckdb.connect(str(tmp_path / "j.duckdb")) as con:
        con.register("e", EVENTS)
        con.execute("CREATE TABLE events AS SELECT * FROM e")
    a = read_journeys(tmp_path / "j.parquet").paths
    b = read_journeys(tmp_path / "j.duckdb", sql="SELECT * FROM events").paths
    assert np.array_equal(a.steps, b.steps) and np.array_equal(a.converters, b.converters)
    c = read_journeys(tmp_path / "j.duckdb", {"sql": "SELECT * FROM events"}).paths
    assert np.array_equal(a.steps, c.steps)


def test_docs_list_every_column_name_that_proposes_a_role() -> None:
    from mixwise.attribution import roles

    docs = (Path(__file__).parents[2] / "docs" / "attribution.md").read_text(encoding="utf-8")
    table = {
        row.split("|")[1].strip(): row.split("|")[2].strip()
        for row in docs.splitlines()
        if row.startswith("| `")
    }
    names = {
        "`journey_id`": roles.JOURNEY_NAMES,
        "`timestamp`": roles.TIME_NAMES,
        "`channel`": roles.CHANNEL_NAMES,
        "`conversion`": roles.CONVERSION_NAMES,
        "`value`": roles.VALUE_NAMES,
        "`path`": roles.PATH_NAMES,
        "`conversions`": roles.PATHS_CONVERSION_NAMES,
        "`conversion_value`": roles.VALUE_NAMES,
        "`null`": roles.NULL_NAMES,
    }
    for role, proposed in names.items():
        assert table[role].split(", ") == list(proposed), role


def test_a_mapping_fills_roles_the_names_do_not_and_must_give_the_required_ones() -> None:
    ev = pd.DataFrame({"person": [1, 1, 2], "channel": ["a", "b", "a"], "conversion": [0, 1, 0]})
    j = read_journeys(ev, {"journey_id": "person"})  # the rest is proposed
    assert (j.mapping.journey_id, j.mapping.channel) == ("person", "channel")
    assert j.paths.converters.tolist() == [0, 1] and j.paths.nulls.tolist() == [1, 0]
    # layout with roles skips the proposal: a required role left out is a mapping error
    with pytest.raises(MappingError, match="no column for journey_id"):
        read_journeys(ev, {"layout": "events", "channel": "channel"})
    with pytest.raises(MappingError, match="no column for conversions"):
        read_journeys(path_table([("a > b", 1, 0)]), {"layout": "paths", "path": "path"})
