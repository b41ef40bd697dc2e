import { describe, expect, it } from "vitest";
import { attributionBars, barsWithIntervals, fitChart, flightsTimeline, frontier, responseCurve, sankey } from "./options";

const units = { currency: "USD", kpiName: "sales", kpiKind: "revenue" as const };

describe("chart options", () => {
  it("bars carry values and interval whiskers per channel", () => {
    const o = barsWithIntervals({ items: [{ name: "TV", value: 2, lo: 1, hi: 3, color: "#000" }], kind: "ratio", units, valueName: "ROAS" }) as { series: { data: unknown[] }[] };
    expect(o.series[0].data).toEqual([{ value: 2, itemStyle: expect.any(Object) }]);
    expect(o.series[1].data).toEqual([[0, 1, 3]]);
  });
  it("sankey links every channel with positive contribution to the KPI, plus the baseline", () => {
    const o = sankey({ flows: [{ name: "TV", value: 10, color: "#1" }, { name: "OOH", value: 0, color: "#2" }], target: "sales", baseline: 30, units }) as { series: { links: { source: string; value: number }[] }[] };
    expect(o.series[0].links.map((l) => l.source)).toEqual(["TV", "Baseline (non-media)"]);
  });
  it("response curve adds only the markers it has", () => {
    const o = responseCurve({ channel: "TV", spend: [0, 1], mean: [0, 1], color: "#000", current: { spend: 1, kpi: 1 }, units, spendLabel: "per week" }) as { series: { name: string }[] };
    expect(o.series.map((s) => s.name)).toEqual(["Response", "Current"]);
  });
  it("attribution bars: one series per model", () => {
    const o = attributionBars({ channels: ["TV", "Search"], models: [{ name: "bayesian", color: "#1", shares: [0.6, 0.4] }, { name: "Last touch", color: "#2", shares: [null, 1] }], selected: "bayesian" }) as { series: { data: (number | null)[]; itemStyle: { color: string; borderWidth?: number } }[] };
    expect(o.series).toHaveLength(2);
    expect(o.series[0].data).toEqual([0.6, 0.4]);
    expect(o.series[1].data).toEqual([null, 1]); // not trackable: no bar, never a zero
    // the bars keep the legend's colours; the selected one is outlined
    expect(o.series.map((x) => x.itemStyle.color)).toEqual(["#1", "#2"]);
    expect(o.series[0].itemStyle.borderWidth).toBe(1.5);
    expect(o.series[1].itemStyle.borderWidth).toBeUndefined();
  });
  it("timeline: one strip per channel with its flights as bands", () => {
    const o = flightsTimeline({ dates: ["a", "b"], channels: [{ name: "TV", color: "#1", flights: [{ start: "a", end: "b", spend: 3 }], contribution: [1, 2] }], units }) as { grid: unknown[]; series: { markArea: { data: unknown[] } }[] };
    expect(o.grid).toHaveLength(1);
    expect(o.series[0].markArea.data).toHaveLength(1);
  });
  it("interval legends and tooltips say what kind of interval they are", () => {
    const fit = fitChart({ dates: ["2024-01-01"], observed: [1], fitted: [1], lo: [0.5], hi: [1.5], units, kpiLabel: "sales", intervalKind: "bootstrap" }) as { legend: { data: string[] }; tooltip: { formatter: (p: { dataIndex: number }[]) => string } };
    expect(fit.legend.data).toContain("90% bootstrap interval");
    expect(fit.tooltip.formatter([{ dataIndex: 0 }])).toContain("90% bootstrap interval");
    const bars = barsWithIntervals({ items: [{ name: "TV", value: 2, lo: 1, hi: 3, color: "#000" }], kind: "ratio", units, valueName: "ROAS", intervalKind: "posterior" }) as { tooltip: { formatter: (p: { dataIndex: number }[]) => string } };
    expect(bars.tooltip.formatter([{ dataIndex: 0 }])).toContain("90% credible interval");
    const curve = responseCurve({ channel: "TV", spend: [0, 1], mean: [0, 1], lo: [0, 0.5], hi: [0, 1.5], color: "#000", units, spendLabel: "per week", intervalKind: "bootstrap" }) as { series: { name: string }[] };
    expect(curve.series.map((s) => s.name)).toContain("90% bootstrap interval");
    const f = frontier({ budgets: [1, 2], mean: [1, 2], lo: [0, 1], hi: [2, 3], units, intervalKind: "bootstrap" }) as { series: { name?: string }[] };
    expect(f.series.map((s) => s.name)).toContain("90% bootstrap interval");
  });
});
