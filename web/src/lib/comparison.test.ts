import { describe, expect, it } from "vitest";
import { agreementHeadline, defaultSelection, groupedReasons, intervalLegend, parseModelIds, verdict, verdictText, type ChannelComparison, type ComparedModel } from "./comparison";

const iv = (mean: number, lo: number, hi: number) => ({ mean, median: mean, lo, hi });

function channel(name: string, roas: boolean | null, share: boolean | null, reasons: ChannelComparison["reasons"] = []): ChannelComparison {
  return { channel: name, estimates: [{ model_id: "a", roas: iv(2, 1, 3), share: iv(0.1, 0.05, 0.15) }], roas_agree: roas, share_agree: share, spend_cv: 0.5, reasons };
}

describe("verdict", () => {
  it("differs when either interval pair does not overlap, agrees only when both do", () => {
    expect(verdict(channel("TV", true, true))).toBe("agree");
    expect(verdict(channel("TV", false, true))).toBe("differ");
    expect(verdict(channel("TV", true, false))).toBe("differ");
    expect(verdict(channel("TV", null, false))).toBe("differ");
    expect(verdict(channel("TV", null, true))).toBe("unknown");
    expect(verdictText(channel("TV", false, false))).toBe("Intervals do not overlap: ROAS and share");
    expect(verdictText(channel("TV", true, false))).toBe("Intervals do not overlap: share");
  });
  it("counts agreeing channels and says which are not comparable", () => {
    const chans = [channel("TV", true, true), channel("Search", false, true), channel("OOH", null, true)];
    expect(agreementHeadline(chans)).toBe("The models agree on 1 of 3 channels (1 not comparable)");
    expect(agreementHeadline([channel("TV", true, true)])).toBe("The models agree on 1 of 1 channel");
  });
});

describe("interval kinds and reasons", () => {
  const model = (engine: string, label: string, kind: string): ComparedModel => ({
    model_id: engine, name: engine, engine, engine_label: label, interval: 0.9, interval_kind: kind, interval_text: "", data_fingerprint: "x", start: "2024-01-01", end: "2024-06-01", n_periods: 22, n_holdout: 0,
  });
  it("names each engine's interval kind once", () => {
    const legend = intervalLegend([model("bayesian", "Bayesian (PyMC-Marketing)", "posterior"), model("ridge", "Ridge (Robyn's method)", "bootstrap"), model("ridge", "Ridge (Robyn's method)", "bootstrap")]);
    expect(legend).toEqual(["Bayesian (PyMC-Marketing): 90% credible interval", "Ridge (Robyn's method): 90% bootstrap interval"]);
  });
  it("groups a reason shared by several channels", () => {
    const base = { code: "different_baseline" as const, message: "The models split the KPI differently", model_id: null, value: null };
    const cv = { code: "low_spend_variation" as const, message: "TV's spend barely varies", model_id: null, value: 0.1 };
    const grouped = groupedReasons([channel("TV", false, true, [cv, base]), channel("OOH", false, false, [base])]);
    expect(grouped).toEqual([
      { message: cv.message, code: cv.code, channels: ["TV"] },
      { message: base.message, code: base.code, channels: ["TV", "OOH"] },
    ]);
  });
});

describe("selection", () => {
  it("defaults to the newest fitted model of each engine", () => {
    const models = [
      { id: "b1", engine: "bayesian", has_result: true, created_at: "2026-01-01T00:00:00Z" },
      { id: "b2", engine: "bayesian", has_result: true, created_at: "2026-02-01T00:00:00Z" },
      { id: "b3", engine: "bayesian", has_result: false, created_at: "2026-03-01T00:00:00Z" },
      { id: "r1", engine: "ridge", has_result: true, created_at: "2026-01-15T00:00:00Z" },
    ];
    expect(defaultSelection(models)).toEqual(["b2", "r1"]);
  });
  it("reads ids from the address", () => {
    expect(parseModelIds("a, b,,a")).toEqual(["a", "b"]);
    expect(parseModelIds(null)).toEqual([]);
  });
});
