import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/react";
import { BenchmarksTable } from "./BenchmarksCard";
import { DEFAULT_UNITS } from "../lib/format";

const bench = (id: number, metric: string, channel: string, value: number) => ({
  id, metric, industry: "Retail", region: "EU", period: "2025", channel, value, source: "Trade body report", date: "2026-01-15", scope: "installation",
});

describe("BenchmarksTable", () => {
  it("prints each row's source and date beside the model's figure with its interval, or why there is none", () => {
    const doc = {
      model_id: "m", interval: 0.9, industry: "Retail", region: null, message: null,
      items: [
        { benchmark: bench(1, "roas", "", 2), model: { mean: 2.5, median: 2.5, lo: 2.2, hi: 2.8 }, why: null, verdict: "above" },
        { benchmark: bench(2, "cpa", "", 40), model: null, why: "CPA needs a conversions KPI; this model's KPI is revenue", verdict: null },
      ],
    };
    render(<BenchmarksTable doc={doc} units={DEFAULT_UNITS} />);
    const rows = screen.getAllByRole("row");
    expect(rows[1].textContent).toContain("ROAS (all media)");
    expect(rows[1].textContent).toContain("2.50x");
    expect(rows[1].textContent).toMatch(/90% interval 2\.20x to 2\.80x/);
    expect(rows[1].textContent).toContain("above the benchmark");
    expect(rows[1].textContent).toContain("Trade body report");
    expect(rows[1].textContent).toMatch(/2026/);
    expect(rows[2].textContent).toContain("not shown: CPA needs a conversions KPI");
  });

  it("says so when no row matches", () => {
    const doc = { model_id: "m", interval: 0.9, industry: "Banking", region: null, items: [], message: "No benchmark matches industry 'Banking'." };
    render(<BenchmarksTable doc={doc} units={DEFAULT_UNITS} />);
    expect(screen.getByTestId("benchmarks-empty").textContent).toContain("No benchmark matches industry 'Banking'");
  });
});
