/**
 * Slider arithmetic for the budget allocation screen: shares in percent of the total budget,
 * amounts in currency. The total may pass 100% (the user is told, never silently corrected).
 */

export type Shares = Record<string, number>;

export function totalPercent(shares: Shares): number {
  return Object.values(shares).reduce((s, v) => s + (Number.isFinite(v) ? v : 0), 0);
}

/** True when the shares add up to more than 100% (with a small tolerance for rounding). */
export function isOver(shares: Shares, tolerance = 0.05): boolean {
  return totalPercent(shares) > 100 + tolerance;
}

/** Shares rescaled to add up to exactly 100% (the normalised alternative). */
export function normalise(shares: Shares): Shares {
  const t = totalPercent(shares);
  if (t <= 0) return { ...shares };
  return Object.fromEntries(Object.entries(shares).map(([k, v]) => [k, (v / t) * 100]));
}

/** Amounts (currency) -> percent shares of `budget`. */
export function sharesFromAmounts(amounts: Record<string, number>, budget: number): Shares {
  return Object.fromEntries(Object.entries(amounts).map(([k, v]) => [k, budget > 0 ? (v / budget) * 100 : 0]));
}

/** Percent shares -> amounts of `budget`. */
export function amountsFromShares(shares: Shares, budget: number): Record<string, number> {
  return Object.fromEntries(Object.entries(shares).map(([k, v]) => [k, (v / 100) * budget]));
}

/** Round shares to one decimal for display and for stable request keys. */
export function roundShares(shares: Shares, digits = 2): Shares {
  const f = 10 ** digits;
  return Object.fromEntries(Object.entries(shares).map(([k, v]) => [k, Math.round(v * f) / f]));
}

/**
 * Fixed-total mode: set `channel` to `value` and rebalance the others in proportion to their
 * current shares so that the total stays `total` (100%):
 *   other_i' = other_i * (total - value) / sum(others)
 * `value` is clamped to [0, total]. When the others are all at zero, the rest is split evenly.
 */
export function rebalance(shares: Shares, channel: string, value: number, total = 100): Shares {
  const v = Math.min(Math.max(Number.isFinite(value) ? value : 0, 0), total);
  const others = Object.keys(shares).filter((k) => k !== channel);
  const rest = total - v;
  const sum = others.reduce((s, k) => s + Math.max(shares[k] ?? 0, 0), 0);
  const out: Shares = { [channel]: v };
  for (const k of others) {
    out[k] = sum > 0 ? (Math.max(shares[k] ?? 0, 0) / sum) * rest : others.length ? rest / others.length : 0;
  }
  // Keep the channels' order as it was.
  return Object.fromEntries(Object.keys(shares).map((k) => [k, out[k] ?? 0]));
}

/**
 * Bounds (amounts over the plan) that keep a channel within ±`fraction` of its recent spend:
 * [recent·(1 − f), recent·(1 + f)], the lower end never below zero (Meridian's scenario planner
 * defaults to ±30%).
 */
export function changeLimit(recent: number, fraction: number): { min: number; max: number } {
  const f = Math.max(fraction, 0);
  return { min: Math.max(recent * (1 - f), 0), max: recent * (1 + f) };
}
