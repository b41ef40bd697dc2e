"""A portfolio of independent fits (service/portfolio): one ridge model per brand x region cell,
fitted in this process and as parallel Ray tasks on a local cluster; both give each cell the
fit of that cell's rows alone."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from mixwise.errors import MixwiseError
from mixwise.model.result import load_result
from mixwise.model.spec import ModelSpec
from mixwise.service.fitting import fit_run
from mixwise.service.portfolio import cells, fit_portfolio

pytestmark = pytest.mark.slow  # 4 + 4 + 1 ridge fits and a local Ray cluster: about 1-2 minutes

SPEC = ModelSpec.from_dict({"ridge": {"trials": 1, "iterations": 60, "bootstrap_draws": 10}})
CELLS = [("A", "north", 1), ("A", "south", 2), ("B", "north", 3), ("B", "south", 4)]


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A table of four synthetic series (different seeds) stacked with brand and region."""
    from mixwise.data.synthetic import generate, preset

    root = tmp_path_factory.mktemp("portfolio")
    frames = []
    for brand, region, seed in CELLS:
        syn = generate(preset("small"), seed=seed)
        frames.append(syn.frame.assign(brand=brand, region=region))
        syn.save(root / f"cell{seed}")
    pd.concat(frames).to_csv(root / "all.csv", index=False)
    return root, root / "all.csv", root / "cell1" / "mapping.yaml"


def test_cells_by_columns_and_a_missing_column_is_named() -> None:
    frame = pd.DataFrame({"brand": ["A", "B", "A"], "x": [1, 2, 3]})
    got = cells(frame, ["brand"])
    assert [labels for labels, _ in got] == [{"brand": "A"}, {"brand": "B"}]
    assert got[0][1]["x"].tolist() == [1, 3] and "brand" not in got[0][1]
    with pytest.raises(MixwiseError, match=r"'region'.*not in the table"):
        cells(frame, ["brand", "region"])


@pytest.mark.parametrize("executor", ["local", "ray"])
def test_four_cells_fit_each_on_their_own_rows(
    portfolio: tuple[Path, Path, Path], executor: str
) -> None:
    root, data, mapping = portfolio
    out = root / f"out-{executor}"
    doc = fit_portfolio(
        data, mapping, out, ["brand", "region"], SPEC, engine="ridge", seed=7, executor=executor
    )
    assert [c["labels"] for c in doc["cells"]] == [{"brand": b, "region": r} for b, r, _ in CELLS]
    assert json.loads((out / "portfolio.json").read_text()) == json.loads(json.dumps(doc))
    for cell in doc["cells"]:
        assert (Path(cell["run"]) / "summary.json").is_file()
    # cell B/north is the fit of seed 3's series alone (same seed: the same numbers)
    alone = fit_run(
        root / "cell3" / "data.csv",
        mapping,
        root / f"alone-{executor}",
        SPEC,
        engine="ridge",
        seed=7,
    )
    cell = load_result(out / "brand=B" / "region=north")
    a, b = alone.summary_dict()["channels"], cell.summary_dict()["channels"]
    for ch in a:
        assert b[ch]["roas"]["mean"] == pytest.approx(a[ch]["roas"]["mean"], rel=1e-9)
