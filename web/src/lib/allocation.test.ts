import { describe, expect, it } from "vitest";
import { amountsFromShares, isOver, normalise, sharesFromAmounts, totalPercent } from "./allocation";
import { flightsFromSpend } from "./flights";

describe("allocation", () => {
  it("adds shares and flags totals past 100%", () => {
    expect(totalPercent({ tv: 60, search: 40 })).toBe(100);
    expect(isOver({ tv: 60, search: 40 })).toBe(false);
    expect(isOver({ tv: 60, search: 41 })).toBe(true);
  });
  it("normalises to 100% and converts between shares and amounts", () => {
    const n = normalise({ a: 60, b: 60 });
    expect(n.a).toBeCloseTo(50);
    expect(sharesFromAmounts({ a: 250, b: 750 }, 1000)).toEqual({ a: 25, b: 75 });
    expect(amountsFromShares({ a: 25 }, 1000)).toEqual({ a: 250 });
  });
});

describe("flightsFromSpend", () => {
  it("finds runs of spend > 0 with their totals", () => {
    const d = ["w1", "w2", "w3", "w4", "w5", "w6"];
    expect(flightsFromSpend(d, [0, 5, 5, 0, 2, 2])).toEqual([
      { start: "w2", end: "w3", spend: 10 },
      { start: "w5", end: "w6", spend: 4 },
    ]);
  });
  it("does not read missing spend as spend", () => {
    expect(flightsFromSpend(["a", "b", "c"], [1, null, 1])).toHaveLength(2);
    expect(flightsFromSpend([], [])).toEqual([]);
  });
});
