import type { Flight } from "../components/charts/options";

/**
 * Flights of one channel: maximal runs of consecutive periods with spend > 0.
 * `end` is the last period with spend (inclusive). Missing spend (null) breaks a run; it is not
 * read as zero spend or as spend.
 */
export function flightsFromSpend(dates: readonly string[], spend: readonly (number | null)[]): Flight[] {
  const out: Flight[] = [];
  let start = -1;
  let total = 0;
  for (let i = 0; i <= dates.length; i++) {
    const v = i < dates.length ? spend[i] : null;
    const on = v != null && v > 0;
    if (on) {
      if (start < 0) {
        start = i;
        total = 0;
      }
      total += v as number;
    } else if (start >= 0) {
      out.push({ start: dates[start], end: dates[i - 1], spend: total });
      start = -1;
    }
  }
  return out;
}
