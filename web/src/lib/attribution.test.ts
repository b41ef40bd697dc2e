import { describe, expect, it } from "vitest";
import { blendShares, columnsFrom, engineLabel, pickSelected, recommendationFor, withBlend, type AttributionOut, type Column, type Disagreement } from "./attribution";

const col = (id: string, shares: (number | null)[]): Column => ({ id, label: id, kind: "mta", color: "#000", shares, lo: shares, hi: shares, notes: shares.map(() => null) });

describe("blendShares", () => {
  const a = col("a", [0.6, 0.4, null]);
  const b = col("b", [0.2, 0.3, 0.5]);
  it("one weighted model is that model", () => {
    expect(blendShares([a, b], { a: 1, b: 0 }, 3)).toEqual([0.6, 0.4, null]);
  });
  it("weights average the models that see a channel, then rescale to 1", () => {
    const out = blendShares([a, b], { a: 1, b: 1 }, 3)!;
    // raw: (0.6+0.2)/2 = 0.4, (0.4+0.3)/2 = 0.35, 0.5 (only b sees it): total 1.25
    expect(out[0]).toBeCloseTo(0.4 / 1.25);
    expect(out[1]).toBeCloseTo(0.35 / 1.25);
    expect(out[2]).toBeCloseTo(0.5 / 1.25);
    expect(out.reduce<number>((s, v) => s + (v ?? 0), 0)).toBeCloseTo(1);
  });
  it("3:1 weights lean towards the heavier model", () => {
    const out = blendShares([a, b], { a: 3, b: 1 }, 3)!;
    const raw = [(3 * 0.6 + 0.2) / 4, (3 * 0.4 + 0.3) / 4, 0.5];
    const total = raw.reduce((s, v) => s + v, 0);
    raw.forEach((v, j) => expect(out[j]).toBeCloseTo(v / total));
  });
  it("no weight, no blend", () => {
    expect(blendShares([a, b], {}, 3)).toBeNull();
    expect(blendShares([a, b], { a: 0, b: 0 }, 3)).toBeNull();
  });
});

describe("withBlend and pickSelected", () => {
  const a = col("a", [0.6, 0.4]);
  const b = col("b", [0.2, 0.8]);
  it("adds the blend column only when a weight is set", () => {
    expect(withBlend([a, b], {}, 2)).toHaveLength(2);
    const all = withBlend([a, b], { b: 2 }, 2);
    expect(all.map((c) => c.id)).toEqual(["a", "b", "blend"]);
    expect(all[2].shares).toEqual([0.2, 0.8]);
  });
  it("starts on the model picked in the top bar, then keeps the user's pick", () => {
    expect(pickSelected([a, b], null, "b")).toBe("b");
    expect(pickSelected([a, b], "a", "b")).toBe("a");
    expect(pickSelected([a, b], "gone", "also gone")).toBe("a");
  });
});

describe("recommendationFor", () => {
  const d = (a: string, b: string, ratio: number): Disagreement => ({ a, b, channel: "search", ratio, share_a: 0.5, share_b: 0.2, sentence: `${a} vs ${b}` });
  const list = [d("last_touch", "mdl_1", 2.5), d("linear", "mdl_2", 1.8), d("first_touch", "mdl_1", 1.5)];
  it("prefers the largest disagreement involving the selected model", () => {
    expect(recommendationFor(list, "mdl_2")?.a).toBe("linear");
    expect(recommendationFor(list, "first_touch")?.b).toBe("mdl_1");
  });
  it("falls back to the largest overall, and to none when models agree", () => {
    expect(recommendationFor(list, "shapley")?.a).toBe("last_touch");
    expect(recommendationFor([], "mdl_1")).toBeNull();
  });
});

describe("columnsFrom", () => {
  const result = {
    channels: ["search"],
    models: ["last_touch"],
    compared: ["mdl_1", "mdl_2"],
    runs: [
      { name: "mdl_1", engine: "bayesian", engine_label: "" },
      { name: "mdl_2", engine: "meridian", engine_label: "" },
    ],
    credits: [
      { channel: "search", model: "last_touch", credit: 10, share: 1, lo: 8, hi: 12, share_lo: 1, share_hi: 1, note: "" },
      { channel: "TV", model: "last_touch", credit: null, share: null, lo: null, hi: null, note: "not trackable" },
      { channel: "search", model: "mdl_1", credit: 5, share: 0.25, lo: 4, hi: 6, share_lo: 0.2, share_hi: 0.3, note: "" },
      { channel: "TV", model: "mdl_1", credit: 15, share: 0.75, lo: 12, hi: 18, share_lo: 0.6, share_hi: 0.9, note: "" },
    ],
  } as unknown as AttributionOut;
  it("labels MMM columns by engine, generically for a new engine, and keeps 'not trackable'", () => {
    const cols = columnsFrom(result, { mdl_1: "Q3 fit" });
    expect(cols.map((c) => c.label)).toEqual(["Last touch", "Bayesian (PyMC-Marketing) · Q3 fit", "Meridian"]);
    expect(cols[0].shares).toEqual([1, null]);
    expect(cols[0].notes).toEqual([null, "not trackable"]);
    expect(cols[1].lo).toEqual([0.2, 0.6]);
    expect(new Set(cols.map((c) => c.color)).size).toBe(3);
    expect(engineLabel("ridge")).toBe("Ridge (Robyn's method)");
  });
});
