import type { Recommendation } from "../api/hooks/planning";

/**
 * What "Take Action" does with a recommendation: the slider shares it implies, starting from the
 * original (recent) shares. `reallocate` moves `shift` of the source channel's share to the
 * destination; `waste` lowers the channel to its saturation point (the rest stays unspent).
 * Shares are fractions (0.25 = 25%).
 */
export function applyRecommendation(rec: Recommendation, original: Record<string, number>): Record<string, number> | null {
  const out = { ...original };
  if (rec.kind === "reallocate" && rec.channels.length === 2) {
    const [src, dst] = rec.channels;
    const shift = rec.details.shift;
    if (!(src in out) || !(dst in out)) return null;
    const moved = out[src] * shift;
    out[src] -= moved;
    out[dst] += moved;
    return out;
  }
  if (rec.kind === "waste" && rec.channels.length === 1) {
    const ch = rec.channels[0];
    const cur = rec.details.current_spend;
    const sat = rec.details.saturation_spend.mean;
    if (!(ch in out) || !(cur > 0) || sat == null || sat < 0) return null;
    out[ch] = out[ch] * Math.min(1, sat / cur);
    return out;
  }
  return null;
}
