"""``mixwise portfolio fit``: one ridge run folder per brand, portfolio.json, and a missing --by
column refused with its name (no traceback)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.slow  # two small ridge fits: about 5-15 s


def test_portfolio_fit_by_brand(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from mixwise.data.synthetic import generate, preset

    syn = generate(preset("small"), seed=2)
    syn.save(tmp_path / "d")
    frame = pd.read_csv(tmp_path / "d" / "data.csv")
    pd.concat([frame.assign(brand=b) for b in ("A", "B")]).to_csv(tmp_path / "all.csv", index=False)
    args = [
        "portfolio",
        "fit",
        str(tmp_path / "all.csv"),
        "--mapping",
        str(tmp_path / "d" / "mapping.yaml"),
    ]
    bad = run_cli(*args, "--by", "region", "--out", str(tmp_path / "x"))
    assert bad.exit_code != 0 and "region" in bad.err and "Traceback" not in bad.err
    out = tmp_path / "p"
    ok = run_cli(*args, "--by", "brand", "--out", str(out), "--trials", "1", "--iterations", "40",
                 "--seed", "1", "--json")  # fmt: skip
    assert ok.exit_code == 0, ok.err
    doc = json.loads(ok.out)
    assert [c["labels"] for c in doc["cells"]] == [{"brand": "A"}, {"brand": "B"}]
    assert (out / "brand=A" / "summary.json").is_file() and (out / "portfolio.json").is_file()
    # the same rows and seed: the same fit
    assert doc["cells"][0]["fit"] == doc["cells"][1]["fit"]
