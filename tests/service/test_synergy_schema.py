"""The API's summary schema carries summary.json's ``interactions`` whole (no sampling)."""

from __future__ import annotations

from tests.model.test_interactions import with_synergy

from mixwise.model.summary import build_summary
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
