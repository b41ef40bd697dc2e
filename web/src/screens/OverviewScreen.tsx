import { BenchmarksCard } from "./BenchmarksCard";
import { useMemo, useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { useDecomposition, useDecompositionWindow, type Decomposition, type Interval, type Summary } from "../api/hooks/models";
import { useRecommendations, type Recommendation } from "../api/hooks/planning";
import { ModelTrustBanner } from "../components/ModelTrustBanner";
import { Card } from "../components/Card";
import { DateRange } from "../components/DateRange";
import { Chart } from "../components/charts/Chart";
import { barsWithIntervals, sankey } from "../components/charts/options";
import { EmptyState, ErrorState, Loading } from "../components/States";
import { channelColorMap } from "../lib/colors";
import { formatDate, formatDelta, formatInterval, formatMetric, formatPercent, intervalName, type MetricKind, type PeriodUnit, type Units } from "../lib/format";
import { recommendationText } from "../lib/recommendations";
import { useCurrentModel, useIntervalKind } from "../lib/useCurrentModel";
import { NoModel } from "./NoModel";
import { ReviewBadge } from "../components/ReviewBadge";
import { SYNERGY_COLOR, SynergiesCard } from "../components/SynergiesCard";

type MetricId = "contribution" | "roas" | "cpa" | "spend_share";

interface MetricDef {
  id: MetricId;
  label: string;
  kind: MetricKind;
  axis: string;
  value: (c: ChannelFigures, totalSpend: number) => { value: number | null; lo?: number | null; hi?: number | null };
}

/** What the overview shows of a channel: over the fitted periods (the summary) or a window. */
interface ChannelFigures {
  spend: number;
  contribution: Interval;
  share: Interval;
  roas: Interval;
  cpa?: Interval | null;
}

/** Per channel figures and the baseline's share over a window, from the windowed decomposition. */
export function windowFigures(dec: Decomposition): { channels: Record<string, ChannelFigures>; baselineShare: number | null } {
  const nan: Interval = { mean: null, lo: null, hi: null };
  const channels: Record<string, ChannelFigures> = {};
  let base = 0;
  for (const it of dec.items) {
    if (it.kind === "channel") channels[it.name] = { spend: it.spend ?? 0, contribution: it.total, share: it.share, roas: it.roas ?? nan, cpa: it.cpa ?? null };
    else base += it.share.mean ?? 0;
  }
  return { channels, baselineShare: base };
}

function metricDefs(units: Units): MetricDef[] {
  const conv = units.kpiKind === "conversions";
  return [
    { id: "contribution", label: `Contribution (incremental ${units.kpiName})`, kind: "kpi", axis: `Incremental ${units.kpiName}`, value: (c) => ({ value: c.contribution.mean, lo: c.contribution.lo, hi: c.contribution.hi }) },
    {
      id: "roas",
      label: conv ? `ROAS (${units.kpiName} per ${units.currency})` : "ROAS (return on ad spend)",
      kind: conv ? "number" : "ratio",
      axis: "ROAS",
      value: (c) => ({ value: c.roas.mean, lo: c.roas.lo, hi: c.roas.hi }),
    },
    { id: "cpa", label: "CPA (cost per acquisition)", kind: "currency", axis: "CPA", value: (c) => ({ value: c.cpa?.mean ?? null, lo: c.cpa?.lo, hi: c.cpa?.hi }) },
    { id: "spend_share", label: "Spend share", kind: "percent", axis: "Share of spend", value: (c, total) => ({ value: total > 0 ? c.spend / total : null }) },
  ];
}

export function OverviewScreen() {
  const cm = useCurrentModel();
  const [metric, setMetric] = useState<MetricId>("contribution");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  if (!cm.model) return <NoModel title="Media Channels Overview" pending={cm.isPending} error={cm.error} models={cm.models} />;
  const s = cm.summary;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Media Channels Overview <ReviewBadge summary={s.data} /></h1>
          <p>
            What each channel added to {cm.units.kpiName} from {s.data ? `${from || s.data.periods.start} to ${to || s.data.periods.end}` : "…"}, according to the model, with {s.data ? `${intervalName(s.data.interval, s.data.interval_kind)}s` : "intervals"}.
          </p>
          {s.data && <DateRange first={s.data.periods.start} last={s.data.periods.end} from={from} to={to} setFrom={setFrom} setTo={setTo} label="Dates shown" />}
        </div>
        <label className="field">
          <span>Select Metric</span>
          <select className="select" value={metric} onChange={(e) => setMetric(e.target.value as MetricId)} aria-label="Select Metric" data-testid="metric-select">
            {metricDefs(cm.units).map((m) => (
              <option key={m.id} value={m.id} disabled={m.id === "cpa" && cm.units.kpiKind !== "conversions"}>
                {m.label}
                {m.id === "cpa" && cm.units.kpiKind !== "conversions" ? " — for conversion KPIs" : ""}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ModelTrustBanner modelId={cm.modelId} />
      {s.isPending ? <Loading what="Loading the model's summary" /> : s.isError ? <ErrorState error={s.error} onRetry={() => s.refetch()} /> : <OverviewBody summary={s.data} metric={metric} units={cm.units} unit={cm.periodUnit} modelId={cm.modelId!} from={from} to={to} />}
    </>
  );
}

function OverviewBody({ summary, metric, units, unit, modelId, from, to }: { summary: Summary; metric: MetricId; units: Units; unit: PeriodUnit; modelId: string; from: string; to: string }) {
  const windowed = !!(from || to);
  const win = useDecompositionWindow(modelId, from, to);
  const channels = Object.keys(summary.channels);
  const colors = channelColorMap(channels);
  const def = metricDefs(units).find((d) => d.id === metric)!;
  const figures = useMemo(
    () => (windowed && win.data ? windowFigures(win.data) : { channels: summary.channels as Record<string, ChannelFigures>, baselineShare: summary.baseline.share.mean ?? null }),
    [windowed, win.data, summary],
  );
  const known = channels.filter((c) => figures.channels[c]);
  const totalSpend = known.reduce((s, c) => s + figures.channels[c].spend, 0);
  const rows = known.map((c) => ({ name: c, ...def.value(figures.channels[c], totalSpend), share: figures.channels[c].share }));
  const option = useMemo(
    () => barsWithIntervals({ items: rows.map((r) => ({ name: r.name, value: r.value, lo: r.lo, hi: r.hi, color: colors[r.name] })), kind: def.kind, units, valueName: def.axis, level: summary.interval, intervalKind: summary.interval_kind }),
    [figures, metric, units],
  );
  if (windowed && win.isPending) return <Loading what="Computing the figures for these dates" />;
  if (windowed && win.isError) return <ErrorState error={win.error} onRetry={() => win.refetch()} />;
  const period = windowed && win.data ? `from ${formatDate(win.data.dates[0])} to ${formatDate(win.data.dates[win.data.dates.length - 1])} (${win.data.dates.length} ${unit}s)` : "over the fitted period";
  return (
    <div className="grid">
      <div className="grid grid-main-side">
        <Card title={def.label} subtitle={def.id === "spend_share" ? `Share of total spend ${period} (data, not a model estimate).` : `${period[0].toUpperCase()}${period.slice(1)}${windowed ? ", carry-over of spend before the window included" : ""}. Bars: ${summary.interval_kind === "bootstrap" ? "mean of the bootstrap refits" : "posterior mean"}. Whiskers: the ${intervalName(summary.interval, summary.interval_kind)}.`}>
          <Chart option={option} height={340} ariaLabel={`${def.label} by channel`} testId="overview-bars" exportAs={{ name: `${def.axis} by channel`, rows: () => [["channel", `${def.id}_mean`, `${def.id}_lo`, `${def.id}_hi`], ...rows.map((r) => [r.name, r.value, r.lo, r.hi])] }} />
        </Card>
        <Card title="Value by channel" subtitle={`Share of ${units.kpiName} each channel drove, and the selected metric.`}>
          <div className="table-wrap">
            <table className="table" aria-label="Value by channel" data-testid="value-table">
              <thead>
                <tr>
                  <th>Channel</th>
                  <th className="num">Contribution</th>
                  {def.id !== "contribution" && <th className="num">{def.axis}</th>}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.name}>
                    <td>
                      <span className="slider-swatch" style={{ background: colors[r.name], display: "inline-block", marginRight: 8 }} />
                      {r.name}
                    </td>
                    <td className="num">
                      <strong>{formatPercent(r.share.mean)}</strong> of {units.kpiName}
                      <div className="muted small">{formatInterval(r.share.lo, r.share.hi, "percent", units, summary.interval, summary.interval_kind)}</div>
                    </td>
                    {def.id !== "contribution" && (
                      <td className="num">
                        <strong>{formatMetric(r.value, def.kind, units)}</strong>
                        {r.lo != null && <div className="muted small">{formatInterval(r.lo, r.hi, def.kind, units, summary.interval, summary.interval_kind)}</div>}
                      </td>
                    )}
                  </tr>
                ))}
                <tr>
                  <td className="muted">Baseline (non-media)</td>
                  <td className="num muted">
                    {formatPercent(figures.baselineShare)} of {units.kpiName}
                  </td>
                  {def.id !== "contribution" && <td />}
                </tr>
              </tbody>
            </table>
          </div>
        </Card>
      </div>
      <div className="grid grid-main-side">
        <JourneyCard modelId={modelId} units={units} colors={colors} />
        <RecommendedActions modelId={modelId} units={units} unit={unit} />
      </div>
      <SynergiesCard summary={summary} units={units} />
      <BenchmarksCard modelId={modelId} units={units} />
      <Card title="Not shown without data" subtitle="The sketches also had these; mixwise shows them only when a model and data stand behind them.">
        <ul className="small muted" style={{ margin: 0, paddingLeft: 18 }}>
          <li>
            <strong>Customer journey paths</strong>: the flow below is sized by the model's contributions, not by user paths. Paths need user-level touchpoint data (see Attribution Model
            Comparison).
          </li>
        </ul>
      </Card>
    </div>
  );
}

