import { useMemo, useState } from "react";
import { Link } from "react-router-dom";
import { useResponseCurves, type Curves } from "../api/hooks/models";
import { useCompare, useDeleteScenario, useEvaluateShares, useFrontier, useOptimize, useSaveScenario, useScenarios, type OptimizeIn, type OptimizeOut, type SharesOut } from "../api/hooks/planning";
import { Card } from "../components/Card";
import { Chart } from "../components/charts/Chart";
import { frontier, responseCurve } from "../components/charts/options";
import { spendComparison } from "../components/charts/effects";
import { DeltaBadge } from "../components/Delta";
import { changeLimit } from "../lib/allocation";
import { ModelTrustBanner } from "../components/ModelTrustBanner";

import { EmptyState, ErrorState, Loading } from "../components/States";
import { channelColorMap } from "../lib/colors";
import { formatCurrency, formatDate, formatDelta, formatPeriods, type PeriodUnit, formatDeltaInterval, formatInterval, formatKpi, formatMetric, formatRatio, formatPercent, humanize, type Units } from "../lib/format";
import { useCurrentModel, useIntervalKind } from "../lib/useCurrentModel";
import { NoModel } from "./NoModel";
import { ReviewBadge } from "../components/ReviewBadge";

export function OptimizerScreen() {
  const cm = useCurrentModel();
  const [optimal, setOptimal] = useState<OptimizeOut | null>(null);
  if (!cm.model) return <NoModel title="Response Curves & Optimizer" pending={cm.isPending} error={cm.error} models={cm.models} />;
  if (cm.summary.isPending) return <Loading what="Loading the model" />;
  if (cm.summary.isError) return <ErrorState error={cm.summary.error} />;
  const channels = Object.keys(cm.summary.data.channels);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Response Curves &amp; Optimizer <ReviewBadge summary={cm.summary.data} /></h1>
          <p>How each channel's {cm.units.kpiName} responds to spend, where it saturates, and the split of a budget that the model expects to return the most.</p>
        </div>
      </div>
      <ModelTrustBanner modelId={cm.modelId} />
      <div className="grid">
        <CurvesCard modelId={cm.modelId!} channels={channels} units={cm.units} unit={cm.periodUnit} optimal={optimal} />
        <div className="grid grid-main-side">
          <OptimizerCard modelId={cm.modelId!} channels={channels} units={cm.units} unit={cm.periodUnit} onResult={setOptimal} result={optimal} />
          <FrontierCard modelId={cm.modelId!} units={cm.units} channels={channels} unit={cm.periodUnit} />
        </div>
        <ScenariosCard modelId={cm.modelId!} units={cm.units} />
      </div>
    </>
  );
}

function CurvesCard({ modelId, channels, units, unit, optimal }: { modelId: string; channels: string[]; units: Units; unit: PeriodUnit; optimal: OptimizeOut | null }) {
  const curves = useResponseCurves(modelId);
  const intervalKind = useIntervalKind(modelId);
  const colors = channelColorMap(channels);
  const periods = optimal?.plan.periods ?? 13;
  return (
    <Card
      title="Response curves"
      subtitle={`Steady-state incremental ${units.kpiName} per ${unit} against spend per ${unit}, 0 to 3× the recent level. ● current spend · ◆ optimal (after you run the optimizer) · ▲ saturation point, where the next ${units.currency} returns less than ${curves.data?.threshold ?? 1}.`}
    >
      {curves.isPending ? (
        <Loading what="Computing response curves" height={300} />
      ) : curves.isError ? (
        <ErrorState error={curves.error} onRetry={() => curves.refetch()} />
      ) : (
        <div className="grid grid-3">
          {curves.data.channels.map((c) => (
            <CurveChart key={c.channel} c={c} color={colors[c.channel]} units={units} unit={unit} intervalKind={intervalKind} optimalPerPeriod={optimalSpend(optimal, c.channel, periods)} />
          ))}
        </div>
      )}
    </Card>
  );
}

function optimalSpend(opt: OptimizeOut | null, channel: string, periods: number): number | null {
  if (!opt) return null;
  const a = opt.plan.allocation[channel];
  return a == null ? null : a / periods;
}

