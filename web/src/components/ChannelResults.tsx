import type { SharesOut } from "../api/hooks/planning";
import { formatCurrency, formatDeltaInterval, formatInterval, formatMetric, type Units } from "../lib/format";
import { Chart } from "./charts/Chart";
import { spendComparison } from "./charts/effects";
import { DeltaBadge } from "./Delta";

/**
 * Per-channel results of a split (Meridian's scenario planner): current vs proposed spend bars,
 * and per channel its incremental KPI with the change (judged only where the change's interval
 * excludes zero), ROAS (or CPA) and marginal ROAS of the proposed split with their intervals.
 */
export function ChannelResults({ ev, units, intervalKind }: { ev: SharesOut; units: Units; intervalKind?: string }) {
  const level = ev.interval_level ?? 0.9;
  const rows = ev.channels ?? [];
  if (rows.length === 0) return null;
  const conv = units.kpiKind === "conversions";
  const iv = (lo: number | null | undefined, hi: number | null | undefined, kind: "kpi" | "ratio" | "currency" | "number") => formatInterval(lo, hi, kind, units, level, intervalKind);
  return (
    <div className="stack">
      <Chart
        option={spendComparison({ names: rows.map((r) => r.channel), current: rows.map((r) => r.original_spend), proposed: rows.map((r) => r.proposed_spend), proposedName: "Proposed spend", units })}
        height={Math.max(180, 44 * rows.length + 60)}
        ariaLabel="Original and proposed spend per channel"
        testId="channel-spend-bars"
        exportAs={{
          name: "split per channel",
          rows: () => [
            ["channel", "original_spend", "proposed_spend", "media_kpi_original_mean", "media_kpi_proposed_mean", "media_kpi_proposed_lo", "media_kpi_proposed_hi", "media_kpi_delta_mean", "media_kpi_delta_lo", "media_kpi_delta_hi", "mroas_proposed_mean", "mroas_proposed_lo", "mroas_proposed_hi"],
            ...rows.map((r) => [r.channel, r.original_spend, r.proposed_spend, r.media_kpi.original_mean, r.media_kpi.proposed_mean, r.media_kpi.proposed_lo, r.media_kpi.proposed_hi, r.media_kpi.delta_mean, r.media_kpi.delta_lo, r.media_kpi.delta_hi, r.mroas?.proposed_mean, r.mroas?.proposed_lo, r.mroas?.proposed_hi]),
          ],
        }}
      />
      <div className="table-wrap">
        <table className="table" aria-label="Results per channel" data-testid="channel-results">
          <thead>
            <tr>
              <th>Channel</th>
              <th className="num">Spend: original → proposed</th>
              <th className="num">Incremental {units.kpiName}</th>
              <th className="num">{conv ? "CPA" : "ROAS"}</th>
              <th className="num">Marginal ROAS</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const eff = conv ? r.cpa : r.roas;
              return (
                <tr key={r.channel}>
                  <td>{r.channel}</td>
                  <td className="num">
                    {formatCurrency(r.original_spend, units.currency)} → <strong>{formatCurrency(r.proposed_spend, units.currency)}</strong>
                  </td>
                  <td className="num">
                    <strong>{formatMetric(r.media_kpi.proposed_mean, "kpi", units)}</strong>{" "}
                    <DeltaBadge delta={r.media_kpi.delta_mean} kind="kpi" units={units} interval={{ lo: r.media_kpi.delta_lo, hi: r.media_kpi.delta_hi }} scale={r.media_kpi.original_mean} />
                    {Math.abs(r.proposed_spend - r.original_spend) > 1e-6 * Math.max(r.original_spend, 1) && (
                      <div className="muted small">change: {formatDeltaInterval(r.media_kpi.delta_lo, r.media_kpi.delta_hi, "kpi", units, level, intervalKind)}</div>
                    )}
                  </td>
                  <td className="num">
                    <strong>{formatMetric(eff?.proposed_mean, conv ? "currency" : "ratio", units)}</strong>
                    <div className="muted small">{iv(eff?.proposed_lo, eff?.proposed_hi, conv ? "currency" : "ratio")}</div>
                  </td>
                  <td className="num">
                    <strong>{formatMetric(r.mroas?.proposed_mean, "ratio", units)}</strong>
                    <div className="muted small">{iv(r.mroas?.proposed_lo, r.mroas?.proposed_hi, "ratio")}</div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
