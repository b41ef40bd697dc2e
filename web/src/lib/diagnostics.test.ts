import { describe, expect, it } from "vitest";
import { diagnosticRows } from "./diagnostics";

const convergence = { rhat_max: 1.004, ess_bulk_min: 850, ess_tail_min: null, divergences: 0, bfmi_min: 0.9 };

describe("diagnosticRows", () => {
  it("labels holdout metrics as holdout, MAPE as a percentage, and leaves out what is null", () => {
    const rows = new Map(diagnosticRows({ fit: { in_sample: { r2: 0.95, mape: 0.031, nrmse: null }, holdout: { r2: 0.8, mape: 0.05, nrmse: 0.1 } }, convergence }));
    expect(rows.get("R² (in sample)")).toBe("0.95");
    expect(rows.get("MAPE (in sample)")).toBe("3.1%");
    expect(rows.has("NRMSE (in sample)")).toBe(false);
    expect(rows.get("R² (holdout)")).toBe("0.8");
    expect(rows.get("MAPE (holdout)")).toBe("5.0%");
    expect(rows.get("Divergent transitions")).toBe("0");
    expect(rows.has("Smallest tail ESS")).toBe(false);
  });
  it("has no holdout rows without a holdout", () => {
    const labels = diagnosticRows({ fit: { in_sample: { r2: 0.9, mape: 0.1, nrmse: 0.2 }, holdout: null }, convergence }).map(([l]) => l);
    expect(labels.filter((l) => l.includes("holdout"))).toEqual([]);
    expect(labels).toContain("Largest R-hat");
  });
});
