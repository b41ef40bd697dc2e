import { describe, expect, it } from "vitest";
import { deltaTone, formatCurrency, formatDelta, formatDeltaInterval, formatInterval, formatKpi, formatPercent, formatRatio, formatRelative, humanize, intervalName, MISSING } from "./format";

const rev = { currency: "USD", kpiName: "sales", kpiKind: "revenue" as const };
const conv = { currency: "EUR", kpiName: "conversions", kpiKind: "conversions" as const };

describe("format", () => {
  it("writes currency compactly above 10,000 and exactly below", () => {
    expect(formatCurrency(1_234_567)).toBe("$1.23M");
    expect(formatCurrency(85_000)).toBe("$85K");
    expect(formatCurrency(12.4)).toBe("$12.40");
    expect(formatCurrency(950)).toBe("$950");
    expect(formatCurrency(1200, "EUR")).toBe("€1,200");
  });
  it("never writes a missing or infinite value as 0", () => {
    expect(formatCurrency(NaN)).toBe(MISSING);
    expect(formatRatio(Infinity)).toBe(MISSING);
    expect(formatPercent(null)).toBe(MISSING);
  });
  it("writes KPI values in their unit", () => {
    expect(formatKpi(25_000, rev)).toBe("$25K");
    expect(formatKpi(1500, conv, true)).toBe("1,500 conversions");
  });
  it("writes ratios, percentages, intervals and signed deltas", () => {
    expect(formatRatio(2.345)).toBe("2.35x");
    expect(formatPercent(0.553)).toBe("55.3%");
    expect(formatInterval(1.1, 2.2, "ratio", rev)).toBe("90% interval 1.10x to 2.20x");
    expect(formatDelta(-2, "currency", rev)).toBe("−$2.00");
    expect(formatDelta(0.1, "ratio", rev)).toBe("+0.10x");
    expect(formatRelative(100, 110)).toBe("+10.0%");
  });
  it("judges deltas by whether more is better", () => {
    expect(deltaTone(5, true)).toBe("good");
    expect(deltaTone(5, false)).toBe("bad");
    expect(deltaTone(-1, false)).toBe("good");
    expect(deltaTone(0, true)).toBe("neutral");
  });
  it("humanizes column names", () => {
    expect(humanize("paid_search")).toBe("Paid search");
  });
});

import { kpiColumn } from "./useCurrentModel";
describe("kpiColumn", () => {
  it("reads the KPI column from mapping YAML", () => {
    expect(kpiColumn("date: d\nkpi:\n  column: revenue\n  type: revenue\nchannels: []\n")).toBe("revenue");
    expect(kpiColumn("kpi: {column: sales, type: revenue}\n")).toBe("sales");
    expect(kpiColumn("date: d\n")).toBeNull();
  });
});

describe("intervalName", () => {
  it("names the interval by the model's interval_kind", () => {
    expect(intervalName(0.9, "bootstrap")).toBe("90% bootstrap interval");
    expect(intervalName(0.8, "posterior")).toBe("80% credible interval");
    expect(intervalName(0.9, undefined)).toBe("90% interval");
    const rev = { currency: "USD", kpiName: "revenue", kpiKind: "revenue" as const };
    expect(formatInterval(1.1, 2.2, "ratio", rev, 0.9, "bootstrap")).toBe("90% bootstrap interval 1.10x to 2.20x");
    expect(formatDeltaInterval(-1, 2, "ratio", rev, 0.9, "posterior")).toMatch(/^90% credible interval /);
  });
});
