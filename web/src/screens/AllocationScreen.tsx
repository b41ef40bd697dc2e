import { useEffect, useMemo, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { useEvaluateShares, useOptimize, useRecommendations, useSaveScenario, useScenarios, type SharesOut } from "../api/hooks/planning";
import { Card } from "../components/Card";
import { ChannelAllocation } from "../components/ChannelAllocation";
import { MetricCard } from "../components/MetricCard";
import { ChannelResults } from "../components/ChannelResults";
import { Alert, ErrorState, Loading } from "../components/States";
import { isOver, rebalance, roundShares, totalPercent, type Shares } from "../lib/allocation";
import { ModelTrustBanner } from "../components/ModelTrustBanner";
import { channelColor } from "../lib/colors";
import { formatCurrency, formatDate, formatDelta, humanize, formatDeltaInterval, formatPeriods, type MetricKind, type PeriodUnit, type Units } from "../lib/format";
import { useDebounced } from "../lib/hooks";
import { applyRecommendation, recommendationText } from "../lib/recommendations";
import { useCurrentModel, useIntervalKind } from "../lib/useCurrentModel";
import { NoModel } from "./NoModel";
import { OtherKpis } from "./OtherKpis";
import { useSummary, type Model } from "../api/hooks/models";
import { ReviewBadge } from "../components/ReviewBadge";
import { GeoPlan } from "../components/GeoPlan";

const PERIOD_CHOICES = [4, 8, 13, 26, 52];

interface CardDef {
  key: string;
  title: string;
  kind: MetricKind;
  higherIsBetter: boolean;
  hint: string;
}

function cardDefs(units: Units): CardDef[] {
  const conv = units.kpiKind === "conversions";
  return [
    { key: "total_kpi", title: `${humanize(units.kpiName)} (total)`, kind: "kpi", higherIsBetter: true, hint: `Total ${units.kpiName} over the plan: baseline plus media.` },
    { key: "media_kpi", title: `Incremental ${units.kpiName}`, kind: "kpi", higherIsBetter: true, hint: `${units.kpiName} the plan's media spend adds, carry-over included.` },
    { key: "roas", title: "ROAS", kind: conv ? "number" : "ratio", higherIsBetter: true, hint: `Incremental ${units.kpiName} per ${units.currency} of spend.` },
    { key: "cpa", title: "CPA", kind: "currency", higherIsBetter: false, hint: "Spend per incremental conversion (lower is better)." },
    { key: "roi", title: "ROI", kind: "percent", higherIsBetter: true, hint: "ROAS − 1: what each unit of spend returns beyond itself." },
    { key: "profit", title: "Profit from media", kind: "currency", higherIsBetter: true, hint: "Incremental revenue minus spend." },
    { key: "mroas", title: "Marginal ROAS", kind: conv ? "number" : "ratio", higherIsBetter: true, hint: "What the next unit of spend would return." },
    { key: "spend", title: "Spend", kind: "currency", higherIsBetter: false, hint: "Total spend of the plan." },
  ];
}

const toPercent = (f: Record<string, number>): Shares => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v * 100]));
const toFraction = (p: Shares): Record<string, number> => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v / 100]));

export function AllocationScreen() {
  const cm = useCurrentModel();
  if (!cm.model) return <NoModel title="Channel Budget Allocation" pending={cm.isPending} error={cm.error} models={cm.models} />;
  if (cm.summary.isPending) return <Loading what="Loading the model" />;
  if (cm.summary.isError) return <ErrorState error={cm.summary.error} />;
  return <Allocation key={cm.modelId} modelId={cm.modelId!} channels={Object.keys(cm.summary.data.channels)} units={cm.units} unit={cm.periodUnit} dataEnd={cm.summary.data.periods.end} model={cm.model} fitted={cm.fitted} />;
}