/** Linear interpolation of the mean curve at spend x. */
function kpiAt(c: Curves["channels"][number], x: number): number {
  const pts = c.points;
  for (let i = 1; i < pts.length; i++) {
    if (pts[i].spend >= x) {
      const a = pts[i - 1];
      const b = pts[i];
      const t = b.spend > a.spend ? (x - a.spend) / (b.spend - a.spend) : 0;
      return (a.kpi.mean ?? 0) + t * ((b.kpi.mean ?? 0) - (a.kpi.mean ?? 0));
    }
  }
  return pts[pts.length - 1]?.kpi.mean ?? 0;
}

function CurveChart({ c, color, units, unit, intervalKind, optimalPerPeriod }: { c: Curves["channels"][number]; color: string; units: Units; unit: PeriodUnit; intervalKind?: string; optimalPerPeriod: number | null }) {
  const mk = c.markers;
  const option = useMemo(() => {
    const spend = c.points.map((p) => p.spend);
    const sat = mk.saturation_mean ?? null;
    return responseCurve({
      channel: c.channel,
      spend,
      mean: c.points.map((p) => p.kpi.mean ?? 0),
      lo: c.points.map((p) => p.kpi.lo ?? 0),
      hi: c.points.map((p) => p.kpi.hi ?? 0),
      color,
      current: mk.current_spend != null ? { spend: mk.current_spend, kpi: mk.current_kpi_mean ?? kpiAt(c, mk.current_spend) } : null,
      optimal: optimalPerPeriod != null ? { spend: optimalPerPeriod, kpi: kpiAt(c, optimalPerPeriod) } : null,
      saturation: sat != null && sat <= spend[spend.length - 1] ? { spend: sat, kpi: kpiAt(c, sat) } : null,
      units,
      spendLabel: `per ${unit}`,
      intervalKind,
    });
  }, [c, color, units, unit, optimalPerPeriod, intervalKind]);
  const head = mk.headroom_mean;
  return (
    <div className="card" style={{ padding: 14 }} data-testid="response-curve">
      <div className="row-between">
        <h3>{c.channel}</h3>
        {mk.current_mroas_mean != null && <span className="badge">mROAS now {formatMetric(mk.current_mroas_mean, "ratio", units)}</span>}
      </div>
      <Chart option={option} height={230} ariaLabel={`Response curve of ${c.channel}`} exportAs={{ name: `response curve ${c.channel}`, rows: () => [[`spend_per_${unit}`, "kpi_mean", "kpi_lo", "kpi_hi"], ...c.points.map((p) => [p.spend, p.kpi.mean, p.kpi.lo, p.kpi.hi])] }} />
      <p className="muted small">
        {mk.saturation_mean != null
          ? `Saturation ${formatCurrency(mk.saturation_mean, units.currency)} per ${unit} (${formatInterval(mk.saturation_lo, mk.saturation_hi, "currency", units, 0.9, intervalKind)}); ${
              head != null ? (head >= 0 ? `${formatCurrency(head, units.currency)} of headroom.` : `spends ${formatCurrency(-head, units.currency)} past it.`) : ""
            }`
          : "No saturation point within the range shown."}
      </p>
    </div>
  );
}

interface Constraint {
  min: string;
  max: string;
  locked: boolean;
}

const OBJECTIVES = [
  { id: "kpi", label: "Most KPI for the budget", needsTarget: false },
  { id: "profit", label: "Most profit (revenue − spend), up to the budget", needsTarget: false },
  { id: "roas_target", label: "Largest budget keeping ROAS ≥ target", needsTarget: true },
  { id: "cpa_target", label: "Largest budget keeping CPA ≤ target", needsTarget: true },
  { id: "kpi_target", label: "Least spend reaching a KPI target", needsTarget: true },
] as const;