function JourneyCard({ modelId, units, colors }: { modelId: string; units: Units; colors: Record<string, string> }) {
  const dec = useDecomposition(modelId);
  const option = useMemo(() => {
    if (!dec.data) return null;
    const chans = dec.data.items.filter((i) => i.kind !== "baseline"); // channels and synergy pairs ("A + B")
    const base = dec.data.items.filter((i) => i.kind === "baseline").reduce((s, i) => s + (i.total.mean ?? 0), 0);
    return sankey({ flows: chans.map((c) => ({ name: c.name, value: c.total.mean ?? 0, color: colors[c.name] ?? (c.kind === "synergy" ? SYNERGY_COLOR : "#2563eb") })), target: units.kpiName, baseline: base, units });
  }, [dec.data, units, colors]);
  return (
    <Card title="Channels → KPI" subtitle={`Flows sized by each channel's contribution to ${units.kpiName} (and the baseline), over the fitted period.`}>
      {dec.isPending ? <Loading what="Loading the decomposition" height={300} /> : dec.isError ? <ErrorState error={dec.error} /> : option && (
        <Chart
          option={option}
          height={380}
          ariaLabel="Sankey diagram from channels to the KPI"
          testId="overview-sankey"
          exportAs={{ name: "channels to KPI", rows: () => [["part", "kind", "contribution_mean", "contribution_lo", "contribution_hi"], ...(dec.data?.items ?? []).map((i) => [i.name, i.kind, i.total.mean, i.total.lo, i.total.hi])] }}
        />
      )}
    </Card>
  );
}

