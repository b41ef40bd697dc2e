import { formatCurrency, formatInterval, formatPercent, formatPeriods, formatRatio, type PeriodUnit, type Units } from "./format";
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

/**
 * A recommendation in the dashboard's formats (currency on every amount, periods with their
 * unit, ratios as "0.72x"), built from its details rather than the server's plain-text message
 * (which is written for the terminal, with bare numbers).
 */
export function recommendationText(rec: Recommendation, units: Units, unit: PeriodUnit, intervalKind?: string | null, level = 0.9): string {
  const per = unit === "period" ? "per period" : `per ${unit}`;
  const money = (x: number | null | undefined) => formatCurrency(x, units.currency);
  if (rec.kind === "reallocate" && rec.channels.length === 2) {
    const [src, dst] = rec.channels;
    const d = rec.details;
    return `Move ${formatPercent(d.shift, 0)} of ${src}'s budget (${money(d.amount)} over ${formatPeriods(d.periods, unit)}) to ${dst}`;
  }
  if (rec.kind === "waste" || rec.kind === "saturation") {
    const d = rec.details;
    const name = rec.channels[0];
    const sat = d.saturation_spend;
    const satText = `${money(sat.mean)} ${per} (${formatInterval(sat.lo, sat.hi, "currency", units, level, intervalKind)})`;
    if (rec.kind === "saturation") return `${name}: saturation point ${satText}; current spend ${money(d.current_spend)} ${per}.`;
    const where = sat.hi === 0 ? "even its first units return less than they cost" : `it spends past its saturation point of ${satText}`;
    return `${name}: marginal ROAS ${formatRatio(d.mroas.mean)} (${formatInterval(d.mroas.lo, d.mroas.hi, "ratio", units, level, intervalKind)}) is below ${formatRatio(d.threshold)} at its current ${money(d.current_spend)} ${per}; ${where}.`;
  }
  return rec.message;
}
