"""The Robyn export: exactly the columns and argument names Robyn's ``robyn_inputs`` documents."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from mixwise.data.pipeline import load_dataset
from mixwise.errors import MixwiseError
from mixwise.export import export_dataset
from mixwise.model.spec import ModelSpec

# The arguments of robyn_inputs(), as R/R/inputs.R of facebookexperimental/Robyn defines and
# documents them (commit 5915aa9d5d31d8947a274aa00fdf30b8947823e5, `robyn_inputs <- function(`).
ROBYN_INPUTS_ARGS = {
    "dt_input",
    "dep_var",
    "dep_var_type",
    "date_var",
    "paid_media_spends",
    "paid_media_vars",
    "paid_media_signs",
    "organic_vars",
    "organic_signs",
    "context_vars",
    "context_signs",
    "factor_vars",
    "dt_holidays",
    "prophet_vars",
    "prophet_signs",
    "prophet_country",
    "adstock",
    "hyperparameters",
    "window_start",
    "window_end",
    "calibration_input",
    "json_file",
    "InputCollect",
}
# The variables that name columns of dt_input (the rest are options).
COLUMN_ARGS = (
    "date_var",
    "dep_var",
    "paid_media_spends",
    "paid_media_vars",
    "context_vars",
    "organic_vars",
)
# hyper_names() in the same file: geometric adstock -> thetas, alphas, gammas per media.
GEOMETRIC_HYPS = ("thetas", "alphas", "gammas")


def _call_args(script: str) -> dict[str, str]:
    body = script.split("robyn_inputs(", 1)[1].split("\n)\n", 1)[0]
    return dict(re.findall(r"^\s+(\w+) = (.+?),?$", body, flags=re.M))


def _names(value: str) -> list[str]:
    return re.findall(r'"([^"]*)"', value) if value != "NULL" else []


@pytest.fixture(scope="module")
def exported(shared_datasets: Path, mappings_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    dataset = load_dataset(
        shared_datasets / "robyn_dt_simulated_weekly.csv",
        mappings_dir / "robyn_dt_simulated_weekly.yaml",
    )
    out = tmp_path_factory.mktemp("robyn") / "export"
    spec = ModelSpec.from_dict({"holidays": {"country": "DE"}, "ridge": {"trials": 3}})
    files = export_dataset(dataset, spec, "robyn", out)
    return dataset, out, files


def test_robyn_inputs_arguments_are_documented_ones(exported) -> None:
    _, out, files = exported
    assert files == ["data.csv", "fit_robyn.R", "README.txt"]
    args = _call_args((out / "fit_robyn.R").read_text())
    assert set(args) <= ROBYN_INPUTS_ARGS, set(args) - ROBYN_INPUTS_ARGS
    assert set(COLUMN_ARGS) <= set(args)
    assert _names(args["prophet_vars"]) == ["trend", "season", "holiday"]
    assert _names(args["prophet_country"]) == ["DE"]
    assert _names(args["dep_var_type"]) == ["revenue"]


def test_robyn_data_has_exactly_the_columns_the_call_names(exported) -> None:
    dataset, out, _ = exported
    args = _call_args((out / "fit_robyn.R").read_text())
    named = {n for a in COLUMN_ARGS for n in _names(args[a])}
    data = pd.read_csv(out / "data.csv")
    assert set(data.columns) == named
    spends = ["tv_S", "ooh_S", "print_S", "search_S", "facebook_S"]
    assert _names(args["paid_media_spends"]) == spends
    assert _names(args["paid_media_vars"]) == [
        "tv_S", "ooh_S", "print_S", "search_clicks_P", "facebook_I"
    ]  # fmt: skip
    assert _names(args["organic_vars"]) == ["newsletter"]
    # the categorical events column becomes one 0/1 context column per level ("na": none)
    assert _names(args["context_vars"]) == ["competitor_sales_B", "events_event1", "events_event2"]
    assert len(data) == dataset.n_periods == 208
    assert data["tv_S"].sum() == pytest.approx(dataset.frame["tv_S"].sum())
    assert data["events_event1"].sum() == (dataset.frame["events"] == "event1").sum() > 0


def test_robyn_hyperparameters_are_robyns_names(exported) -> None:
    _, out, _ = exported
    script = (out / "fit_robyn.R").read_text()
    block = script.split("hyperparameters <- list(", 1)[1].split("\n)\n", 1)[0]
    names = re.findall(r"^\s+(\w+) = c\(", block, flags=re.M)
    media = ["tv_S", "ooh_S", "print_S", "search_S", "facebook_S", "newsletter"]
    expected = [f"{m}_{h}" for m in media for h in GEOMETRIC_HYPS] + ["train_size"]
    assert sorted(names) == sorted(expected)
    assert "tv_S_thetas = c(0.3, 0.8)" in block  # Robyn's TV default
    assert "trials = 3" in script


def test_robyn_refuses_geo_data(shared_datasets: Path, mappings_dir: Path, tmp_path: Path) -> None:
    dataset = load_dataset(
        shared_datasets / "meridian_geo_media_rf.csv", mappings_dir / "meridian_geo_media_rf.yaml"
    )
    with pytest.raises(MixwiseError, match="national data only"):
        export_dataset(dataset, ModelSpec(), "robyn", tmp_path / "r")
    assert not (tmp_path / "r").exists()  # nothing half-written
