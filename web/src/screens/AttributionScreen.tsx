import { useMemo, useState } from "react";
import { useQueries } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "../api/client";
import { useAttribution, type AttributionIn } from "../api/hooks/attribution";
import { useDatasets, useUpload } from "../api/hooks/datasets";
import type { Summary } from "../api/hooks/models";
import { Card } from "../components/Card";
import { Chart } from "../components/charts/Chart";
import { attributionBars } from "../components/charts/options";
import { Dropzone } from "../components/Dropzone";
import { FindingsList } from "../components/FindingsList";
import { RadioGroup } from "../components/ModelSelector";
import { Slider } from "../components/Slider";
import { ErrorState, Loading } from "../components/States";
import { BLEND, SCREEN_MODELS, channelsOf, columnsFrom, liftByChannel, mmmColumns, pickSelected, recommendationFor, withBlend, type AttributionOut, type Column } from "../lib/attribution";
import { formatPercent, formatRatio } from "../lib/format";
import { useCurrentModel } from "../lib/useCurrentModel";
import { NoModel } from "./NoModel";
import { ReviewBadge } from "../components/ReviewBadge";

const ACCEPT = ".csv,.tsv,.txt,.gz,.parquet,.pq,.duckdb,.db";
const ASSOCIATION = "These are associations in observed journeys, not causal effects: journeys that see more channels differ in other ways (intent, recency), so a sequence that converts better does not show that its order caused it.";
const KIND_TEXT: Record<Column["kind"], string> = { mta: "multi-touch (journeys)", mmm: "MMM contribution", blend: "your weights" };

export function AttributionScreen() {
  const cm = useCurrentModel();
  const [journeysId, setJourneysId] = useState<string | null>(null);
  const [renames, setRenames] = useState<Record<string, string>>({});
  const [selected, setSelected] = useState<string | null>(null);
  const [weights, setWeights] = useState<Record<string, number>>({});
  const summaries = useQueries({
    queries: cm.fitted.map((m) => ({
      queryKey: ["models", m.id, "summary"],
      queryFn: () => unwrap(api.GET("/api/v1/models/{model_id}/summary", { params: { path: { model_id: m.id } } })),
      staleTime: Infinity,
    })),
  });
  const body: AttributionIn | null = journeysId
    ? { dataset_id: journeysId, models: SCREEN_MODELS, compare: cm.fitted.map((m) => m.id), ...(Object.keys(renames).length ? { mapping: { channels: renames } } : {}) }
    : null;
  const attribution = useAttribution(body);
  const result: AttributionOut | undefined = attribution.data;
  const mmmChannels = useMemo(() => [...new Set(summaries.flatMap((q) => Object.keys(q.data?.channels ?? {})))], [summaries.map((q) => q.dataUpdatedAt).join()]);

  if (!cm.model) return <NoModel title="Attribution Model Comparison" pending={cm.isPending} error={cm.error} models={cm.models} />;
  if (summaries.some((q) => q.isPending)) return <Loading what="Loading the fitted models" />;
  const err = summaries.find((q) => q.isError)?.error;
  if (err) return <ErrorState error={err} />;

  const channels = result ? channelsOf(result) : Object.keys(cm.summary.data?.channels ?? {});
  const fitted = cm.fitted.map((m, i) => ({ id: m.id, name: m.name, engine: m.engine, summary: summaries[i].data as Summary }));
  const columns = result ? columnsFrom(result, Object.fromEntries(cm.fitted.map((m) => [m.id, m.name]))) : mmmColumns(fitted, channels);
  const all = withBlend(columns, weights, channels.length);
  const sel = pickSelected(all, selected, cm.modelId);
  const option = attributionBars({ channels, models: all.map((c) => ({ name: c.label, color: c.color, shares: c.shares })), selected: all.find((c) => c.id === sel)?.label });
  const rec = result ? recommendationFor(result.disagreements ?? [], sel === BLEND ? null : sel) : null;
  const pick = (id: string | null) => (setRenames({}), setJourneysId(id));
  const n = cm.fitted.length;

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Attribution Model Comparison <ReviewBadge summary={cm.summary.data} /></h1>
          <p>Channel credit under multi-touch attribution (from user journeys) beside each fitted marketing mix model, to see where they agree and where a lift test would settle it. Credit is each model's share of the channels it can see.</p>
        </div>
      </div>
      <div className="grid grid-main-side">
        <Card title="Channel credit by model" subtitle={result ? `${result.journeys.toLocaleString()} journeys, ${result.unique_paths.toLocaleString()} distinct paths, ${Math.round(result.total).toLocaleString()} ${result.target} attributed; ${n} fitted MMM${n === 1 ? "" : "s"}.` : `MMM contribution shares of ${n} fitted model${n === 1 ? "" : "s"}; add journey data for multi-touch models.`}>
          {attribution.isFetching ? <Loading what="Attributing the journeys (bootstrap over journeys)" height={260} /> : <Chart option={option} height={Math.max(260, channels.length * 30 * Math.max(1, all.length / 1.8) + 60)} ariaLabel="Share of credit per channel for each model" testId="attribution-bars" />}
          {attribution.isError && <ErrorState error={attribution.error} title="Attribution failed" />}
          <div className="mt">
            <RadioGroup legend="Model" name="attribution-model" value={sel ?? ""} onChange={setSelected} options={all.map((c) => ({ id: c.id, label: c.label, color: c.color }))} />
          </div>
          <CreditTable channels={channels} columns={all} selected={sel} lift={result ? liftByChannel(result, cm.modelId) : null} />
        </Card>
        <div className="stack" style={{ gap: 18 }}>
          <JourneyCard journeysId={journeysId} onPick={pick} exclude={cm.model.dataset_id ?? null} result={result} mmmChannels={mmmChannels} renames={renames} setRenames={setRenames} />
          <Card title="Recommendation" subtitle="Where models disagree beyond their intervals.">
            <div data-testid="attribution-recommendation">
              {!result && <p className="muted">Add journey data: the card then says where multi-touch and MMM credit disagree beyond their intervals, and which lift test would settle it.</p>}
              {result && <p>{rec ? rec.sentence : result.recommendations[0]}</p>}
              {sel === BLEND && <p className="muted small">A custom blend has no interval: the card compares the models it blends.</p>}
            </div>
          </Card>
          <Card title="Custom attribution weights" subtitle="Weight the models to blend their credit (each channel: the weighted mean of the models that see it, rescaled to 100%).">
            {columns.map((c) => (
              <Slider key={c.id} label={c.label} color={c.color} value={weights[c.id] ?? 0} min={0} max={10} step={1} valueText={`weight ${weights[c.id] ?? 0}`} onChange={(v) => setWeights({ ...weights, [c.id]: v })} />
            ))}
            {all.length > columns.length && (
              <button type="button" className="btn btn-sm btn-secondary mt" onClick={() => setWeights({})}>
                Clear weights
              </button>
            )}
          </Card>
        </div>
      </div>
      {result && <SequencesCard result={result} />}
    </>
  );
}