function Allocation({ modelId, channels, units, unit, dataEnd, model, fitted }: { modelId: string; channels: string[]; units: Units; unit: PeriodUnit; dataEnd: string; model: Model; fitted: Model[] }) {
  const intervalKind = useIntervalKind(modelId);
  const summary = useSummary(modelId);
  const [params] = useSearchParams();
  const [periods, setPeriods] = useState<number>(13);
  const [budgetInput, setBudgetInput] = useState<string>("");
  const budget = budgetInput && Number(budgetInput) > 0 ? Number(budgetInput) : null;
  const uniform = useMemo(() => Object.fromEntries(channels.map((c) => [c, 1 / channels.length])), [channels]);
  // The original split and default budget come from the API (recent spend shares).
  const base = useEvaluateShares(modelId, uniform, budget, periods);
  const original = base.data?.original_shares;
  const effectiveBudget = base.data?.budget ?? budget ?? 0;

  const [shares, setShares] = useState<Shares | null>(null);
  const [fixedTotal, setFixedTotal] = useState(false);
  const [note, setNote] = useState<{ tone: "info" | "good"; text: string } | null>(null);
  const recs = useRecommendations(modelId);
  const scenarios = useScenarios(modelId);
  const applied = useRef<string | null>(null);

  // Start from the original split, or from a recommendation / saved scenario named in the URL.
  useEffect(() => {
    if (!original) return;
    const rec = params.get("rec");
    const scen = params.get("scenario");
    const token = `${rec}|${scen}`;
    if (shares && applied.current === token) return;
    if (rec != null) {
      const r = recs.data?.items[Number(rec)];
      if (!r) {
        if (recs.isPending) return;
      } else {
        const s = applyRecommendation(r, original);
        if (s) {
          setShares(toPercent(s));
          setNote({ tone: "info", text: `From the recommendation: ${recommendationText(r, units, unit, intervalKind)}` });
          applied.current = token;
          return;
        }
      }
    }
    if (scen) {
      const s = scenarios.data?.find((x) => x.id === scen);
      if (!s) {
        if (scenarios.isPending) return;
      } else {
        const tot = Object.values(s.allocation).reduce((a, b) => a + b, 0);
        const req = s.kind === "shares" ? s.request.shares : undefined;
        setShares(toPercent(req ?? Object.fromEntries(Object.entries(s.allocation).map(([k, v]) => [k, tot > 0 ? v / effectiveBudget : 0]))));
        setNote({ tone: "info", text: `Loaded the saved scenario “${s.name}”.` });
        applied.current = token;
        return;
      }
    }
    if (!shares) setShares(toPercent(original));
    applied.current = token;
  }, [original, params, recs.data, recs.isPending, scenarios.data, scenarios.isPending]);

  const debounced = useDebounced(shares, 50);
  const fractions = useMemo(() => (debounced ? roundShares(toFraction(debounced), 8) : null), [debounced]);
  const evaluation = useEvaluateShares(modelId, fractions, budget, periods);
  const pending = evaluation.isFetching || debounced !== shares;
  const optimize = useOptimize(modelId);
  const save = useSaveScenario();
  const [name, setName] = useState("");

  const colors = channels.map((c, i) => ({ name: c, color: channelColor(i) }));
  const ev = evaluation.data;

  function recommended() {
    optimize.mutate(
      { objective: "kpi", budget: effectiveBudget, periods },
      {
        onSuccess: (out) => {
          const alloc = out.plan.allocation;
          const tot = effectiveBudget || Object.values(alloc).reduce((a, b) => a + b, 0);
          setShares(Object.fromEntries(channels.map((c) => [c, tot > 0 ? ((alloc[c] ?? 0) / tot) * 100 : 0])));
          const change = out.plan.kpi_change;
          setNote({
            tone: change?.lo != null && change.lo > 0 ? "good" : "info",
            text: `Recommended Allocation: the optimizer's split of ${formatCurrency(tot, units.currency)} for the most ${units.kpiName}${
              change?.mean != null ? `: ${formatDelta(change.mean, "kpi", units)} vs the original split (${formatDeltaInterval(change.lo, change.hi, "kpi", units)})` : ""
            }.`,
          });
        },
      },
    );
  }

  function saveScenario() {
    // The sliders as they are now, not the debounced copy the metrics are catching up with.
    if (!shares) return;
    save.mutate({ model_id: modelId, name: name.trim() || `Allocation ${new Date().toLocaleString()}`, shares: { shares: roundShares(toFraction(shares), 8), budget: effectiveBudget, periods } });
  }

  const over = shares ? isOver(shares) : false;

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Channel Budget Allocation <ReviewBadge summary={summary.data} /></h1>
          <p>Adjust channel weights and instantly see the change in {units.kpiName}, ROAS and the other metrics, each with its interval. The original split is the recent spend per channel: the last {formatPeriods(periods, unit)} of the data, up to {formatDate(dataEnd)}.</p>
        </div>
        <div className="row">
          <button type="button" className="btn" onClick={recommended} disabled={optimize.isPending || !original} data-testid="recommended-allocation">
            <BulbIcon /> {optimize.isPending ? "Optimizing…" : "Recommended Allocation"}
          </button>
        </div>
      </div>
      <ModelTrustBanner modelId={modelId} />
      {note && (
        <div className="mt" style={{ marginBottom: 14 }}>
          <Alert tone={note.tone}>{note.text}</Alert>
        </div>
      )}
      {optimize.isError && (
        <div style={{ marginBottom: 14 }}>
          <ErrorState error={optimize.error} title="The optimizer could not find an allocation" />
        </div>
      )}
      <div className="alloc-layout">
      <div className="grid grid-main-side">
        <Card
          title="Budget split"
          subtitle={fixedTotal ? "Fixed total: moving one channel rebalances the others in proportion, so the split stays at 100% of the budget." : "Free: each slider moves on its own; the total may pass 100% (you are told)."}
          actions={
            <div className="mode-toggle" role="group" aria-label="Slider mode">
              <button type="button" aria-pressed={!fixedTotal} onClick={() => setFixedTotal(false)}>
                Free
              </button>
              <button type="button" aria-pressed={fixedTotal} onClick={() => (setFixedTotal(true), setShares((s) => (s && totalPercent(s) > 0 ? Object.fromEntries(Object.entries(s).map(([k, v]) => [k, (v / totalPercent(s)) * 100])) : s)))} data-testid="fixed-total">
                Fixed total
              </button>
            </div>
          }
        >
          {base.isError ? (
            <ErrorState error={base.error} onRetry={() => base.refetch()} />
          ) : !shares ? (
            <Loading what="Loading the original split" />
          ) : (
            <ChannelAllocation channels={colors} shares={shares} budget={effectiveBudget} units={units} onChange={(c, v) => setShares((s) => (fixedTotal && s ? rebalance(s, c, v) : { ...(s ?? {}), [c]: v }))} />
          )}
          {ev?.warnings && ev.warnings.length > 0 && !over && shares && totalPercent(shares) < 99.95 && (
            <p className="muted small mt" role="note">
              {ev.warnings.join(" ")}
            </p>
          )}
          {over && ev?.normalized_shares && (
            <div className="row mt">
              <button type="button" className="btn btn-sm btn-secondary" onClick={() => setShares(toPercent(ev.normalized_shares!))}>
                Scale down to 100%
              </button>
            </div>
          )}
          <div className="row mt">
            <button type="button" className="btn btn-sm btn-secondary" onClick={() => original && (setShares(toPercent(original)), setNote(null))} disabled={!original}>
              Reset to original
            </button>
          </div>
        </Card>
        <Card className="alloc-plan" title="Plan" subtitle="The budget the shares split, and how long the plan runs (starting after the data ends).">
          <div className="stack">
            <label className="field">
              <span>Plan length</span>
              <select className="select" value={periods} onChange={(e) => setPeriods(Number(e.target.value))} aria-label={`Plan length in ${unit}s`}>
                {PERIOD_CHOICES.map((p) => (
                  <option key={p} value={p}>
                    {formatPeriods(p, unit)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>Budget ({units.currency})</span>
              <input className="input" type="number" min={0} step={1000} placeholder={base.data ? `recent spend: ${formatCurrency(base.data.budget, units.currency, false)}` : "recent spend"} value={budgetInput} onChange={(e) => setBudgetInput(e.target.value)} aria-label="Budget" />
              <span className="muted small">Empty: the recent spend over the plan length ({formatCurrency(base.data?.budget, units.currency)}).</span>
            </label>
            <hr style={{ border: 0, borderTop: "1px solid var(--c-border)", width: "100%" }} />
            <label className="field">
              <span>Save as scenario</span>
              <input className="input" value={name} onChange={(e) => setName(e.target.value)} placeholder="Scenario name" aria-label="Scenario name" />
            </label>
            <div className="row">
              <button type="button" className="btn btn-secondary" onClick={saveScenario} disabled={save.isPending || !shares} data-testid="save-scenario">
                {save.isPending ? "Saving…" : "Save scenario"}
              </button>
              {save.isSuccess && (
                <span className="small" role="status" data-testid="scenario-saved">
                  Saved “{save.data.name}”. <Link to="/optimizer#scenarios">Compare scenarios →</Link>
                </span>
              )}
            </div>
            {save.isError && <ErrorState error={save.error} title="The scenario was not saved" />}
          </div>
        </Card>
      </div>
      <div className="alloc-results">
      <div className="row-between mt" style={{ marginBottom: 10 }}>
        <h2>Original vs current</h2>
        <span className="muted small" data-testid="roundtrip" aria-live="polite">
          {pending ? "updating…" : ev ? `updated in ${Math.round(ev.roundTripMs)} ms · ${Math.round((ev.interval_level ?? 0.9) * 100)}% intervals · ${formatPeriods(ev.periods, unit)}` : ""}
        </span>
      </div>
      {evaluation.isError ? (
        <ErrorState error={evaluation.error} onRetry={() => evaluation.refetch()} />
      ) : !ev ? (
        <Loading what="Evaluating the split" />
      ) : (
        <MetricGrid ev={ev} units={units} pending={pending} intervalKind={intervalKind} />
      )}
      {ev && (ev.channels?.length ?? 0) > 0 && (
        <Card className="mt" title="Per channel" subtitle={`Each channel in the proposed split vs the original, over ${formatPeriods(ev.periods, unit)}: spend, incremental ${units.kpiName} with its change, and efficiency, each with its ${Math.round((ev.interval_level ?? 0.9) * 100)}% interval.`} testId="per-channel">
          <ChannelResults ev={ev} units={units} intervalKind={intervalKind} />
        </Card>
      )}
      </div>
      </div>
      <OtherKpis model={model} fitted={fitted} kpiName={units.kpiName} shares={fractions} budget={effectiveBudget} periods={periods} />
      <GeoPlan modelId={modelId} budget={effectiveBudget} periods={periods} currency={units.currency} />
    </>
  );
}

function BulbIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
      <path d="M9 18h6M10 22h4M12 2a7 7 0 0 0-4 12.7c.6.5 1 1.3 1 2.1V17h6v-.2c0-.8.4-1.6 1-2.1A7 7 0 0 0 12 2z" />
    </svg>
  );
}

function MetricGrid({ ev, units, pending, intervalKind }: { ev: SharesOut; units: Units; pending: boolean; intervalKind?: string }) {
  const defs = cardDefs(units).filter((d) => ev.metrics[d.key]);
  const level = ev.interval_level ?? 0.9;
  return (
    <div className="grid grid-4" data-testid="metric-cards">
      {defs.map((d) => {
        const m = ev.metrics[d.key];
        const spendLike = d.key === "spend";
        return (
          <MetricCard
            key={d.key}
            title={d.title}
            hint={d.hint}
            original={m.original_mean}
            current={m.proposed_mean}
            kind={d.kind}
            units={units}
            higherIsBetter={d.higherIsBetter}
            interval={!spendLike && m.proposed_lo != null && m.proposed_hi != null ? { lo: m.proposed_lo, hi: m.proposed_hi } : null}
            delta={m.delta_mean}
            deltaInterval={!spendLike && m.delta_lo != null && m.delta_hi != null ? { lo: m.delta_lo, hi: m.delta_hi } : null}
            level={level}
            intervalKind={intervalKind}
            pending={pending}
          />
        );
      })}
    </div>
  );
}

