import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/react";
import { changeLimit, rebalance, totalPercent } from "./allocation";
import { fileSlug, neutralise, toCsv } from "./csv";
import { formatRhat } from "./diagnostics";
import { changeTone, formatCurrency, formatDelta, formatDeltaInterval, formatNumber, formatPercent, formatPeriods, formatRatio, periodUnit } from "./format";
import { recommendationText } from "./recommendations";
import { defaultModel } from "./useCurrentModel";
import { DeltaBadge } from "../components/Delta";
import { trustWarning } from "../components/ModelTrustBanner";
import { dateWindow } from "../components/charts/effects";
import type { Recommendation } from "../api/hooks/planning";

const rev = { currency: "USD", kpiName: "sales", kpiKind: "revenue" as const };

describe("significance-gated changes", () => {
  it("judges a change only when its interval excludes zero", () => {
    expect(changeTone(5, true, { lo: 1, hi: 9 })).toBe("good");
    expect(changeTone(-5, true, { lo: -9, hi: -1 })).toBe("bad");
    expect(changeTone(-5, false, { lo: -9, hi: -1 })).toBe("good"); // CPA down
    expect(changeTone(5, true, { lo: -1, hi: 9 })).toBe("uncertain");
    expect(changeTone(-5, true, { lo: -9, hi: 0 })).toBe("uncertain"); // touches zero
    expect(changeTone(5, true, { lo: null, hi: 9 })).toBe("uncertain");
    expect(changeTone(5, true)).toBe("good"); // exact (spend the user set): no interval
    expect(changeTone(0, true, { lo: -1, hi: 1 })).toBe("neutral");
  });
  it("shows no arrow and no green/red for an uncertain change, with the word", () => {
    render(<DeltaBadge delta={120} kind="currency" units={rev} interval={{ lo: -40, hi: 300 }} />);
    const badge = screen.getByText(/uncertain/).closest("[data-tone]")!;
    expect(badge.getAttribute("data-tone")).toBe("uncertain");
    expect(badge.className).toContain("delta-neutral");
    expect(badge.textContent).not.toMatch(/[▲▼]/);
  });
  it("shows the arrow and colour when the interval excludes zero", () => {
    render(<DeltaBadge delta={-120} kind="currency" units={rev} interval={{ lo: -300, hi: -40 }} />);
    const badge = screen.getByText(/−\$120/).closest("[data-tone]")!;
    expect(badge.getAttribute("data-tone")).toBe("bad");
    expect(badge.textContent).toContain("▼");
  });
  it("judges the interval as shown: a bound that reads ±0.00x touches zero", () => {
    render(<DeltaBadge delta={-0.01} kind="ratio" units={rev} interval={{ lo: -0.03, hi: -0.001 }} />);
    const badge = screen.getByText(/uncertain/).closest("[data-tone]")!;
    expect(badge.getAttribute("data-tone")).toBe("uncertain");
  });
});

describe("units", () => {
  it("never writes -$0.00 and writes rate changes in percentage points", () => {
    expect(formatDelta(-0.001, "currency", rev)).toBe("±$0.00");
    expect(formatDelta(-0.004, "ratio", rev)).toBe("±0.00x");
    expect(formatDelta(-0.0001, "percent", rev)).toBe("±0.0 pp");
    expect(formatDelta(0.015, "percent", rev)).toBe("+1.5 pp");
    expect(formatDelta(-0.2, "percent", rev)).toBe("−20.0 pp");
    expect(formatDelta(-25, "currency", rev)).toBe("−$25.00");
    expect(formatDelta(-0.004, "currency", rev)).toBe("±$0.00");
    expect(formatDelta(-1500, "currency", rev)).toBe("−$1,500");
    expect(formatDeltaInterval(-0.01, -0.004, "kpi", rev)).toBe("90% interval −$0.01 to ±$0.00");
    // values that round to zero carry no minus sign
    expect(formatCurrency(-0.001)).toBe("$0");
    expect(formatCurrency(-0.02)).toBe("-$0.02");
    expect(formatPercent(-0.00001)).toBe("0.0%");
    expect(formatRatio(-0.001)).toBe("0.00x");
    expect(formatNumber(-0.001)).toBe("0");
  });
  it("names periods with their unit from the data's dates", () => {
    expect(periodUnit("2024-01-01", "2024-12-23", 52)).toBe("week");
    expect(periodUnit("2024-01-01", "2024-03-30", 90)).toBe("day");
    expect(periodUnit("2024-01-01", "2024-01-01", 1)).toBe("period");
    expect(formatPeriods(13, "week")).toBe("13 weeks");
    expect(formatPeriods(1, "day")).toBe("1 day");
  });
  it("writes R-hat with the digits that decide the 1.01 threshold", () => {
    expect(formatRhat(1.011)).toBe("1.011");
    expect(formatRhat(1.0104)).toBe("1.0104");
    expect(formatRhat(1.01)).toBe("1.010");
    expect(formatRhat(1.0021)).toBe("1.002");
  });
  it("writes recommendations with currency and period units, not bare numbers", () => {
    const rec = {
      kind: "waste",
      channels: ["Print"],
      message: "Print: marginal ROAS 0.42 ... 12,345 per week",
      estimate: { mean: 0.42, median: 0.42, lo: 0.3, hi: 0.6 },
      details: { current_spend: 12_345, saturation_spend: { mean: 8000, median: 8000, lo: 6000, hi: 9000 }, headroom: { mean: -4345, median: -4345, lo: -6345, hi: -3345 }, mroas: { mean: 0.42, median: 0.42, lo: 0.3, hi: 0.6 }, threshold: 1 },
    } as Recommendation;
    const t = recommendationText(rec, rev, "week", "posterior");
    expect(t).toContain("$12.3K per week");
    expect(t).toContain("0.42x");
    expect(t).toContain("$8,000 per week");
    expect(t).not.toMatch(/(^|[^$\d.,])12,345/);
    const move = { kind: "reallocate", channels: ["TV", "Search"], message: "", estimate: rec.estimate, details: { amount: 23_000, periods: 13, shift: 0.1, probability_positive: 0.95 } } as Recommendation;
    expect(recommendationText(move, rev, "week")).toBe("Move 10% of TV's budget ($23K over 13 weeks) to Search");
  });
});

