import { formatDeltaInterval, formatInterval, formatMetric, formatRelative, type MetricKind, type Units } from "../lib/format";
import { DeltaBadge } from "./Delta";

export interface Interval {
  lo: number;
  hi: number;
}

export interface MetricCardProps {
  title: string;
  /** The metric for the original allocation. */
  original: number | null | undefined;
  /** The metric for the current allocation (sliders). */
  current: number | null | undefined;
  kind: MetricKind;
  units: Units;
  higherIsBetter?: boolean;
  /** Interval of the current value. */
  interval?: Interval | null;
  /** The per-draw delta current - original with its interval (if the API gives it). */
  delta?: number | null;
  deltaInterval?: Interval | null;
  level?: number;
  /** The model's `interval_kind` ("posterior" / "bootstrap"): names the interval. */
  intervalKind?: string | null;
  /** Shown while a newer evaluation is on its way. */
  pending?: boolean;
  /** Explains what the metric is (e.g. "incremental conversions per $"). */
  hint?: string;
}

/**
 * "Original value vs current value" with the change (green / red only where the change's interval
 * excludes zero) and the current value's interval.
 */
export function MetricCard(p: MetricCardProps) {
  const { title, original, current, kind, units, higherIsBetter = true, interval, level = 0.9, pending } = p;
  const raw = p.delta ?? (original != null && current != null ? current - original : null);
  // Differences below a millionth of the value are rounding, not a change.
  const scale = Math.max(Math.abs(original ?? 0), Math.abs(current ?? 0));
  const delta = raw != null && Math.abs(raw) <= 1e-6 * scale ? 0 : raw;
  return (
    <div className="card metric" aria-busy={pending || undefined} data-testid={`metric-${title}`}>
      <div className="row-between">
        <span className="metric-title" title={p.hint}>
          {title}
        </span>
        <DeltaBadge delta={delta} kind={kind} units={units} higherIsBetter={higherIsBetter} interval={p.deltaInterval} relative={delta === 0 || kind === "percent" ? undefined : formatRelative(original, current)} />
      </div>
      <div className="metric-compare">
        <div>
          <span>Original value</span>
          <strong data-testid="metric-original">{formatMetric(original, kind, units)}</strong>
        </div>
        <div>
          <span>Current value</span>
          <strong data-testid="metric-current" style={{ opacity: pending ? 0.6 : 1 }}>
            {formatMetric(current, kind, units)}
          </strong>
        </div>
      </div>
      {interval && <span className="metric-interval">{formatInterval(interval.lo, interval.hi, kind, units, level, p.intervalKind)}</span>}
      {p.deltaInterval && delta !== 0 && (
        <span className="metric-interval">
          change: {formatDeltaInterval(p.deltaInterval.lo, p.deltaInterval.hi, kind, units, level, p.intervalKind)}
        </span>
      )}
    </div>
  );
}
