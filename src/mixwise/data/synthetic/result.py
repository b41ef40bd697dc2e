"""``SyntheticData``: the generated table, its mapping and its truth, with views and files."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from mixwise.data.dataset import MMMDataset
from mixwise.data.mapping import Mapping
from mixwise.data.synthetic.truth import SyntheticTruth

if TYPE_CHECKING:
    from mixwise.data.synthetic.config import SyntheticConfig

TRUTH_FORMAT_VERSION = 1
SPEND_SCALING = "spend / max over time of that channel's spend (per geo), held fixed"


@dataclass(frozen=True)
class SyntheticData:
    """A synthetic dataset with known truth.

    Attributes:
        frame: one row per (geo, date), sorted; columns date, [geo, population], the KPI,
            ``<slug>_spend``, optional ``<slug>_impressions``, controls, event dummies.
        mapping: the column mapping of ``frame``.
        truth: parameters and components (rows aligned with ``frame``).
        config: what was simulated (including the seed).
    """

    frame: pd.DataFrame
    mapping: Mapping
    truth: SyntheticTruth
    config: SyntheticConfig

    @property
    def kpi_column(self) -> str:
        return self.mapping.kpi.column

    def to_dataset(self) -> MMMDataset:
        """The frame as an :class:`MMMDataset` (already clean: no checks needed)."""
        return MMMDataset(
            frame=self.frame.copy(), mapping=self.mapping, frequency=self.config.frequency
        )

    def components(self) -> pd.DataFrame:
        """Frame-aligned truth: date, [geo], kpi, baseline parts, one column per channel, noise."""
        keys = ["date", "geo"] if self.mapping.geo else ["date"]
        return pd.concat(
            [
                self.frame[[*keys, self.kpi_column]],
                self.truth.baseline,
                self.truth.contributions,
                self.truth.noise,
            ],
            axis=1,
        )

    def national_components(self) -> pd.DataFrame:
        """Baseline parts, channel contributions and noise per date, summed over geos."""
        return self.truth.national(self.frame["date"])

    def truth_frame(self) -> pd.DataFrame:
        """One row per channel: transform parameters, coefficient, totals, ROAS, mROAS, CPA,
        and the share of total KPI (tidy; parameters a channel does not have are NaN)."""
        total_kpi = float(self.frame[self.kpi_column].sum())
        rows = []
        for ch in self.truth.channels.values():
            row = {k: v for k, v in ch.summary().items() if not isinstance(v, list)}
            row["contribution_share"] = ch.total_contribution / total_kpi
            rows.append(row)
        return pd.DataFrame(rows)

    def truth_dict(self) -> dict[str, Any]:
        """Everything in truth.json: config, formula conventions, per-channel and baseline truth."""
        t = self.truth
        kpi_total = float(self.frame[self.kpi_column].sum())
        return {
            "format_version": TRUTH_FORMAT_VERSION,
            "kpi": self.kpi_column,
            "spend_scaling": SPEND_SCALING,
            "formula": "kpi = baseline + sum_c beta_c[g] * saturation_c(adstock_c(spend_c / "
            "spend_scale_c[g])) + noise",
            "config": self.config.model_dump(mode="json"),
            "channels": [ch.summary() for ch in t.channels.values()],
            "baseline": {
                "baseline_scale": dict(
                    zip(t.geos or ["national"], t.baseline_scale.tolist(), strict=True)
                ),
                "event_lifts": t.event_lifts,
                "control_coefficients": t.control_coefficients,
                "control_centers": t.control_centers,
                "totals": {k: float(v) for k, v in t.baseline.sum().items()},
            },
            "synergies": {}
            if t.synergies is None
            else {k: float(v) for k, v in t.synergies.sum().items()},
            "noise_sd": t.noise_sd.tolist(),
            "population": t.population,
            "totals": {
                "kpi": kpi_total,
                "baseline": float(t.baseline.to_numpy().sum()),
                "media": float(t.contributions.to_numpy().sum()),
                "noise": float(t.noise.sum()),
            },
        }

    def save(self, directory: str | Path) -> Path:
        """Write ``data.csv``, ``mapping.yaml``, ``truth.json`` and ``truth_components.csv``."""
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        frame = self.frame.copy()
        frame["date"] = frame["date"].dt.strftime("%Y-%m-%d")
        frame.to_csv(out / "data.csv", index=False)
        self.mapping.save(out / "mapping.yaml")
        (out / "truth.json").write_text(json.dumps(self.truth_dict(), indent=2), encoding="utf-8")
        comps = self.components()
        comps["date"] = comps["date"].dt.strftime("%Y-%m-%d")
        comps.to_csv(out / "truth_components.csv", index=False)
        return out
