/**
 * Number formatting for everything a user reads: currency amounts, KPI values in their own unit,
 * percentages, ratios (ROAS), intervals and deltas. One place, so every screen says "$1.2M" and
 * "90% interval" the same way.
 */

export type KpiKind = "revenue" | "conversions";

/** What a number means: its unit decides how it is written. */
export interface Units {
  /** ISO 4217 code of the dataset's spend currency, e.g. "USD". */
  currency: string;
  /** The KPI's name as the user mapped it, e.g. "sales" or "conversions". */
  kpiName: string;
  /** Revenue KPIs are money; conversions are counts. */
  kpiKind: KpiKind;
}

export const DEFAULT_UNITS: Units = { currency: "USD", kpiName: "KPI", kpiKind: "revenue" };

const isBad = (x: number | null | undefined): x is null | undefined =>
  x === null || x === undefined || Number.isNaN(x) || !Number.isFinite(x);

/** Missing or undefined values (a ROAS of zero spend) read as an em dash, never as 0. */
export const MISSING = "—";

/** True when a formatted number shows only zeros ("$0.00", "-0.0%", "0.00x"). */
function showsZero(text: string): boolean {
  return !/[1-9]/.test(text.replace(/[A-Za-z]+$/, ""));
}

/** A value that rounds to zero is written without a sign: never "-$0.00" or "-0.0%". */
function unsigned(x: number, format: (v: number) => string): string {
  const text = format(x);
  return x < 0 && showsZero(text) ? format(0) : text;
}

function digitsFor(abs: number): number {
  if (abs >= 100) return 0;
  if (abs >= 10) return 1;
  return 2;
}

/** "$1.2M", "$850K", "$12.40"; compact above 10,000. */
export function formatCurrency(x: number | null | undefined, currency = "USD", compact = true): string {
  if (isBad(x)) return MISSING;
  if (x < 0) return unsigned(x, (v) => currencyText(v, currency, compact));
  return currencyText(x, currency, compact);
}

function currencyText(x: number, currency: string, compact: boolean): string {
  const abs = Math.abs(x);
  try {
    if (compact && abs >= 10_000) {
      return new Intl.NumberFormat("en-US", {
        style: "currency",
        currency,
        notation: "compact",
        minimumFractionDigits: 0,
        maximumFractionDigits: abs >= 1e6 ? 2 : 1,
      }).format(x);
    }
    const whole = abs >= 100 || x === 0;
    return new Intl.NumberFormat("en-US", {
      style: "currency",
      currency,
      maximumFractionDigits: whole ? 0 : 2,
      minimumFractionDigits: whole ? 0 : 2,
    }).format(x);
  } catch {
    // An unknown currency code: the number with the code after it.
    return `${formatNumber(x)} ${currency}`;
  }
}

/** "1.2M", "850K", "12.4"; compact above 10,000. */
export function formatNumber(x: number | null | undefined, compact = true): string {
  if (isBad(x)) return MISSING;
  if (x < 0) return unsigned(x, (v) => numberText(v, compact));
  return numberText(x, compact);
}

function numberText(x: number, compact: boolean): string {
  const abs = Math.abs(x);
  if (compact && abs >= 10_000) {
    return new Intl.NumberFormat("en-US", {
      notation: "compact",
      maximumFractionDigits: abs >= 1e6 ? 2 : 1,
    }).format(x);
  }
  return new Intl.NumberFormat("en-US", { maximumFractionDigits: digitsFor(abs) }).format(x);
}

/** A fraction as a percentage: 0.553 -> "55.3%". */
export function formatPercent(fraction: number | null | undefined, digits = 1): string {
  if (isBad(fraction)) return MISSING;
  return unsigned(fraction, (v) => `${(v * 100).toFixed(digits)}%`);
}

/** A KPI amount in its own unit: money for revenue KPIs, "1.2K conversions" otherwise. */
export function formatKpi(x: number | null | undefined, units: Units, withName = false): string {
  if (units.kpiKind === "revenue") return formatCurrency(x, units.currency);
  const n = formatNumber(x);
  return withName && n !== MISSING ? `${n} ${units.kpiName}` : n;
}

/** ROAS: KPI value per unit of spend, "2.35x". */
export function formatRatio(x: number | null | undefined): string {
  if (isBad(x)) return MISSING;
  return unsigned(x, (v) => `${v.toFixed(Math.abs(v) >= 10 ? 1 : 2)}x`);
}

export type MetricKind = "currency" | "kpi" | "ratio" | "percent" | "number";

export function formatMetric(x: number | null | undefined, kind: MetricKind, units: Units): string {
  switch (kind) {
    case "currency":
      return formatCurrency(x, units.currency);
    case "kpi":
      return formatKpi(x, units);
    case "ratio":
      return formatRatio(x);
    case "percent":
      return formatPercent(x);
    default:
      return formatNumber(x);
  }
}

/**
 * What an interval is called, from the model summary's `interval_kind`: "90% credible interval"
 * (posterior draws), "90% bootstrap interval" (refits of the chosen ridge model), or "90% interval"
 * when the kind is not known. Every legend, tooltip and interval text uses it.
 */
