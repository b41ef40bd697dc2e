import { describe, expect, it } from "vitest";
import { applyRecommendation } from "./recommendations";
import { adoptKeyFromUrl } from "./urlKey";
import { getApiKey, setApiKey } from "../api/client";
import type { Recommendation } from "../api/hooks/planning";

const estimate = { mean: 1, lo: 0.5, hi: 2 };
const at = (mean: number) => ({ mean, lo: mean, hi: mean });
const move = (channels: string[], shift: number): Recommendation => ({ kind: "reallocate", channels, message: "", estimate, details: { amount: 1, periods: 13, shift, probability_positive: 0.9 } });
const flag = (kind: "waste" | "saturation", channel: string, current: number, saturation: number | null): Recommendation => ({
  kind,
  channels: [channel],
  message: "",
  estimate,
  details: { current_spend: current, saturation_spend: { mean: saturation, lo: saturation, hi: saturation }, headroom: at(1), mroas: at(0.5), threshold: 1 },
});

describe("applyRecommendation", () => {
  const original = { TV: 0.5, Search: 0.3, OOH: 0.2 };
  it("moves the shift of the source channel's share to the destination", () => {
    const s = applyRecommendation(move(["OOH", "TV"], 0.1), original)!;
    expect(s.OOH).toBeCloseTo(0.18);
    expect(s.TV).toBeCloseTo(0.52);
    expect(s.Search).toBeCloseTo(0.3);
    expect(Object.values(s).reduce((a, b) => a + b)).toBeCloseTo(1);
  });
  it("lowers a wasteful channel to its saturation point", () => {
    const s = applyRecommendation(flag("waste", "TV", 100, 80), original)!;
    expect(s.TV).toBeCloseTo(0.4);
  });
  it("does nothing for information-only items or unknown channels", () => {
    expect(applyRecommendation(flag("saturation", "TV", 100, 80), original)).toBeNull();
    expect(applyRecommendation(move(["Radio", "TV"], 0.1), original)).toBeNull();
    expect(applyRecommendation(flag("waste", "TV", 100, null), original)).toBeNull();
  });
});

describe("adoptKeyFromUrl", () => {
  const fake = (search: string, hash: string) => {
    const replaced: string[] = [];
    const loc = { pathname: "/", search, hash } as Location;
    const hist = { replaceState: (_a: unknown, _b: string, url: string) => replaced.push(url) } as unknown as History;
    return { loc, hist, replaced };
  };
  it("takes the key from #key=... (mixwise serve --demo) and clears it from the address", () => {
    setApiKey(null);
    const f = fake("", "#key=mw_abc");
    expect(adoptKeyFromUrl(f.loc, f.hist)).toBe("mw_abc");
    expect(getApiKey()).toBe("mw_abc");
    expect(f.replaced).toEqual(["/"]);
  });
  it("takes it from ?key= and from a route's query, keeping the rest", () => {
    const a = fake("?key=mw_1&x=2", "#/data");
    expect(adoptKeyFromUrl(a.loc, a.hist)).toBe("mw_1");
    expect(a.replaced).toEqual(["/?x=2#/data"]);
    const b = fake("", "#/allocation?key=mw_2&rec=1");
    expect(adoptKeyFromUrl(b.loc, b.hist)).toBe("mw_2");
    expect(b.replaced).toEqual(["/#/allocation?rec=1"]);
  });
  it("leaves the address alone without a key", () => {
    const f = fake("", "#/overview");
    expect(adoptKeyFromUrl(f.loc, f.hist)).toBeNull();
    expect(f.replaced).toEqual([]);
  });
});
