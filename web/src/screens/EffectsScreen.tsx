import { useMemo, useState } from "react";
import { SYNERGY_COLOR } from "../components/SynergiesCard";
import { useAdstock, useDecomposition, useTruth, type Adstock, type Decomposition, type Summary, type Truth } from "../api/hooks/models";
import { Card } from "../components/Card";
import { DateRange } from "../components/DateRange";
import { Chart } from "../components/charts/Chart";
import { carryover, dateWindow, spendVsEffect } from "../components/charts/effects";
import { stackedOverTime } from "../components/charts/options";
import { ModelTrustBanner } from "../components/ModelTrustBanner";
import { ErrorState, Loading } from "../components/States";
import { baselineColor, channelColorMap } from "../lib/colors";
import { formatDate, formatInterval, formatKpi, formatNumber, formatPercent, formatRatio, humanize, intervalName, type PeriodUnit, type Units } from "../lib/format";
import { useCurrentModel } from "../lib/useCurrentModel";
import { NoModel } from "./NoModel";

const TITLE = "Channel Effects";

/** Decomposition over time, carry-over, and share of spend vs share of effect. */
export function EffectsScreen() {
  const cm = useCurrentModel();
  if (!cm.model) return <NoModel title={TITLE} pending={cm.isPending} error={cm.error} models={cm.models} />;
  if (cm.summary.isPending) return <Loading what="Loading the model" />;
  if (cm.summary.isError) return <ErrorState error={cm.summary.error} />;
  const summary = cm.summary.data;
  const colors = channelColorMap(Object.keys(summary.channels));
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{TITLE}</h1>
          <p>
            What makes up {cm.units.kpiName} {cm.periodUnit} by {cm.periodUnit}, how long each channel's effect lasts after the spend, and which channels return more than their share of
            the budget.
          </p>
        </div>
      </div>
      <ModelTrustBanner modelId={cm.modelId} />
      <div className="grid">
        <DecompositionCard modelId={cm.modelId!} units={cm.units} colors={colors} unit={cm.periodUnit} />
        <div className="grid grid-2">
          <CarryoverCard modelId={cm.modelId!} colors={colors} unit={cm.periodUnit} intervalKind={summary.interval_kind} />
          <SpendEffectCard summary={summary} units={cm.units} />
        </div>
        <TruthCard modelId={cm.modelId!} units={cm.units} unit={cm.periodUnit} intervalKind={summary.interval_kind} />
      </div>
    </>
  );
}

function DecompositionCard({ modelId, units, colors, unit }: { modelId: string; units: Units; colors: Record<string, string>; unit: PeriodUnit }) {
  const dec = useDecomposition(modelId);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  return (
    <Card
      title={`${humanize(units.kpiName)} decomposition over time`}
      subtitle={`Stacked: the baseline parts (grey) and each channel's contribution per ${unit}, posterior means (the intervals of the totals are on the Overview).`}
      testId="decomposition-card"
    >
      {dec.isPending ? <Loading what="Loading the decomposition" /> : dec.isError ? <ErrorState error={dec.error} onRetry={() => dec.refetch()} /> : <DecompositionBody dec={dec.data} units={units} colors={colors} from={from} to={to} setFrom={setFrom} setTo={setTo} />}
    </Card>
  );
}

function DecompositionBody({ dec, units, colors, from, to, setFrom, setTo }: { dec: Decomposition; units: Units; colors: Record<string, string>; from: string; to: string; setFrom: (s: string) => void; setTo: (s: string) => void }) {
  const [a, b] = dateWindow(dec.dates, from, to);
  const dates = dec.dates.slice(a, b + 1);
  const parts = dec.items.map((it, i) => ({ ...it, color: it.kind === "channel" ? (colors[it.name] ?? "#0072B2") : it.kind === "synergy" ? SYNERGY_COLOR : baselineColor(i), values: (dec.series[it.name] ?? []).slice(a, b + 1) }));
  const option = useMemo(
    () => stackedOverTime({ dates, layers: parts.map((p) => ({ name: p.kind === "channel" ? p.name : p.kind === "synergy" ? `Synergy: ${p.name}` : `Baseline: ${humanize(p.name)}`, values: p.values, color: p.color })), units, valueKind: "kpi", valueName: units.kpiName }),
    [dec, a, b, units, colors],
  );
  const sum = (vs: (number | null)[]) => vs.reduce<number>((s, v) => s + (v ?? 0), 0);
  const media = sum(parts.filter((p) => p.kind !== "baseline").flatMap((p) => p.values)); // synergy is media
  const total = sum(parts.flatMap((p) => p.values));
  const first = dec.dates[0] ?? "";
  const last = dec.dates[dec.dates.length - 1] ?? "";
  return (
    <>
      <DateRange first={first} last={last} from={from} to={to} setFrom={setFrom} setTo={setTo} />
      {dates.length === 0 ? (
        <p className="muted small mt" role="note">
          No {units.kpiName} data between these dates: pick dates from {formatDate(first)} to {formatDate(last)}.
        </p>
      ) : (
        <>
          <p className="small mt" data-testid="decomposition-window">
            {formatDate(dates[0])} to {formatDate(dates[dates.length - 1])}: modelled {units.kpiName} {formatKpi(total, units)}, of which media {formatKpi(media, units)} ({formatPercent(total ? media / total : null)}), posterior means.
          </p>
          <Chart
            option={option}
            height={360}
            ariaLabel={`${units.kpiName} decomposition over time: baseline parts and channels, stacked`}
            testId="decomposition-chart"
            exportAs={{ name: `${units.kpiName} decomposition`, rows: () => [["date", ...parts.map((p) => p.name)], ...dates.map((d, i) => [d, ...parts.map((p) => p.values[i] ?? null)])] }}
          />
        </>
      )}
    </>
  );
}

