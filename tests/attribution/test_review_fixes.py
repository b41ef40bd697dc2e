"""Review findings: timestamps parsed as the spend table's dates, nothing-to-compare said as such,
compared runs read through the results helpers (engine, lift tests), exports formula-safe."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests.attribution.support import run_folder

from mixwise.attribution import checks
from mixwise.attribution.load import read_journeys
from mixwise.engines.base import engine_label
from mixwise.errors import ValidationFailed
from mixwise.service import attribution
from mixwise.service.fitted import RunFolder
from mixwise.service.schemas.attribution import AttributionOptions

PATHS = pd.DataFrame(
    {
        "path": ["search > social", "social", "search", "=cmd(calc) > search"],
        "conversions": [30, 10, 25, 5],
        "null": [300, 200, 250, 40],
    }
)


def test_mixed_timestamp_formats_are_a_finding() -> None:
    events = pd.DataFrame(
        {
            "journey_id": [1, 1, 2],
            "timestamp": ["2024-03-01 10:00:00", "03/02/2024 10:00", "2024-03-04 09:00:00"],
            "channel": ["search", "social", "search"],
            "conversion": [0, 1, 1],
        }
    )
    with pytest.raises(ValidationFailed) as exc:
        read_journeys(events)
    (f,) = exc.value.findings
    assert f.code == "journey_bad_timestamp" and f.rows == (2,)
    assert "%Y-%m-%d %H:%M:%S" in f.message


def _options(**kw: object) -> AttributionOptions:
    return AttributionOptions(replicates=10, min_support=1, **kw)  # type: ignore[arg-type]


def test_no_shared_channel_is_nothing_to_compare(tmp_path: Path) -> None:
    run = run_folder(tmp_path, "tv_only", {"TV": 100.0, "OOH": 50.0}, engine="ridge")
    out = attribution.attribute_journeys(
        PATHS, _options(models=["last_touch"]), None, [RunFolder(run)]
    )
    assert out.recommendations[0].startswith("Nothing to compare")
    assert not out.disagreements
    alone = attribution.attribute_journeys(PATHS, _options(models=["linear"]))
    assert alone.recommendations[0].startswith("Nothing to compare")


def test_compared_run_has_engine_label_and_lift_roas(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lift = {
        "channel": "search",
        "start": "2024-01-01",
        "end": "2024-02-01",
        "spend_change": 1000.0,
        "measured": 2500.0,
        "sigma": 500.0,
        "fitted": {"mean": 2000.0, "median": 2000.0, "lo": 1500.0, "hi": 2500.0},
        "z": -1.0,
        "agrees": True,
    }
    run = run_folder(
        tmp_path,
        "mmm",
        {"search": 80.0, "social": 20.0},
        "bayesian",
        [lift, lift | {"measured": 1500.0}],
    )
    out = attribution.attribute_journeys(
        PATHS, _options(models=["last_touch"]), None, [RunFolder(run)]
    )
    assert out.runs[0].engine_label == "Bayesian (PyMC-Marketing)"
    (x,) = out.lift
    assert x.iroas == pytest.approx(4000 / 2000) and x.tests == 2
    # 90%: z = 1.645, sigma of the sum sqrt(2) * 500 over 2000 of spend change
    assert x.hi - x.iroas == pytest.approx(1.6449 * 2**0.5 * 500 / 2000, rel=1e-3)
    assert engine_label("meridian") == "Meridian"
    PATHS.to_csv(tmp_path / "paths.csv", index=False)
    args = [
        "--compare",
        str(run),
        "--models",
        "linear",
        "--replicates",
        "10",
        "--out",
        str(tmp_path / "o"),
    ]
    r = run_cli("attribute", str(tmp_path / "paths.csv"), *args)
    assert r.exit_code == 0 and "search measured iROAS 2.00" in r.out


def test_exports_are_formula_safe(tmp_path: Path) -> None:
    out = attribution.attribute_journeys(PATHS, _options(models=["linear"]))
    attribution.write_outputs(out, tmp_path)
    text = (tmp_path / "credits.csv").read_text()
    assert "'=cmd" in text and "\n=cmd" not in text and ",=cmd" not in text


def test_numbers_are_parsed_by_the_data_layer() -> None:
    frame = pd.DataFrame({"c": ["yes", "No", "NA", "", "2", " 1 ", "1,5"]})
    values, found = checks.numbers(frame, "c", "conversions")
    assert values.tolist() == [1, 0, 0, 0, 2, 1, 0]
    (f,) = found
    assert f.code == "journey_bad_number" and f.rows == (7,)
