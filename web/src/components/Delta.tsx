import { changeTone, formatDelta, type MetricKind, type Units } from "../lib/format";

export interface DeltaBadgeProps {
  delta: number | null | undefined;
  kind: MetricKind;
  units: Units;
  higherIsBetter?: boolean;
  /** Relative change to show after the absolute one, e.g. "+4.2%". */
  relative?: string;
  /** The size of the values compared: a change below a millionth of it is rounding, shown as ±0. */
  scale?: number | null;
  /** A change that is neither good nor bad in itself (moving spend between channels). */
  neutral?: boolean;
  /** The change's interval: green / red and an arrow only where it excludes zero. */
  interval?: { lo: number | null | undefined; hi: number | null | undefined } | null;
}

function roundsToZero(x: number | null | undefined, kind: MetricKind, units: Units): boolean {
  return x != null && Number.isFinite(x) && formatDelta(x, kind, units).startsWith("±");
}

/**
 * Green with ▲/▼ when the change is good for this metric, red when bad (CPA: lower is good),
 * but only where its interval excludes zero; otherwise neutral and marked "uncertain".
 */
export function DeltaBadge({ delta: raw, kind, units, higherIsBetter = true, relative, scale, neutral, interval }: DeltaBadgeProps) {
  const delta = raw != null && scale != null && Math.abs(raw) <= 1e-6 * Math.abs(scale) ? 0 : raw;
  // Judge the interval as the user reads it: a bound that rounds to zero ("±0.00x") touches zero.
  const shown = interval && { lo: roundsToZero(interval.lo, kind, units) ? 0 : interval.lo, hi: roundsToZero(interval.hi, kind, units) ? 0 : interval.hi };
  const judged = changeTone(delta, higherIsBetter, shown);
  const tone = neutral && (judged === "good" || judged === "bad") ? "move" : judged;
  const arrow = judged === "good" || judged === "bad" ? ((delta ?? 0) > 0 ? "▲" : "▼") : "";
  return (
    <span className={`delta delta-${tone === "uncertain" ? "neutral" : tone}`} data-tone={tone}>
      {arrow && <span aria-hidden>{arrow}</span>}
      {formatDelta(delta, kind, units)}
      {relative && relative !== "—" && <span style={{ fontWeight: 500 }}>({relative})</span>}
      {judged === "uncertain" && <span style={{ fontWeight: 500 }}>· uncertain</span>}
    </span>
  );
}
