import type { Diagnostics } from "../api/hooks/models";
import { formatNumber, formatPercent } from "./format";

type FitMetrics = Diagnostics["fit"]["in_sample"];

const FIT_METRICS: [keyof FitMetrics, string][] = [
  ["r2", "R²"],
  ["mape", "MAPE"],
  ["nrmse", "NRMSE"],
];

const CONVERGENCE: [keyof Diagnostics["convergence"], string][] = [
  ["rhat_max", "Largest R-hat"],
  ["ess_bulk_min", "Smallest bulk ESS"],
  ["ess_tail_min", "Smallest tail ESS"],
  ["divergences", "Divergent transitions"],
  ["bfmi_min", "Smallest BFMI"],
];

/** (label, formatted value) of the fit quality (in sample, then holdout) and the convergence statistics; what is null is left out. */
export function diagnosticRows(d: Pick<Diagnostics, "fit" | "convergence">): [string, string][] {
  const rows: [string, string][] = [];
  const fit = (where: string, m: FitMetrics | null) => {
    for (const [k, label] of FIT_METRICS) {
      const v = m?.[k];
      if (v != null) rows.push([`${label} (${where})`, k === "mape" ? formatPercent(v) : formatNumber(v)]);
    }
  };
  fit("in sample", d.fit.in_sample);
  fit("holdout", d.fit.holdout);
  for (const [k, label] of CONVERGENCE) {
    const v = d.convergence[k];
    if (v != null) rows.push([label, k === "rhat_max" ? formatRhat(v) : formatNumber(v)]);
  }
  return rows;
}

/**
 * R-hat with enough digits to compare with the 1.01 threshold: 1.011 reads "1.011", never
 * "1.01" next to a verdict that says it exceeds 1.01 (three decimals; four when the third alone
 * would hide which side of 1.01 it is on).
 */
export function formatRhat(v: number): string {
  if (!Number.isFinite(v)) return "—";
  const three = v.toFixed(3);
  return three === "1.010" && v !== 1.01 ? v.toFixed(4) : three;
}