function CarryoverCard({ modelId, colors, unit, intervalKind }: { modelId: string; colors: Record<string, string>; unit: PeriodUnit; intervalKind?: string }) {
  const ad = useAdstock(modelId);
  return (
    <Card title="Carry-over" subtitle={`Share of a ${unit}'s effect delivered in that ${unit} (0) and the ${unit}s after it, and the half-life: ${unit}s until half the effect has been delivered.`} testId="carryover-card">
      {ad.isPending ? <Loading what="Loading the carry-over" /> : ad.isError ? <ErrorState error={ad.error} onRetry={() => ad.refetch()} /> : <CarryoverBody ad={ad.data} colors={colors} unit={unit} intervalKind={intervalKind} />}
    </Card>
  );
}

function CarryoverBody({ ad, colors, unit, intervalKind }: { ad: Adstock; colors: Record<string, string>; unit: PeriodUnit; intervalKind?: string }) {
  const channels = ad.channels.map((c) => ({ name: c.channel, color: colors[c.channel] ?? "#0072B2", lags: c.lags, mean: c.weight.mean, lo: c.weight.lo, hi: c.weight.hi }));
  const option = useMemo(() => carryover({ channels, unit, level: ad.interval, intervalKind }), [ad, unit, intervalKind, colors]);
  const hl = (x: number | null | undefined) => halfLife(x, unit);
  return (
    <>
      <Chart
        option={option}
        height={300}
        ariaLabel={`Carry-over: share of the effect by ${unit}s after the spend, per channel`}
        testId="carryover-chart"
        exportAs={{ name: "carry-over", rows: () => [["channel", "lag", "weight_mean", "weight_lo", "weight_hi"], ...ad.channels.flatMap((c) => c.lags.map((l, i) => [c.channel, l, c.weight.mean[i], c.weight.lo[i], c.weight.hi[i]]))] }}
      />
      <div className="table-wrap mt">
        <table className="table" aria-label="Half-life per channel" data-testid="halflife-table">
          <thead>
            <tr>
              <th>Channel</th>
              <th className="num">Half-life</th>
              <th className="num">{intervalName(ad.interval, intervalKind)}</th>
            </tr>
          </thead>
          <tbody>
            {ad.channels.map((c) => (
              <tr key={c.channel}>
                <td>
                  <span className="slider-swatch" style={{ background: colors[c.channel], display: "inline-block", marginRight: 8 }} aria-hidden />
                  {c.channel}
                </td>
                <td className="num">
                  <strong>{hl(c.half_life.mean)}</strong>
                </td>
                <td className="num muted">
                  {hl(c.half_life.lo)} to {hl(c.half_life.hi)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function SpendEffectCard({ summary, units }: { summary: Summary; units: Units }) {
  const names = Object.keys(summary.channels);
  const spend = names.reduce((s, c) => s + summary.channels[c].spend, 0);
  const effect = names.reduce((s, c) => s + (summary.channels[c].contribution.mean ?? 0), 0);
  const rows = names.map((c) => {
    const ch = summary.channels[c];
    return { name: c, spendShare: spend > 0 ? ch.spend / spend : 0, effectShare: effect > 0 && ch.contribution.mean != null ? ch.contribution.mean / effect : null, roas: ch.roas.mean, roasLo: ch.roas.lo, roasHi: ch.roas.hi };
  });
  const showRoas = units.kpiKind === "revenue";
  const option = useMemo(() => spendVsEffect({ rows, level: summary.interval, intervalKind: summary.interval_kind, showRoas }), [summary, showRoas]);
  return (
    <Card
      title="Share of spend vs share of effect"
      subtitle={`Each channel's share of media spend and of the media effect on ${units.kpiName} over the fitted period${showRoas ? ", with its ROAS (◆, top axis)" : ""}. More effect than spend: the channel returns more than the average.`}
      testId="spend-effect-card"
    >
      <Chart
        option={option}
        height={300}
        ariaLabel="Share of spend and share of effect per channel, with ROAS"
        testId="spend-effect-chart"
        exportAs={{ name: "share of spend vs effect", rows: () => [["channel", "spend_share", "effect_share", "roas_mean", "roas_lo", "roas_hi"], ...rows.map((r) => [r.name, r.spendShare, r.effectShare, r.roas, r.roasLo, r.roasHi])] }}
      />
      <ul className="small muted" style={{ margin: "8px 0 0", paddingLeft: 18 }}>
        {rows.map((r) => (
          <li key={r.name}>
            {r.name}: {formatPercent(r.spendShare)} of spend, {formatPercent(r.effectShare)} of the effect
            {showRoas ? `; ROAS ${formatRatio(r.roas)} (${formatInterval(r.roasLo, r.roasHi, "ratio", units, summary.interval, summary.interval_kind)})` : ""}
          </li>
        ))}
      </ul>
    </Card>
  );
}

/** Whether `truth` lies inside [lo, hi] (null when the interval is missing). */
export function covers(truth: number | null | undefined, lo: number | null | undefined, hi: number | null | undefined): boolean | null {
  if (truth == null || lo == null || hi == null) return null;
  return lo <= truth && truth <= hi;
}

function TruthCard({ modelId, units, unit, intervalKind }: { modelId: string; units: Units; unit: PeriodUnit; intervalKind?: string }) {
  const t = useTruth(modelId);
  return (
    <Card title="Estimate vs truth" subtitle="For synthetic data the true effects are known: each estimate next to the value the data was generated with." testId="truth-card">
      {t.isPending ? <Loading what="Looking for a known truth" /> : t.isError ? <ErrorState error={t.error} onRetry={() => t.refetch()} /> : <TruthBody truth={t.data} units={units} unit={unit} intervalKind={intervalKind} />}
    </Card>
  );
}

function TruthBody({ truth, units, unit, intervalKind }: { truth: Truth; units: Units; unit: PeriodUnit; intervalKind?: string }) {
  if (!truth.known) {
    return (
      <p className="muted small" role="note" data-testid="truth-unknown">
        Not shown: {truth.reason}
      </p>
    );
  }
  const iv = intervalName(truth.interval, intervalKind);
  const inside = truth.channels.filter((c) => covers(c.true_roas, c.roas.lo, c.roas.hi)).length;
  const mark = (ok: boolean | null) => (ok == null ? "—" : ok ? "inside" : "outside");
  return (
    <>
      <p className="small" data-testid="truth-coverage">
        Truth from the {truth.source}. The true ROAS lies inside the {iv} for {inside} of {truth.channels.length} channels.
      </p>
      <div className="table-wrap">
        <table className="table" aria-label="Estimate vs truth per channel" data-testid="truth-table">
          <thead>
            <tr>
              <th>Channel</th>
              <th className="num">True ROAS</th>
              <th className="num">Estimated ROAS ({iv})</th>
              <th className="num">True half-life</th>
              <th className="num">Estimated half-life</th>
              <th className="num">True share of {units.kpiName}</th>
              <th className="num">Estimated share</th>
            </tr>
          </thead>
          <tbody>
            {truth.channels.map((c) => (
              <tr key={c.channel}>
                <td>{c.channel}</td>
                <td className="num">
                  <strong>{formatRatio(c.true_roas)}</strong>
                </td>
                <td className="num">
                  {formatRatio(c.roas.mean)} <span className="muted small">({formatRatio(c.roas.lo)} to {formatRatio(c.roas.hi)}; truth {mark(covers(c.true_roas, c.roas.lo, c.roas.hi))})</span>
                </td>
                <td className="num">{halfLife(c.true_half_life, unit)}</td>
                <td className="num">
                  {formatNumber(c.half_life.mean)} <span className="muted small">({formatNumber(c.half_life.lo)} to {formatNumber(c.half_life.hi)})</span>
                </td>
                <td className="num">{formatPercent(c.true_share)}</td>
                <td className="num">
                  {formatPercent(c.share.mean)} <span className="muted small">({formatPercent(c.share.lo)} to {formatPercent(c.share.hi)})</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** "0.58 weeks", "1 week" (a half-life in the data's period unit). */
function halfLife(x: number | null | undefined, unit: PeriodUnit): string {
  if (x == null) return "—";
  const n = formatNumber(x);
  return `${n} ${unit}${n === "1" ? "" : "s"}`;
}