describe("fixed-total sliders", () => {
  it("rebalances the other channels in proportion and keeps the total", () => {
    const out = rebalance({ tv: 50, search: 30, social: 20 }, "tv", 60);
    expect(out.tv).toBe(60);
    expect(out.search).toBeCloseTo(24); // 30 * 40/50
    expect(out.social).toBeCloseTo(16);
    expect(totalPercent(out)).toBeCloseTo(100);
    expect(Object.keys(out)).toEqual(["tv", "search", "social"]);
  });
  it("clamps to 0..100 and splits evenly when the others are all at zero", () => {
    expect(rebalance({ a: 100, b: 0, c: 0 }, "a", 40)).toEqual({ a: 40, b: 30, c: 30 });
    const all = rebalance({ a: 10, b: 90 }, "a", 150);
    expect(all).toEqual({ a: 100, b: 0 });
  });
  it("limits each channel's change to ±30% of its recent spend", () => {
    expect(changeLimit(1000, 0.3)).toEqual({ min: 700, max: 1300 });
    expect(changeLimit(1000, 2)).toEqual({ min: 0, max: 3000 });
  });
});

describe("CSV export", () => {
  it("neutralises text a spreadsheet would run, and leaves numbers alone", () => {
    expect(neutralise("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(neutralise("+1")).toBe("'+1");
    expect(neutralise("-x")).toBe("'-x");
    expect(neutralise("@SUM")).toBe("'@SUM");
    expect(neutralise("\tx")).toBe("'\tx");
    expect(neutralise("TV")).toBe("TV");
    expect(neutralise(-5)).toBe(-5);
    expect(toCsv([["channel", "value"], ["=cmd|' /C calc'!A0", -1.5], ['a "b", c', null]])).toBe(
      "channel,value\r\n'=cmd|' /C calc'!A0,-1.5\r\n\"a \"\"b\"\", c\",\r\n",
    );
    expect(fileSlug("Sales decomposition")).toBe("sales-decomposition");
  });
});

describe("trust", () => {
  const m = (id: string, approximate: boolean, has_result = true) => ({ id, approximate, has_result });
  it("makes the newest full fit the default, never a quick one while a full fit exists", () => {
    expect(defaultModel([m("quick-new", true), m("full-old", false)])?.id).toBe("full-old");
    expect(defaultModel([m("running", false, false), m("quick", true)])?.id).toBe("quick");
    expect(defaultModel([])).toBeNull();
  });
  it("warns about non-converged and approximate models, and not otherwise", () => {
    expect(trustWarning({ approximate: false, converged: false, verdict: "R-hat 1.011 exceeds 1.01." })?.tone).toBe("error");
    expect(trustWarning({ approximate: true, converged: null, verdict: "" })?.title).toMatch(/Approximate/);
    expect(trustWarning({ approximate: false, converged: true, verdict: "Converged." })).toBeNull();
  });
  it("picks the dates of a window", () => {
    const d = ["2024-01-01", "2024-01-08", "2024-01-15", "2024-01-22"];
    expect(dateWindow(d, "2024-01-05", "2024-01-15")).toEqual([1, 2]);
    expect(dateWindow(d, "", "")).toEqual([0, 3]);
    const [a, b] = dateWindow(d, "2025-01-01", "");
    expect(b < a).toBe(true);
  });
});

describe("fit progress", () => {
  it("gives each stage its state and its own progress from its counts", async () => {
    const { stageStates, stageFraction } = await import("./fitProgress");
    const st = stageStates("sampling");
    expect(st.map((s) => s.state)).toEqual(["done", "done", "done", "current", "pending", "pending"]);
    expect(stageFraction("chain 1: 300/2000 warm-up; chain 2: 100/2000 warm-up")).toBeCloseTo(0.1);
    expect(stageFraction("ADVI step 500/10000")).toBeCloseTo(0.05);
    expect(stageFraction("compiling the model (nutpie, numba)")).toBeNull();
  });
  it("estimates time left only once the sampling speed has been watched", async () => {
    const { samplingEta } = await import("./fitProgress");
    expect(samplingEta([{ t: 0, p: 0.1 }])).toBeNull();
    expect(samplingEta([{ t: 0, p: 0.1 }, { t: 2000, p: 0.2 }])).toBeNull(); // under 5 s watched
    expect(samplingEta([{ t: 0, p: 0.1 }, { t: 10_000, p: 0.1 }])).toBeNull(); // no progress yet
    // 20% in 10 s -> the remaining 70% in 35 s
    expect(samplingEta([{ t: 0, p: 0.1 }, { t: 10_000, p: 0.3 }])).toBeCloseTo(35);
  });
});
