import type { Recommendation } from "../api/hooks/planning";

/**
 * What "Take Action" does with a recommendation: the slider shares it implies, starting from the
 * original (recent) shares. `reallocate` moves `shift` of the source channel's share to the
 * destination; `waste` lowers the channel to its saturation point (the rest stays unspent).
 * Shares are fractions (0.25 = 25%).
 */
export function applyRecommendation(rec: Recommendation, original: Record<string, number>): Record<string, number> | null {
  const out = { ...original };
  const d = rec.details as Record<string, unknown>;
  if (rec.kind === "reallocate" && rec.channels.length === 2) {
    const [src, dst] = rec.channels;
    const shift = Number(d.shift ?? 0.1);
    if (!(src in out) || !(dst in out)) return null;
    const moved = out[src] * shift;
    out[src] -= moved;
    out[dst] += moved;
    return out;
  }
  if (rec.kind === "waste" && rec.channels.length === 1) {
    const ch = rec.channels[0];
    const cur = Number(d.current_spend);
    const sat = Number((d.saturation_spend as { mean?: number } | undefined)?.mean);
    if (!(ch in out) || !(cur > 0) || !(sat >= 0)) return null;
    out[ch] = out[ch] * Math.min(1, sat / cur);
    return out;
  }
  return null;
}