function OptimizerCard({ modelId, channels, units, unit, onResult, result }: { modelId: string; channels: string[]; units: Units; unit: PeriodUnit; onResult: (r: OptimizeOut | null) => void; result: OptimizeOut | null }) {
  const [objective, setObjective] = useState<OptimizeIn["objective"]>("kpi");
  const [periods, setPeriods] = useState(13);
  const [budget, setBudget] = useState("");
  const [target, setTarget] = useState("");
  const [risk, setRisk] = useState<OptimizeIn["risk"]>("mean");
  const [limit, setLimit] = useState("30");
  const [cons, setCons] = useState<Record<string, Constraint>>(() => Object.fromEntries(channels.map((c) => [c, { min: "", max: "", locked: false }])));
  const opt = useOptimize(modelId);
  const intervalKind = useIntervalKind(modelId);
  const save = useSaveScenario();
  const obj = OBJECTIVES.find((o) => o.id === objective)!;
  // The default budget: the recent spend over the plan length (as the sliders use).
  const uniform = useMemo(() => Object.fromEntries(channels.map((c) => [c, 1 / channels.length])), [channels]);
  const recent = useEvaluateShares(modelId, uniform, null, periods);
  const defaultBudget = recent.data?.budget;
  const disabledObj = (id: string) => (id === "cpa_target" && units.kpiKind !== "conversions") || (id === "profit" && units.kpiKind !== "revenue");

  function body(): OptimizeIn {
    const bounds: OptimizeIn["bounds"] = {};
    const locked: string[] = [];
    const recentSpend = recentAmounts(recent.data, budget ? Number(budget) : undefined);
    const pct = limit.trim() === "" ? null : Number(limit) / 100;
    for (const c of channels) {
      const k = cons[c];
      if (k.locked) locked.push(c);
      else if (k.min !== "" || k.max !== "") bounds[c] = { min: k.min === "" ? null : Number(k.min), max: k.max === "" ? null : Number(k.max) };
      else if (pct != null && Number.isFinite(pct) && recentSpend?.[c] != null) bounds[c] = changeLimit(recentSpend[c], pct);
    }
    return {
      objective,
      periods,
      budget: budget ? Number(budget) : objective === "kpi" || objective === "profit" ? defaultBudget : undefined,
      target: obj.needsTarget && target ? Number(target) : undefined,
      bounds,
      bounds_unit: "amount",
      locked: locked.length ? locked : undefined,
      risk,
    };
  }

  return (
    <Card title="Optimizer" subtitle="Constraints per channel are amounts over the whole plan. A locked channel keeps its recent spend." testId="optimizer">
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          opt.mutate(body(), { onSuccess: (r) => onResult(r) });
        }}
      >
        <div className="grid grid-2">
          <label className="field">
            <span>Objective</span>
            <select className="select" value={objective} onChange={(e) => setObjective(e.target.value as OptimizeIn["objective"])}>
              {OBJECTIVES.map((o) => (
                <option key={o.id} value={o.id} disabled={disabledObj(o.id)}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Risk</span>
            <select className="select" value={risk} onChange={(e) => setRisk(e.target.value as OptimizeIn["risk"])}>
              <option value="mean">Expected value (posterior mean)</option>
              <option value="mean_sd">Cautious: mean − 1 sd</option>
              <option value="quantile">Cautious: 10% quantile</option>
            </select>
          </label>
          <label className="field">
            <span>Budget ({units.currency}, total over the plan)</span>
            <input className="input" type="number" min={0} value={budget} onChange={(e) => setBudget(e.target.value)} placeholder={defaultBudget ? `recent spend: ${formatCurrency(defaultBudget, units.currency, false)}` : "recent spend"} />
          </label>
          <label className="field">
            <span>Change limit per channel (± % of recent spend)</span>
            <input className="input" type="number" min={0} max={1000} step={5} value={limit} onChange={(e) => setLimit(e.target.value)} aria-label="Change limit per channel in percent" data-testid="change-limit" />
            <span className="muted small">Default ±30%, as Meridian's scenario planner; empty: no limit. A channel with its own min/max uses those.</span>
          </label>
          <label className="field">
            <span>Plan length ({unit}s)</span>
            <input className="input" type="number" min={1} max={520} value={periods} onChange={(e) => setPeriods(Number(e.target.value) || 13)} />
          </label>
          {obj.needsTarget && (
            <label className="field">
              <span>Target</span>
              <input className="input" type="number" min={0} step="any" value={target} onChange={(e) => setTarget(e.target.value)} required />
            </label>
          )}
        </div>
        <div className="table-wrap">
          <table className="table" aria-label="Constraints">
            <thead>
              <tr>
                <th>Channel</th>
                <th>Min ({units.currency})</th>
                <th>Max ({units.currency})</th>
                <th>Lock</th>
              </tr>
            </thead>
            <tbody>
              {channels.map((c) => (
                <tr key={c}>
                  <td>{c}</td>
                  <td>
                    <input className="input input-num" type="number" min={0} aria-label={`${c} minimum`} value={cons[c].min} disabled={cons[c].locked} onChange={(e) => setCons({ ...cons, [c]: { ...cons[c], min: e.target.value } })} />
                  </td>
                  <td>
                    <input className="input input-num" type="number" min={0} aria-label={`${c} maximum`} value={cons[c].max} disabled={cons[c].locked} onChange={(e) => setCons({ ...cons, [c]: { ...cons[c], max: e.target.value } })} />
                  </td>
                  <td>
                    <input type="checkbox" aria-label={`Lock ${c}`} checked={cons[c].locked} onChange={(e) => setCons({ ...cons, [c]: { ...cons[c], locked: e.target.checked } })} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="row">
          <button className="btn" type="submit" disabled={opt.isPending}>
            {opt.isPending ? "Optimizing…" : "Run optimizer"}
          </button>
          {result && (
            <button type="button" className="btn btn-secondary" disabled={save.isPending} onClick={() => save.mutate({ model_id: modelId, name: `Optimized ${new Date().toLocaleString()}`, optimize: body() })}>
              Save as scenario
            </button>
          )}
          {save.isSuccess && <span className="small">Saved.</span>}
        </div>
        {opt.isError && <ErrorState error={opt.error} title="No allocation found" />}
      </form>
      {result && (
        <div className="stack mt" data-testid="optimizer-result">
          <div className="table-wrap">
            <table className="table" aria-label="Optimal allocation">
              <thead>
                <tr>
                  <th>Channel</th>
                  <th className="num">Current</th>
                  <th className="num">Optimal</th>
                  <th className="num">Change</th>
                  <th className="num">Incremental {units.kpiName}: current → optimal</th>
                  {units.kpiKind === "revenue" && <th className="num">ROAS: current → optimal</th>}
                  <th className="num">mROAS at optimum</th>
                </tr>
              </thead>
              <tbody>
                {result.channels.map((r) => (
                  <tr key={r.channel}>
                    <td>{r.channel}</td>
                    <td className="num">
                      {formatCurrency(r.current, units.currency)} <span className="muted small">({formatPercent(r.current_share, 0)})</span>
                    </td>
                    <td className="num">
                      <strong>{formatCurrency(r.optimal, units.currency)}</strong> <span className="muted small">({formatPercent(r.optimal_share, 0)})</span>
                    </td>
                    <td className="num">
                      <DeltaBadge delta={r.change} kind="currency" units={units} neutral scale={r.current} />
                    </td>
                    <td className="num">
                      {formatKpi(r.current_media_kpi, units)} → <strong>{formatKpi(r.optimal_media_kpi, units)}</strong>
                    </td>
                    {units.kpiKind === "revenue" && (
                      <td className="num">
                        {formatRatio(ratio(r.current_media_kpi, r.current))} → <strong>{formatRatio(ratio(r.optimal_media_kpi, r.optimal))}</strong>
                      </td>
                    )}
                    <td className="num">{formatMetric(r.optimal_mroas, "ratio", units)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted small">Per channel: posterior means (the optimizer reports each channel's mean; the interval is on the plan's total change below).</p>
          <Chart
            option={spendComparison({ names: result.channels.map((r) => r.channel), current: result.channels.map((r) => r.current), proposed: result.channels.map((r) => r.optimal), proposedName: "Optimal spend", units })}
            height={Math.max(180, 48 * result.channels.length + 60)}
            ariaLabel="Current and optimal spend per channel"
            testId="optimizer-spend-bars"
            exportAs={{ name: "optimal allocation", rows: () => [["channel", "current_spend", "optimal_spend", "current_media_kpi", "optimal_media_kpi", "optimal_mroas"], ...result.channels.map((r) => [r.channel, r.current, r.optimal, r.current_media_kpi, r.optimal_media_kpi, r.optimal_mroas])] }}
          />
          <PlanSummary plan={result.plan} units={units} intervalKind={intervalKind} />
        </div>
      )}
    </Card>
  );
}

function PlanSummary({ plan, units, intervalKind }: { plan: OptimizeOut["plan"]; units: Units; intervalKind?: string }) {
  const { kpi_change: change, binding_constraints: binding, notes } = plan;
  return (
    <div className="stack small">
      {change.mean != null && (
        <div className={`alert ${change.lo != null && change.lo > 0 ? "alert-good" : "alert-info"}`} role="status">
          Expected change in {units.kpiName} vs the recent split: <strong>{formatDelta(change.mean, "kpi", units)}</strong> ({formatDeltaInterval(change.lo, change.hi, "kpi", units, plan.interval_level, intervalKind)}).
        </div>
      )}
      {binding.length > 0 && <div className="muted">Binding constraints: {binding.join("; ")}</div>}
      {notes.map((n, i) => (
        <div key={i} className="muted">
          {n}
        </div>
      ))}
    </div>
  );
}

function FrontierCard({ modelId, units, channels, unit }: { modelId: string; units: Units; channels: string[]; unit: PeriodUnit }) {
  const [periods] = useState(13);
  const body = useMemo(() => ({ periods }), [periods]);
  const f = useFrontier(modelId, body);
  const intervalKind = useIntervalKind(modelId);
  const uniform = useMemo(() => Object.fromEntries(channels.map((c) => [c, 1 / channels.length])), [channels]);
  const base = useEvaluateShares(modelId, uniform, null, periods);
  const option = useMemo(() => {
    if (!f.data) return null;
    // a budget whose media KPI has no estimate (every draw undefined) cannot be drawn
    const pts = f.data.points.flatMap(({ budget, media_kpi_mean: mean, media_kpi_lo: lo, media_kpi_hi: hi }) => (mean != null && lo != null && hi != null ? [{ budget, mean, lo, hi }] : []));
    const orig = base.data?.metrics.media_kpi;
    return frontier({
      budgets: pts.map((p) => p.budget),
      mean: pts.map((p) => p.mean),
      lo: pts.map((p) => p.lo),
      hi: pts.map((p) => p.hi),
      current: base.data && orig?.original_mean != null ? { budget: base.data.budget, kpi: orig.original_mean } : null,
      units: { ...units, kpiName: `Incremental ${units.kpiName}` },
      intervalKind,
    });
  }, [f.data, base.data, units, intervalKind]);
  return (
    <Card title="Efficiency frontier" subtitle={`The most incremental ${units.kpiName} each total budget can buy over ${formatPeriods(periods, unit)} (optimal split per budget), with its interval; ● the recent split.`}>
      {f.isPending ? <Loading what="Optimizing across budgets" height={300} /> : f.isError ? <ErrorState error={f.error} onRetry={() => f.refetch()} /> : option && <Chart option={option} height={320} ariaLabel="Efficiency frontier: optimal KPI per budget" testId="frontier" exportAs={{ name: "efficiency frontier", rows: () => [["budget", "media_kpi_mean", "media_kpi_lo", "media_kpi_hi"], ...(f.data?.points ?? []).map((p) => [p.budget, p.media_kpi_mean, p.media_kpi_lo, p.media_kpi_hi])] }} />}
    </Card>
  );
}

function ScenariosCard({ modelId, units }: { modelId: string; units: Units }) {
  const list = useScenarios(modelId);
  const [picked, setPicked] = useState<string[]>([]);
  const del = useDeleteScenario();
  const cmp = useCompare(picked);
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id].slice(-10)));
  const METRICS = ["total_kpi", "media_kpi", "spend", "roas", "cpa", "profit"];
  return (
    <div id="scenarios">
      <Card title="Saved scenarios" subtitle="Pick two or more to compare them side by side; changes are per draw against the first one picked.">
        {list.isPending ? (
          <Loading what="Loading scenarios" />
        ) : list.isError ? (
          <ErrorState error={list.error} />
        ) : list.data.length === 0 ? (
          <EmptyState title="No saved scenarios" action={<Link className="btn" to="/allocation">Open Channel Budget Allocation</Link>}>
            Save one from the budget sliders or from the optimizer.
          </EmptyState>
        ) : (
          <div className="stack">
            <div className="table-wrap">
              <table className="table" aria-label="Saved scenarios">
                <thead>
                  <tr>
                    <th>Compare</th>
                    <th>Name</th>
                    <th>Kind</th>
                    <th className="num">Budget</th>
                    <th>Saved</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {list.data.map((s) => (
                    <tr key={s.id}>
                      <td>
                        <input type="checkbox" aria-label={`Compare ${s.name}`} checked={picked.includes(s.id)} onChange={() => toggle(s.id)} />
                      </td>
                      <td>{s.name}</td>
                      <td className="small">{s.kind}</td>
                      <td className="num">{formatCurrency(Object.values(s.allocation).reduce((a, b) => a + b, 0), units.currency)}</td>
                      <td className="small muted">{formatDate(s.created_at)}</td>
                      <td className="num">
                        <div className="row" style={{ justifyContent: "flex-end" }}>
                          <Link className="btn btn-sm btn-secondary" to={`/allocation?scenario=${s.id}`}>
                            Open
                          </Link>
                          <button type="button" className="btn btn-sm btn-danger" onClick={() => del.mutate(s.id)} aria-label={`Delete ${s.name}`}>
                            Delete
                          </button>
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {picked.length === 1 && <p className="muted small">Pick one more to compare.</p>}
            {cmp.isFetching && <Loading what="Comparing" />}
            {cmp.isError && <ErrorState error={cmp.error} />}
            {cmp.data && picked.length >= 2 && (
              <div className="table-wrap" data-testid="scenario-compare">
                <table className="table" aria-label="Scenario comparison">
                  <thead>
                    <tr>
                      <th>Metric</th>
                      {cmp.data.scenarios.map((s) => (
                        <th key={s.id} className="num">
                          {s.name}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {METRICS.filter((m) => cmp.data!.scenarios[0]?.metrics[m]).map((m) => {
                      const kind = m === "roas" ? "ratio" : m === "spend" || m === "cpa" || m === "profit" ? "currency" : "kpi";
                      return (
                        <tr key={m}>
                          <td>{m === "total_kpi" ? `${units.kpiName} (total)` : m === "media_kpi" ? `Incremental ${units.kpiName}` : humanize(m).replace("Roas", "ROAS").replace("Cpa", "CPA")}</td>
                          {cmp.data!.scenarios.map((s, i) => {
                            const v = s.metrics[m];
                            const d = s.vs_first?.[m];
                            return (
                              <td key={s.id} className="num">
                                <strong>{formatMetric(v?.mean, kind, units)}</strong>
                                {i > 0 && d && (
                                  <div>
                                    <DeltaBadge delta={d.mean} kind={kind} units={units} higherIsBetter={m !== "cpa" && m !== "spend"} scale={v?.mean} interval={m === "spend" ? null : d} />
                                    {d.p_better != null && m !== "spend" && <div className="muted small">higher in {formatPercent(d.p_better, 0)} of draws</div>}
                                  </div>
                                )}
                              </td>
                            );
                          })}
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
                {cmp.data.notes.map((n, i) => (
                  <p key={i} className="muted small">
                    {n}
                  </p>
                ))}
              </div>
            )}
          </div>
        )}
      </Card>
    </div>
  );
}

/** Each channel's recent spend over the plan (the original split of the default budget). */
function recentAmounts(ev: SharesOut | undefined, budget?: number): Record<string, number> | null {
  if (!ev) return null;
  const total = budget && budget > 0 ? budget : ev.budget;
  return Object.fromEntries(Object.entries(ev.original_shares).map(([c, f]) => [c, f * total]));
}

const ratio = (num: number | null | undefined, den: number | null | undefined) => (num != null && den != null && den > 0 ? num / den : null);