function RecommendedActions({ modelId, units, unit }: { modelId: string; units: Units; unit: PeriodUnit }) {
  const recs = useRecommendations(modelId);
  const intervalKind = useIntervalKind(modelId);
  const navigate = useNavigate();
  const items = recs.data?.items ?? [];
  const actionable = items.map((r, i) => ({ r, i })).filter(({ r }) => r.kind === "reallocate" || r.kind === "waste");
  const saturation = items.filter((r) => r.kind === "saturation");
  return (
    <Card title="Recommended actions" subtitle="Derived from the model's draws; each shows its interval." testId="recommended-actions">
      {recs.isPending ? (
        <Loading what="Working out recommendations" />
      ) : recs.isError ? (
        <ErrorState error={recs.error} onRetry={() => recs.refetch()} />
      ) : actionable.length === 0 && saturation.length === 0 ? (
        <EmptyState title="No clear move">No reallocation improves {units.kpiName} with its whole interval above zero, and no channel spends past its saturation point.</EmptyState>
      ) : (
        <div>
          {actionable.length === 0 && <p className="muted small">No reallocation improves {units.kpiName} with its whole interval above zero.</p>}
          {actionable.slice(0, 3).map(({ r, i }) => (
            <RecoItem key={i} rec={r} units={units} unit={unit} intervalKind={intervalKind} onAction={() => navigate(`/allocation?rec=${i}`)} />
          ))}
          {actionable.length > 3 && (
            <details className="mt">
              <summary className="small" style={{ cursor: "pointer" }}>
                {actionable.length - 3} more recommended action{actionable.length - 3 === 1 ? "" : "s"}
              </summary>
              {actionable.slice(3).map(({ r, i }) => (
                <RecoItem key={i} rec={r} units={units} unit={unit} intervalKind={intervalKind} onAction={() => navigate(`/allocation?rec=${i}`)} />
              ))}
            </details>
          )}
          {saturation.length > 0 && (
            <details className="mt">
              <summary className="small" style={{ cursor: "pointer" }}>
                Saturation points ({saturation.length} channels)
              </summary>
              <ul className="small muted" style={{ paddingLeft: 18 }}>
                {saturation.map((r, i) => (
                  <li key={i}>{recommendationText(r, units, unit, intervalKind)}</li>
                ))}
              </ul>
              <Link to="/optimizer" className="small">
                See the response curves →
              </Link>
            </details>
          )}
        </div>
      )}
    </Card>
  );
}

function RecoItem({ rec, units, unit, intervalKind, onAction }: { rec: Recommendation; units: Units; unit: PeriodUnit; intervalKind?: string; onAction: () => void }) {
  const icon = rec.kind === "reallocate" ? "⇄" : "⚠";
  const prob = rec.kind === "reallocate" ? rec.details.probability_positive : null;
  return (
    <div className="reco" data-testid="recommendation">
      <div className="reco-icon" aria-hidden>
        {icon}
      </div>
      <div className="reco-body">
        <strong style={{ color: "var(--c-ink)" }}>{recommendationText(rec, units, unit, intervalKind)}</strong>
        <p>
          {rec.kind === "reallocate"
            ? `Expected change ${formatDelta(rec.estimate.mean, "kpi", units)} (${formatInterval(rec.estimate.lo, rec.estimate.hi, "kpi", units, 0.9, intervalKind)})${prob != null ? `; better in ${formatPercent(prob, 0)} of draws` : ""}.`
            : "Spending less here loses little; the budget can go where it returns more."}
        </p>
      </div>
      <button type="button" className="btn btn-sm btn-dark" onClick={onAction}>
        Take Action
      </button>
    </div>
  );
}
