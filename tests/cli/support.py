"""Command lines shared by the CLI tests and the tests of what those commands write."""

from __future__ import annotations

from pathlib import Path


def robyn_ridge_fit(
    shared: Path,
    mappings: Path,
    spec: Path,
    out: Path,
    *extra: str,
    trials: int = 2,
    iterations: int = 200,
) -> list[str]:
    """``mixwise fit`` of Robyn's demo data with the ridge engine (a small search)."""
    return [
        "fit",
        str(shared / "robyn_dt_simulated_weekly.csv"),
        "--mapping",
        str(mappings / "robyn_dt_simulated_weekly.yaml"),
        "--spec",
        str(spec),
        "--engine",
        "ridge",
        "--trials",
        str(trials),
        "--iterations",
        str(iterations),
        "--out",
        str(out),
        *extra,
    ]
