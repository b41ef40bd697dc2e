import { deltaTone, formatDelta, type MetricKind, type Units } from "../lib/format";

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
}

/** Green when the change is good for this metric, red when bad (CPA: lower is good). */
export function DeltaBadge({ delta: raw, kind, units, higherIsBetter = true, relative, scale, neutral }: DeltaBadgeProps) {
  const delta = raw != null && scale != null && Math.abs(raw) <= 1e-6 * Math.abs(scale) ? 0 : raw;
  const judged = deltaTone(delta, higherIsBetter);
  const tone = neutral && judged !== "neutral" ? "move" : judged;
  const arrow = judged === "neutral" ? "" : (delta ?? 0) > 0 ? "▲" : "▼";
  return (
    <span className={`delta delta-${tone}`} data-tone={tone}>
      {arrow && <span aria-hidden>{arrow}</span>}
      {formatDelta(delta, kind, units)}
      {relative && relative !== "—" && <span style={{ fontWeight: 500 }}>({relative})</span>}
    </span>
  );
}