export function intervalName(level = 0.9, intervalKind?: string | null): string {
  const pct = `${Math.round(level * 100)}%`;
  if (intervalKind === "bootstrap") return `${pct} bootstrap interval`;
  if (intervalKind === "posterior") return `${pct} credible interval`;
  return `${pct} interval`;
}

/** "90% credible interval 1.2M to 1.5M" (see {@link intervalName}). */
export function formatInterval(
  lo: number | null | undefined,
  hi: number | null | undefined,
  kind: MetricKind,
  units: Units,
  level = 0.9,
  intervalKind?: string | null,
): string {
  if (isBad(lo) || isBad(hi)) return "";
  return `${intervalName(level, intervalKind)} ${formatMetric(lo, kind, units)} to ${formatMetric(hi, kind, units)}`;
}

/** A change's interval with signs: "90% interval −$72 to +$11". */
export function formatDeltaInterval(
  lo: number | null | undefined,
  hi: number | null | undefined,
  kind: MetricKind,
  units: Units,
  level = 0.9,
  intervalKind?: string | null,
): string {
  if (isBad(lo) || isBad(hi)) return "";
  return `${intervalName(level, intervalKind)} ${formatDelta(lo, kind, units)} to ${formatDelta(hi, kind, units)}`;
}

/**
 * A signed delta: "+$1.2K", "−$72", "+0.12x"; percentages as percentage points ("+1.5 pp": a
 * change of a rate such as ROI is a difference of percentages, not a relative change). A change
 * that rounds to zero at the shown precision reads "±$0" (never "−$0.00"). Real minus sign.
 */
export function formatDelta(x: number | null | undefined, kind: MetricKind, units: Units): string {
  if (isBad(x)) return MISSING;
  const body = kind === "percent" ? `${(Math.abs(x) * 100).toFixed(1)} pp` : formatMetric(Math.abs(x), kind, units);
  const sign = showsZero(body) ? "±" : x > 0 ? "+" : "−";
  return `${sign}${body}`;
}

/** Relative change original -> current as a signed percentage, "+4.2%". */
export function formatRelative(original: number | null | undefined, current: number | null | undefined): string {
  if (isBad(original) || isBad(current) || original === 0) return MISSING;
  const r = (current - original) / Math.abs(original);
  const sign = r > 0 ? "+" : r < 0 ? "−" : "±";
  return `${sign}${Math.abs(r * 100).toFixed(1)}%`;
}

/** Direction of a change judged by whether more is better for this metric (CPA: less is better). */
export function deltaTone(
  delta: number | null | undefined,
  higherIsBetter: boolean,
  epsilon = 1e-12,
): "good" | "bad" | "neutral" {
  if (isBad(delta) || Math.abs(delta) <= epsilon) return "neutral";
  return delta > 0 === higherIsBetter ? "good" : "bad";
}

export type ChangeTone = "good" | "bad" | "uncertain" | "neutral";

/**
 * How to show a change with its interval [lo, hi]: judged (green / red, with an arrow) only
 * where the interval excludes zero (lo > 0 or hi < 0); "uncertain" (neutral, no arrow) where it
 * contains zero. Without an interval the change is exact (spend the user set) and judged by its
 * sign. "neutral": no change at all.
 */
export function changeTone(
  delta: number | null | undefined,
  higherIsBetter: boolean,
  interval?: { lo: number | null | undefined; hi: number | null | undefined } | null,
): ChangeTone {
  const judged = deltaTone(delta, higherIsBetter);
  if (judged === "neutral" || !interval) return judged;
  const { lo, hi } = interval;
  if (isBad(lo) || isBad(hi)) return "uncertain";
  return lo > 0 || hi < 0 ? judged : "uncertain";
}

export type PeriodUnit = "week" | "day" | "period";

/** The unit of one period, from the data's dates: "week" or "day" (else "period"). */
export function periodUnit(start: string | null | undefined, end: string | null | undefined, n: number | null | undefined): PeriodUnit {
  if (!start || !end || !n || n < 2) return "period";
  const days = (Date.parse(end) - Date.parse(start)) / 86_400_000 / (n - 1);
  if (!Number.isFinite(days)) return "period";
  if (days >= 5 && days <= 9) return "week";
  if (days >= 0.5 && days <= 1.5) return "day";
  return "period";
}

/** "13 weeks", "1 day", "90 days". */
export function formatPeriods(n: number, unit: PeriodUnit): string {
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

/** "2024-01-07" -> "Jan 7, 2024". Leaves anything unparseable as it is. */
export function formatDate(iso: string): string {
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
}

/** Seconds as "45 s", "3 min 5 s", "1 h 2 min". */
export function formatDuration(seconds: number | null | undefined): string {
  if (isBad(seconds) || seconds < 0) return MISSING;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** snake_case / kebab column names as labels: "paid_search" -> "Paid search". */
export function humanize(name: string): string {
  const s = name.replace(/[_-]+/g, " ").trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}
