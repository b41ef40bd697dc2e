"""The Creative Launch Timeline: the use case, ``mixwise timeline`` and the API call it alike."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from tests.model.support import make_result

from mixwise.api.app import create_app
from mixwise.data.campaigns import CalendarError, parse_calendar
from mixwise.service import workspaces
from mixwise.service.fitted import RunFolder
from mixwise.service.timeline import timeline
from mixwise.store.models import Model
from mixwise.store.testing import temporary_store


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("run") / "run"
    make_result().save(path)
    return path


def calendar_frame(dates: pd.DatetimeIndex) -> pd.DataFrame:
    day = [d.date() for d in dates]
    rows = [
        ("Spring", "tv", day[5], day[8] + timedelta(days=6), "Hero", "TV Ad", "#launch"),
        ("Spring", "search", day[6], day[8] + timedelta(days=6), "Text", "Search Ad", "#launch"),
        ("Summer", "tv", day[20], day[22], "Beach", "TV Ad", "#launch #summer"),
        ("Autumn", "search", day[40], day[44], "Leaves", "Search Ad", "#launch"),
    ]
    cols = ["campaign", "channel", "start", "end", "creative", "creative_type", "tags"]
    return pd.DataFrame(rows, columns=cols)


def test_use_case_document(run: Path) -> None:
    model = RunFolder(run)
    dates = model.result().dates
    out = timeline(model, parse_calendar(calendar_frame(dates)), window_days=60)
    assert [f.creative for f in out.flights] == ["Hero", "Text", "Beach", "Leaves"]
    first = out.flights[0]
    assert first.periods == [5, 8] and first.roas is not None
    assert first.roas.lo is not None and first.roas.hi is not None
    assert first.roas.lo <= first.roas.median <= first.roas.hi  # type: ignore[operator]
    assert first.contribution_after.mean and first.contribution_after.mean > 0  # carry-over
    assert out.carry_over_periods == 7 and "carry-over" in out.method
    tags = {t.tag: t for t in out.tags}
    assert tags["launch"].per_spend is not None and tags["summer"].per_spend is None
    assert "at least 3" in (tags["summer"].why or "")
    assert out.consistency.window_days == 60 and out.consistency.definition


def test_unknown_channel_names_the_row(run: Path) -> None:
    model = RunFolder(run)
    frame = calendar_frame(model.result().dates)
    frame.loc[2, "channel"] = "radio"
    with pytest.raises(CalendarError, match=r"'radio' is not in the model \(row 3\)"):
        timeline(model, parse_calendar(frame))


def test_cli(run_cli: Any, run: Path, tmp_path: Path) -> None:
    frame = calendar_frame(RunFolder(run).result().dates).rename(columns={"start": "launch"})
    path = tmp_path / "cal.csv"
    frame.to_csv(path, index=False)
    r = run_cli("timeline", str(run), "--campaigns", str(path), "--column", "start=launch")
    assert r.exit_code == 0, r.text
    assert "Hero" in r.out and "Consistency" in r.out and "#summer" in r.out
    r = run_cli(
        "timeline", str(run), "--campaigns", str(path), "--json", "--column", "start=launch"
    )
    assert json.loads(r.out)["flights"][0]["campaign"] == "Spring"
    bad = frame.copy()
    bad.loc[1, "end"] = "2000-01-01"
    bad.to_csv(path, index=False)
    r = run_cli("timeline", str(run), "--campaigns", str(path), "--column", "start=launch")
    assert r.exit_code == 2 and "row 2" in r.err and "Hint" in r.err


def test_api_upload_and_timeline(run: Path, tmp_path: Path) -> None:
    with temporary_store("sqlite", tmp_path) as store:
        ws, key = workspaces.create_key(store, "team")
        store.artifacts.place_dir(_copy(run, tmp_path / "copy"), "results/mdl_t")
        with store.session() as s:
            s.add(
                Model(
                    id="mdl_t",
                    workspace_id=ws.id,
                    name="t",
                    engine="bayesian",
                    mapping="",
                    spec="",
                    status="succeeded",
                    result_artifact="results/mdl_t",
                )
            )
        with TestClient(create_app(store=store)) as c:
            c.headers["Authorization"] = f"Bearer {key}"
            assert c.get("/api/v1/models/mdl_t/timeline").status_code == 404  # no calendar
            frame = calendar_frame(RunFolder(run).result().dates)
            up = c.put(
                "/api/v1/calendar",
                files={"file": ("cal.csv", frame.to_csv(index=False).encode())},
                data={"mapping": "{}"},
            )
            assert up.status_code == 200, up.text
            assert len(up.json()["flights"]) == 4
            r = c.get("/api/v1/models/mdl_t/timeline", params={"window_days": 60})
            assert r.status_code == 200, r.text
            cli_doc = timeline(RunFolder(run), parse_calendar(frame), window_days=60)
            api_doc = r.json()
            assert api_doc["flights"] == cli_doc.model_dump(mode="json")["flights"]
            rep = c.get("/api/v1/models/mdl_t/report", params={"campaigns": "true"})
            assert rep.status_code == 200 and "Campaigns and creatives" in rep.text
            assert "Hero" in rep.text
            rows = frame.astype(str).to_dict("records")
            rows[0]["end"] = "2000-01-01"
            bad = c.put("/api/v1/calendar/rows", json={"rows": rows})
            assert bad.status_code == 422 and "row 1" in bad.json()["detail"]
            assert bad.json()["findings"][0]["rows"] == [1]


def _copy(src: Path, dst: Path) -> Path:
    import shutil

    shutil.copytree(src, dst)
    return dst


def test_report_has_the_campaigns_section(run: Path, tmp_path: Path) -> None:
    from mixwise.report.campaigns import section
    from mixwise.service.reports import write_report

    model = RunFolder(run)
    calendar = parse_calendar(calendar_frame(model.result().dates))
    doc = timeline(model, calendar, window_days=60).model_dump(mode="json")
    built = section(doc)
    assert built is not None
    flights, tags = built.tables
    assert list(flights.frame["Creative"]) == ["Hero", "Text", "Beach", "Leaves"]
    assert flights.frame["ROAS mean"].iloc[0] == doc["flights"][0]["roas"]["mean"]
    assert tags.frame["Why not shown"].iloc[-1].startswith("1 flight(s)")
    files = write_report(model, tmp_path / "r.html", campaigns=calendar)
    html = files.html.read_text()
    assert "Campaigns and creatives" in files.sections and "Consistency score" in html
    assert "Hero" in html
