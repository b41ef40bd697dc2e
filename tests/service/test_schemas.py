"""The API's response schemas carry the documents they are built from: every field of a real
fit's summary.json and provenance, of plan.json, the planning tables and the EDA summary, none
dropped (a schema ignores fields it does not know) and none made up."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import mixwise.data.synthetic as syn
from mixwise import plan
from mixwise.data.dataset import MMMDataset
from mixwise.model.result import FitResult
from mixwise.model.summary import build_summary
from mixwise.plan import ResponseModel
from mixwise.service.schemas.common import jsonable
from mixwise.service.schemas.datasets import EDAOut, MappingDoc
from mixwise.service.schemas.plans import (
    FrontierOut,
    OptimizeOut,
    PlanDoc,
    RecommendationsOut,
    SharesOut,
    scenario_out,
)
from mixwise.service.schemas.results import DiagnosticsOut, Provenance, SummaryOut

PERIODS = 13


def present(doc: Any) -> Any:
    """``doc`` without null-valued keys (a schema sends an absent optional field as null)."""
    if isinstance(doc, dict):
        return {k: present(v) for k, v in doc.items() if v is not None}
    if isinstance(doc, list):
        return [present(v) for v in doc]
    return doc


@pytest.fixture(scope="module")
def fitted() -> tuple[FitResult, MMMDataset]:
    """A real NUTS fit with small draws and a holdout (not converged, and not asked to be)."""
    from mixwise.fitting import fit
    from mixwise.model.spec import ModelSpec

    dataset = syn.generate(syn.preset("small")).to_dataset()
    spec = ModelSpec.from_dict(
        {
            "sampler": {"chains": 2, "draws": 60, "tune": 60, "seed": 1},
            "max_draws": 120,
            "holdout": 8,
        }
    )
    return fit(dataset, spec), dataset


@pytest.fixture(scope="module")
def conversions() -> ResponseModel:
    """Conversion KPIs (CPA instead of ROAS), from a synthetic truth with jittered draws."""
    config = syn.preset("small").model_copy(update={"kpi_type": "conversions"})
    return plan.response_model_from_truth(syn.generate(config), n_draws=50, jitter=0.1)


@pytest.mark.slow
def test_summary_schema_carries_a_real_summary_json(fitted: tuple[FitResult, MMMDataset]) -> None:
    result, _ = fitted
    doc = jsonable(build_summary(result, result.spec.interval))
    doc.pop("format_version")
    out = SummaryOut(model_id="m", **doc).model_dump(mode="json")
    assert present(out) == present({"model_id": "m", **doc})
    assert out["fit"]["holdout"]["r2"] is not None  # the parts that were dict[str, Any]
    assert out["diagnostics"]["rhat_max"] > 1.0
    assert set(out["baseline"]["components"]) >= {"intercept"}


@pytest.mark.slow
def test_diagnostics_keep_the_provenance_a_reader_needs(
    fitted: tuple[FitResult, MMMDataset],
) -> None:
    result, _ = fitted
    prov = jsonable(result.provenance)
    diag = result.diagnostics.to_dict()
    out = DiagnosticsOut(
        model_id="m",
        approximate=diag.pop("approximate"),
        converged=diag.pop("converged"),
        verdict=diag.pop("verdict"),
        convergence=jsonable(diag),
        fit=jsonable(build_summary(result, result.spec.interval)["fit"]),
        provenance=prov,
    ).model_dump(mode="json")
    kept = set(Provenance.model_fields)
    assert out["provenance"] == {k: v for k, v in prov.items() if k in kept}
    assert set(out["provenance"]) == kept  # the engine records every one of them
    assert out["convergence"] == jsonable(diag)
    # what an engine does not record is left out, not sent as null
    assert Provenance(engine="ridge").model_dump(mode="json") == {"engine": "ridge"}


def _response_models(
    fitted: tuple[FitResult, MMMDataset], conversions: ResponseModel
) -> list[ResponseModel]:
    return [plan.as_response_model(fitted[0]), conversions]


@pytest.mark.slow
def test_plan_schemas_carry_plan_json_and_the_planning_tables(
    fitted: tuple[FitResult, MMMDataset], conversions: ResponseModel, tmp_path: Path
) -> None:
    for m in _response_models(fitted, conversions):
        budget = float(m.recent_spend().sum()) * PERIODS
        opt = plan.optimize(m, budget, PERIODS, n_starts=1)
        doc = json.loads(opt.save_plan_json(tmp_path / "plan.json").read_text())
        assert PlanDoc.model_validate(doc).model_dump(mode="json") == jsonable(doc)
        ratio = "expected_roas" if m.kpi_type == "revenue" else "expected_cpa"
        assert ratio in doc and ratio in doc["current"]

        out = OptimizeOut(
            model_id="m",
            plan=doc,
            channels=jsonable(
                opt.channels().rename_axis("channel").reset_index().to_dict("records")
            ),
            metrics=jsonable(opt.summary().rename_axis("metric").reset_index().to_dict("records")),
        ).model_dump(mode="json")
        assert set(out["channels"][0]) == {"channel", *opt.channels().columns}
        assert set(out["metrics"][0]) == {"metric", *opt.summary().columns}

        rows = jsonable(
            plan.efficiency_frontier(m, PERIODS, [budget / 2, budget]).to_dict("records")
        )
        points = FrontierOut(model_id="m", points=rows).model_dump(mode="json")["points"]
        assert points == rows and set(m.channels) <= set(points[0])


@pytest.mark.slow
@pytest.mark.parametrize("total", [1.1, 0.8])  # past 100%: normalized_* metrics too
def test_share_metrics_carry_the_evaluation(
    fitted: tuple[FitResult, MMMDataset], conversions: ResponseModel, total: float
) -> None:
    for m in _response_models(fitted, conversions):
        shares = {c: total / m.n_channels for c in m.channels}
        doc = jsonable(plan.evaluate_shares(m, None, shares, PERIODS).to_dict())
        out = SharesOut(model_id="m", **doc).model_dump(mode="json")
        assert out == {"model_id": "m", **doc}
        assert ("normalized_mean" in out["metrics"]["total_kpi"]) == (total > 1)


@pytest.mark.slow
def test_recommendations_are_typed_by_kind(
    fitted: tuple[FitResult, MMMDataset], conversions: ResponseModel
) -> None:
    result, _ = fitted
    items = jsonable([r.to_dict() for r in plan.recommendations(result)])
    items += jsonable([r.to_dict() for r in plan.recommendations(conversions, max_marginal_cpa=50)])
    out = RecommendationsOut(model_id="m", items=items).model_dump(mode="json")
    assert out["items"] == items
    assert {i["kind"] for i in items} >= {"reallocate", "saturation"}


@pytest.mark.slow
def test_eda_and_mapping_schemas_carry_the_dataset(fitted: tuple[FitResult, MMMDataset]) -> None:
    from mixwise.data.eda import describe

    _, dataset = fitted
    doc = jsonable(describe(dataset).to_dict())
    out = EDAOut(dataset_id="d", findings=[], **doc).model_dump(mode="json")
    assert present(out) == present({"dataset_id": "d", "findings": [], **doc})
    assert out["period"]["kpi"] == dataset.mapping.kpi.column
    mapping = MappingDoc(yaml="", mapping=dataset.mapping).model_dump(mode="json")["mapping"]
    assert mapping == dataset.mapping.model_dump(mode="json")


def test_a_saved_scenario_echoes_its_request_as_given() -> None:
    """A stored request (saved without its nulls) comes back as it was, typed by kind."""
    metric = {
        f"{p}_{s}": 1.0 for p in ("original", "proposed", "delta") for s in ("mean", "lo", "hi")
    }
    result = {
        "model_id": "m",
        "budget": 10.0,
        "periods": 4,
        "original_shares": {"TV": 1.0},
        "shares": {"TV": 1.0},
        "normalized_shares": None,
        "metrics": {"total_kpi": metric},
        "warnings": [],
        "interval_level": 0.9,
    }
    row = {
        "id": "sc",
        "model_id": "m",
        "name": "n",
        "kind": "shares",
        "request": {"shares": {"TV": 1.0}},
        "result": result,
        "allocation": {"TV": 10.0},
        "periods": 4,
        "created_at": "2026-01-01T00:00:00",
    }
    out = scenario_out.dump_python(scenario_out.validate_python(row), mode="json")
    assert out["request"] == {"shares": {"TV": 1.0}}
    # a result saved before per-channel results existed reads with none (the field's default)
    assert out["result"] == {**result, "channels": []}
    assert out["created_at"] == "2026-01-01T00:00:00Z"
    with pytest.raises(ValueError, match="simulate"):
        scenario_out.validate_python({**row, "kind": "simulate"})


def test_plan_request_literals_are_the_planners() -> None:
    """The request schemas spell the planner's bound units and risk kinds themselves (to keep
    the planning stack out of their import): the same values, or a request the schema admits
    would fail in the planner."""
    from typing import get_args

    from mixwise.plan.bounds import BoundUnit
    from mixwise.plan.objectives import RiskKind
    from mixwise.service.schemas import plans

    assert get_args(plans.BoundUnit) == get_args(BoundUnit)
    assert get_args(plans.RiskKind) == get_args(RiskKind)
