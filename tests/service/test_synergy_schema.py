"""The API's summary schema carries summary.json's ``interactions`` whole (no sampling)."""

from __future__ import annotations

import numpy as np
from tests.model.test_interactions import with_synergy

from mixwise.model.summary import build_summary
from mixwise.service import results
from mixwise.service.schemas.common import jsonable
from mixwise.service.schemas.results import SummaryOut


def test_summary_schema_carries_the_synergy_pairs() -> None:
    result = with_synergy()
    doc = jsonable(build_summary(result, 0.9))
    doc.pop("format_version")
    out = SummaryOut(model_id="m", **doc).model_dump(mode="json")
    assert out["interactions"] == doc["interactions"]
    entry = out["interactions"]["tv + search"]
    assert entry["channels"] == ["tv", "search"] and entry["lo"] > 0  # gamma ~ N(0.3, 0.05)
    assert entry["lift"]["lo"] <= entry["lift"]["median"] <= entry["lift"]["hi"]


def test_decomposition_and_contributions_carry_the_synergy(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The parts (baseline components, channels, synergy pairs) add up to the fit, per draw."""
    result = with_synergy()
    monkeypatch.setattr(results, "fit_result", lambda *args: result)
    dec = results.decomposition(None, "w", "m")  # type: ignore[arg-type]
    kinds = {i.name: i.kind for i in dec.items}
    assert kinds["tv + search"] == "synergy" and kinds["tv"] == "channel"
    total = sum(np.asarray(dec.series[i.name]) for i in dec.items)
    np.testing.assert_allclose(total, result.fitted.mean("draw").values, rtol=1e-9)
    out = results.contributions(None, "w", "m")  # type: ignore[arg-type]
    assert result.interactions is not None
    expected = result.interactions.sel(interaction="tv + search").mean("draw").values
    np.testing.assert_allclose(out.synergies["tv + search"].mean, expected, rtol=1e-9)