function shareCell(c: Column, j: number) {
  const s = c.shares[j];
  if (s == null) return <span className="muted">{c.notes[j] ?? "—"}</span>;
  const lo = c.lo[j];
  const hi = c.hi[j];
  return (
    <>
      {formatPercent(s)}
      {lo != null && hi != null && <span className="muted small"> ({formatPercent(lo)} to {formatPercent(hi)})</span>}
    </>
  );
}

function liftCell(l: Schemas["LiftOut"] | undefined) {
  if (!l) return <span className="muted">no lift test</span>;
  return (
    <>
      {formatRatio(l.iroas)}
      <span className="muted small">
        {" "}
        ({formatRatio(l.lo)} to {formatRatio(l.hi)})
      </span>
    </>
  );
}

/** Per channel, each column's share of credit with its interval or why it has none. */
function CreditTable({ channels, columns, selected, lift }: { channels: string[]; columns: Column[]; selected: string | null; lift: Map<string, Schemas["LiftOut"]> | null }) {
  return (
    <>
      <div className="table-wrap mt">
        <table className="table small" aria-label="Credit table">
          <thead>
            <tr>
              <th>Channel</th>
              {columns.map((c) => (
                <th key={c.id} className="num" data-kind={c.kind} aria-selected={c.id === selected}>
                  <span className="radio-dot" style={{ background: c.color, marginRight: 6 }} aria-hidden />
                  {c.label}
                  <div className="muted" style={{ fontWeight: 400 }}>
                    {KIND_TEXT[c.kind]}
                  </div>
                </th>
              ))}
              {lift && <th className="num">Lift test iROAS</th>}
            </tr>
          </thead>
          <tbody>
            {channels.map((ch, j) => (
              <tr key={ch}>
                <td>{ch}</td>
                {columns.map((c) => (
                  <td key={c.id} className="num">
                    {shareCell(c, j)}
                  </td>
                ))}
                {lift && <td className="num">{liftCell(lift.get(ch))}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small">Brackets: 90% intervals (MTA: bootstrap over journeys; MMM: the contribution interval). A channel a model cannot see says so (not trackable: no touchpoints); it is never shown as zero.</p>
    </>
  );
}

interface JourneyCardProps {
  journeysId: string | null;
  onPick: (id: string | null) => void;
  exclude: string | null;
  result: AttributionOut | undefined;
  mmmChannels: string[];
  renames: Record<string, string>;
  setRenames: (r: Record<string, string>) => void;
}

/** Upload or pick the journeys; match journey channels to MMM channels; the checks' findings. */
function JourneyCard({ journeysId, onPick, exclude, result, mmmChannels, renames, setRenames }: JourneyCardProps) {
  const datasets = useDatasets();
  const upload = useUpload();
  const untracked = result ? result.channels.filter((c) => !mmmChannels.includes(c)) : [];
  const freeMmm = mmmChannels.filter((c) => !result?.channels.includes(c));
  return (
    <Card title="Journey data" subtitle="User journeys: touchpoint events (journey id, timestamp, channel, conversion, value) or aggregated paths (path, conversions, null). Column roles are proposed from their names.">
      <Dropzone accept={ACCEPT} disabled={upload.isPending} hint="Upload a journeys file" onFile={(file) => upload.mutate({ file }, { onSuccess: (d) => onPick(d.id) })} />
      {upload.isError && <ErrorState error={upload.error} title="The upload failed" />}
      <label className="stack mt small" style={{ gap: 4 }}>
        Or pick an uploaded journeys table
        <select className="select" aria-label="Journeys dataset" value={journeysId ?? ""} onChange={(e) => onPick(e.target.value || null)}>
          <option value="">None</option>
          {(datasets.data ?? [])
            .filter((d) => d.id !== exclude)
            .map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} ({d.n_rows.toLocaleString()} rows)
              </option>
            ))}
        </select>
      </label>
      {untracked.length > 0 && freeMmm.length > 0 && (
        <div className="stack mt small" style={{ gap: 6 }}>
          <span>Journey channels not named like an MMM channel: match them to compare.</span>
          {untracked.map((c) => (
            <label key={c} className="row" style={{ gap: 8 }}>
              <span style={{ minWidth: 90 }}>{c}</span>
              <select className="select" aria-label={`MMM channel for ${c}`} value={renames[c] ?? ""} onChange={(e) => setRenames({ ...renames, [c]: e.target.value })}>
                <option value="">keep its own name</option>
                {freeMmm.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            </label>
          ))}
        </div>
      )}
      {result && result.findings.length > 0 && (
        <div className="mt">
          <FindingsList findings={result.findings} />
        </div>
      )}
    </Card>
  );
}

/** Ordered pairs whose interval excludes zero, with the association sentence and the notes. */
function SequencesCard({ result }: { result: AttributionOut }) {
  return (
    <Card title="Impact of channel sequences" subtitle="Ordered pairs whose conversion-rate difference has a 95% interval that excludes zero (at least 100 journeys each side).">
      {result.sequences.length === 0 ? (
        <p className="muted">No ordered pair of channels converts differently beyond its interval in these journeys.</p>
      ) : (
        <div className="table-wrap">
          <table className="table small" aria-label="Sequences table">
            <thead>
              <tr>
                <th>First</th>
                <th>Then</th>
                <th className="num">Conversion rate, first then</th>
                <th className="num">Conversion rate, then alone</th>
                <th className="num">Difference (95% interval)</th>
              </tr>
            </thead>
            <tbody>
              {result.sequences.map((s) => (
                <tr key={`${s.first}>${s.then}`}>
                  <td>{s.first}</td>
                  <td>{s.then}</td>
                  <td className="num">{formatPercent(s.rate_first_then, 2)}</td>
                  <td className="num">{formatPercent(s.rate_then_only, 2)}</td>
                  <td className="num">
                    {formatPercent(s.difference, 2)} ({formatPercent(s.lo, 2)} to {formatPercent(s.hi, 2)})
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted small">{ASSOCIATION}</p>
      {result.notes.length > 0 && (
        <ul className="small muted" aria-label="Notes">
          {result.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </Card>
  );
}
