import { describe, expect, it } from "vitest";
import { windowFigures } from "./OverviewScreen";

const iv = (mean: number) => ({ mean, median: mean, lo: mean * 0.8, hi: mean * 1.2 });

describe("windowFigures", () => {
  it("takes each channel's window totals and adds up the baseline shares", () => {
    const dec = {
      model_id: "m",
      interval: 0.9,
      dates: ["2024-01-01", "2024-01-08"],
      series: {},
      items: [
        { name: "intercept", kind: "baseline" as const, total: iv(50), share: iv(0.5) },
        { name: "trend", kind: "baseline" as const, total: iv(10), share: iv(0.1) },
        { name: "TV", kind: "channel" as const, total: iv(30), share: iv(0.3), spend: 20, roas: iv(1.5), cpa: null },
        { name: "Search", kind: "channel" as const, total: iv(10), share: iv(0.1), spend: 0 },
      ],
    };
    const f = windowFigures(dec);
    expect(f.baselineShare).toBeCloseTo(0.6, 12);
    expect(f.channels.TV.spend).toBe(20);
    expect(f.channels.TV.roas.mean).toBe(1.5);
    expect(f.channels.TV.contribution.mean).toBe(30);
    // A channel without spend in the window has no ROAS: shown as missing, never as 0.
    expect(f.channels.Search.roas.mean).toBeNull();
  });
});
