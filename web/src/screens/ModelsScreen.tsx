import { useMemo, useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router-dom";
import { ApiError } from "../api/errors";
import { useDatasets } from "../api/hooks/datasets";
import { isActive, useCancelFit, useContributions, useDiagnostics, useLogs, useModel, useModels, useFitAll, useSelectParetoModel, useStartFit, useSummary, type Diagnostics, type ParetoModel, type Model, type ModelDetail } from "../api/hooks/models";
import { useEngineLabel, useHealth } from "../api/hooks/workspace";
import { Card } from "../components/Card";
import { DownloadButtons } from "../components/DownloadButtons";
import { FitProgress } from "../components/FitProgress";
import { Chart } from "../components/charts/Chart";
import { fitChart } from "../components/charts/options";
import { EmptyState, ErrorState, Loading } from "../components/States";
import { diagnosticRows } from "../lib/diagnostics";
import { formatDate, formatPercent, intervalName } from "../lib/format";
import { useSession } from "../lib/session";
import { useCurrentModel } from "../lib/useCurrentModel";
import { ReviewBadge, ReviewChecks } from "../components/ReviewBadge";
import { AccuracyPanel } from "../components/AccuracyPanel";

export function ModelsScreen() {
  const models = useModels();
  const [watching, setWatching] = useState<string | null>(null);
  const { setModelId } = useSession();
  const latest = models.data?.[0] ?? null;
  const shown = watching ?? latest?.id ?? null;

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Models</h1>
          <p>Fit a marketing mix model to a dataset. Fits run in the background; this page follows them and says in plain words whether the result can be trusted.</p>
        </div>
      </div>
      <div className="grid grid-main-side">
        <FitForm onStarted={(m) => setWatching(m.id)} />
        <Card title="Fits" subtitle="Newest first. Pick one to follow or inspect.">
          {models.isPending ? (
            <Loading what="Loading models" />
          ) : models.isError ? (
            <ErrorState error={models.error} onRetry={() => models.refetch()} />
          ) : models.data.length === 0 ? (
            <EmptyState title="No fits yet">Start one with the form.</EmptyState>
          ) : (
            <ModelTable
              items={models.data}
              selected={shown}
              onSelect={(m) => {
                setWatching(m.id);
                if (m.has_result) setModelId(m.id);
              }}
            />
          )}
        </Card>
      </div>
      {shown && <ModelDetailView id={shown} />}
    </>
  );
}

function ModelTable({ items, selected, onSelect }: { items: Model[]; selected: string | null; onSelect: (m: Model) => void }) {
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Fits">
        <thead>
          <tr>
            <th>Name</th>
            <th>Engine</th>
            <th>Status</th>
            <th>Started</th>
          </tr>
        </thead>
        <tbody>
          {items.map((m) => (
            <tr key={m.id} style={{ background: m.id === selected ? "var(--c-primary-faint)" : undefined }}>
              <td>
                <button type="button" className="btn btn-sm btn-secondary" onClick={() => onSelect(m)} aria-pressed={m.id === selected} style={{ maxWidth: 220, overflow: "hidden", textOverflow: "ellipsis" }}>
                  {m.name}
                </button>
                {m.approximate && (
                  <span className="badge badge-warn" style={{ marginLeft: 6 }} title="Quick (ADVI) fit: approximate intervals; never the default model">
                    approximate
                  </span>
                )}
              </td>
              <td className="small">{m.engine}</td>
              <td>
                <StatusBadge status={m.status} fraction={m.job?.fraction} />
              </td>
              <td className="small muted">{formatDate(m.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function StatusBadge({ status, fraction }: { status: string; fraction?: number }) {
  const cls = status === "succeeded" ? "badge-good" : status === "failed" ? "badge-bad" : status === "cancelled" ? "" : "badge-blue";
  return (
    <span className={`badge ${cls}`} data-testid="fit-status">
      {status}
      {isActive(status) && fraction != null ? ` ${formatPercent(fraction, 0)}` : ""}
    </span>
  );
}

interface FitOptions {
  name: string;
  engine: string;
  mode: "full" | "quick";
  chains: number;
  draws: number;
  tune: number;
  adstock: string;
  saturation: string;
  holdout: number;
  seed: number;
  trials: number;
  iterations: number;
  optimizer: string;
}

const DEFAULTS: FitOptions = { name: "", engine: "bayesian", mode: "full", chains: 4, draws: 1000, tune: 1000, adstock: "geometric", saturation: "logistic", holdout: 0, seed: 0, trials: 5, iterations: 2000, optimizer: "TwoPointsDE" };

/** The ridge engine's options and their bounds (model/ridge_spec.py `RidgeSpec`). */
const RIDGE_BOUNDS = { trials: [1, 100], iterations: [10, 100_000] } as const;
const RIDGE_ADSTOCKS = ["geometric", "weibull_cdf", "weibull_pdf"];

/** Why the ridge options cannot be sent (field -> message); empty when they can. */
function ridgeProblems(o: Pick<FitOptions, "trials" | "iterations" | "optimizer">): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ["trials", "iterations"] as const) {
    const [lo, hi] = RIDGE_BOUNDS[k];
    if (!Number.isInteger(o[k]) || o[k] < lo || o[k] > hi) out[k] = `Must be a whole number from ${lo} to ${hi}.`;
  }
  if (!o.optimizer.trim()) out.optimizer = "Name a Nevergrad optimizer (e.g. TwoPointsDE).";
  return out;
}

function FitForm({ onStarted }: { onStarted: (m: ModelDetail) => void }) {
  const { datasetId, setDatasetId } = useSession();
  const datasets = useDatasets();
  const health = useHealth();
  const label = useEngineLabel();
  const start = useStartFit();
  const fitAll = useFitAll();
  const navigate = useNavigate();
  const [o, setO] = useState<FitOptions>(DEFAULTS);
  const set = (p: Partial<FitOptions>) => setO((x) => ({ ...x, ...p }));
  const engines = health.data?.engines ?? ["bayesian"];
  const dsId = datasetId ?? datasets.data?.[0]?.id ?? "";
  const err = start.error ? ApiError.from(start.error) : fitAll.error ? ApiError.from(fitAll.error) : null;

  const ridge = o.engine === "ridge";
  const meridian = o.engine === "meridian";
  const problems = ridge ? ridgeProblems(o) : {};
  const invalid = Object.keys(problems).length > 0;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (invalid) return;
    if (ridge) {
      start.mutate(
        {
          dataset_id: dsId,
          name: o.name || undefined,
          engine: o.engine,
          seed: o.seed,
          spec: { adstock: { kind: o.adstock }, ridge: { trials: o.trials, iterations: o.iterations, optimizer: o.optimizer.trim() } },
        },
        { onSuccess: (m) => onStarted(m) },
      );
      return;
    }
    const sampler: Record<string, unknown> = { mode: o.mode, draws: o.draws, chains: o.chains, tune: o.tune, seed: o.seed };
    if (meridian) {
      // Meridian: geometric adstock and Hill saturation only, NUTS only (engines/meridian/options.py)
      delete sampler.mode;
      start.mutate(
        { dataset_id: dsId, name: o.name || undefined, engine: o.engine, seed: o.seed, spec: { holdout: o.holdout, sampler } },
        { onSuccess: (m) => onStarted(m) },
      );
      return;
    }
    if (o.mode === "quick") {
      delete sampler.chains;
      delete sampler.tune;
    }
    start.mutate(
      {
        dataset_id: dsId,
        name: o.name || undefined,
        engine: o.engine,
        seed: o.seed,
        spec: { adstock: { kind: o.adstock }, saturation: { kind: o.saturation }, holdout: o.holdout, sampler },
      },
      { onSuccess: (m) => onStarted(m) },
    );
  }

  /** Every engine on this dataset, one background fit each, then their comparison. Options every
   * engine accepts: the sampler's, the ridge search's, the adstock when the ridge engine has it;
   * no holdout (the ridge engine cannot hold periods out). */
  function submitAll() {
    const sampler: Record<string, unknown> = { mode: o.mode, draws: o.draws, seed: o.seed, ...(o.mode === "full" ? { chains: o.chains, tune: o.tune } : {}) };
    const spec: Record<string, unknown> = { sampler, ridge: { trials: o.trials, iterations: o.iterations, optimizer: o.optimizer.trim() || "TwoPointsDE" } };
    if (RIDGE_ADSTOCKS.includes(o.adstock)) spec.adstock = { kind: o.adstock };
    fitAll.mutate(
      { dataset_id: dsId, name: o.name || undefined, seed: o.seed, spec },
      { onSuccess: (batch) => navigate(`/comparison?models=${batch.items.map((m) => m.id).join(",")}`) },
    );
  }

  if (datasets.isSuccess && datasets.data.length === 0) {
    return (
      <Card title="Start a fit">
        <EmptyState title="No data to fit" action={<Link className="btn" to="/data">Upload data</Link>}>
          A model needs a dataset with spend per channel and a KPI.
        </EmptyState>
      </Card>
    );
  }

  const num = (k: keyof FitOptions, label: string, min: number, max: number, help?: string) => (
    <label className="field">
      <span>{label}</span>
      <input className="input" type="number" min={min} max={max} value={o[k] as number} onChange={(e) => set({ [k]: Number(e.target.value) } as Partial<FitOptions>)} name={k} title={help} />
      {err?.messageFor(`spec.sampler.${k}`) && <span className="field-error">{err.messageFor(`spec.sampler.${k}`)}</span>}
    </label>
  );

  const ridgeNum = (k: "trials" | "iterations", label: string, help: string) => (
    <label className="field">
      <span>{label}</span>
      <input className="input" type="number" min={RIDGE_BOUNDS[k][0]} max={RIDGE_BOUNDS[k][1]} value={o[k]} onChange={(e) => set({ [k]: Number(e.target.value) })} name={k} title={help} aria-label={label} aria-invalid={!!problems[k]} />
      {(problems[k] ?? err?.messageFor(`spec.ridge.${k}`)) && <span className="field-error">{problems[k] ?? err?.messageFor(`spec.ridge.${k}`)}</span>}
    </label>
  );

  return (
    <Card title="Start a fit" subtitle="Choose the data, the engine and how hard to sample. More draws give steadier intervals and take longer.">
      <form className="stack" onSubmit={submit} aria-label="Start a fit">
        <div className="grid grid-2">
          <label className="field">
            <span>Dataset</span>
            <select className="select" value={dsId} onChange={(e) => setDatasetId(e.target.value)} name="dataset">
              {(datasets.data ?? []).map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Name (optional)</span>
            <input className="input" value={o.name} onChange={(e) => set({ name: e.target.value })} placeholder="e.g. Q3 refresh" name="name" />
          </label>
          <label className="field">
            <span>Engine</span>
            <select className="select" value={o.engine} onChange={(e) => set(e.target.value === "ridge" && !RIDGE_ADSTOCKS.includes(o.adstock) ? { engine: e.target.value, adstock: "geometric" } : { engine: e.target.value })} name="engine">
              {engines.map((en) => (
                <option key={en} value={en}>
                  {label(en)}
                </option>
              ))}
            </select>
          </label>
          {!ridge && !meridian && (
            <label className="field">
              <span>Sampling</span>
              <select className="select" value={o.mode} onChange={(e) => set({ mode: e.target.value as "full" | "quick" })} name="mode">
                <option value="full">Full (NUTS): checked convergence</option>
                <option value="quick">Quick (ADVI): approximate, fast</option>
              </select>
            </label>
          )}
          {!meridian && (
          <label className="field">
            <span>Adstock (carry-over)</span>
            <select className="select" value={o.adstock} onChange={(e) => set({ adstock: e.target.value })} name="adstock">
              <option value="geometric">geometric</option>
              {!ridge && <option value="delayed">delayed</option>}
              <option value="weibull_cdf">Weibull CDF</option>
              <option value="weibull_pdf">Weibull PDF</option>
            </select>
          </label>
          )}
          {meridian ? null : ridge ? (
            <label className="field">
              <span>Optimizer (Nevergrad)</span>
              <input className="input" value={o.optimizer} onChange={(e) => set({ optimizer: e.target.value })} name="optimizer" list="ridge-optimizers" aria-label="Optimizer (Nevergrad)" aria-invalid={!!problems.optimizer} />
              <datalist id="ridge-optimizers">
                {["TwoPointsDE", "DE", "OnePlusOne", "CMA", "PSO"].map((x) => (
                  <option key={x} value={x} />
                ))}
              </datalist>
              {(problems.optimizer ?? err?.messageFor("spec.ridge.optimizer")) && <span className="field-error">{problems.optimizer ?? err?.messageFor("spec.ridge.optimizer")}</span>}
            </label>
          ) : (
            <label className="field">
              <span>Saturation (diminishing returns)</span>
              <select className="select" value={o.saturation} onChange={(e) => set({ saturation: e.target.value })} name="saturation">
                <option value="logistic">logistic</option>
                <option value="hill">Hill</option>
                <option value="michaelis_menten">Michaelis–Menten</option>
                <option value="tanh">tanh</option>
              </select>
            </label>
          )}
        </div>
        {ridge ? (
          <div className="grid grid-4">
            {ridgeNum("trials", "Trials", "Independent optimizer runs")}
            {ridgeNum("iterations", "Iterations per trial", "Candidate models each trial tries")}
            {num("seed", "Seed", 0, 2 ** 32 - 1)}
          </div>
        ) : (
          <div className="grid grid-4">
            {(meridian || o.mode === "full") && num("chains", "Chains", 1, 64)}
            {num("draws", "Draws per chain", 10, 100000)}
            {(meridian || o.mode === "full") && num("tune", meridian ? "Adaptation steps" : "Tuning steps", 10, 100000)}
            {num("holdout", "Holdout periods", 0, 520, "Last periods kept out of the fit to test the forecast")}
            {num("seed", "Seed", 0, 2 ** 32 - 1)}
          </div>
        )}
        {meridian && <p className="muted small">Meridian fits geometric adstock and Hill saturation (its own), sampled with NUTS in its own environment (TensorFlow); a server without it answers with the install command: mixwise engines install meridian.</p>}
        {ridge && <p className="muted small">Ridge fits use Hill saturation and report 90% bootstrap intervals (refits of the chosen model), not posterior ones.</p>}
        {err && <ErrorState error={err} title="The fit was not started" />}
        <div className="row-between">
          <span className="muted small">Same data, options and seed give the same result.</span>
          <div className="row" style={{ gap: 8 }}>
            <button className="btn btn-secondary" type="button" onClick={submitAll} disabled={!dsId || fitAll.isPending || (health.data?.engines?.length ?? 0) < 2} title="Fit every engine on this dataset (no holdout: the ridge engine cannot hold periods out), then compare them">
              {fitAll.isPending ? "Starting…" : "Fit all engines"}
            </button>
            <button className="btn" type="submit" disabled={!dsId || start.isPending || invalid}>
              {start.isPending ? "Starting…" : "Start fit"}
            </button>
          </div>
        </div>
      </form>
    </Card>
  );
}

function ModelDetailView({ id }: { id: string }) {
  const model = useModel(id);
  const label = useEngineLabel();
  const cancel = useCancelFit();
  const m = model.data;
  const active = isActive(m?.status);
  const logs = useLogs(id, active);
  if (model.isPending) return <Loading what="Loading the fit" />;
  if (model.isError) return <ErrorState error={model.error} onRetry={() => model.refetch()} />;
  if (!m) return null;
  const job = m.job;
  return (
    <div className="grid mt">
      <Card
        title={`${m.name}`}
        subtitle={`${label(m.engine)} · started ${formatDate(m.created_at)}${m.finished_at ? ` · finished ${formatDate(m.finished_at)}` : ""}`}
        actions={
          <>
            <StatusBadge status={m.status} fraction={job?.fraction} />
            {m.has_result && <ReportButtons id={id} name={m.name} />}
            {active && (
              <button type="button" className="btn btn-sm btn-danger" onClick={() => cancel.mutate(id)} disabled={cancel.isPending || job?.cancel_requested}>
                {job?.cancel_requested ? "Cancelling…" : "Cancel fit"}
              </button>
            )}
          </>
        }
      >
        {job && (active || m.status === "failed" || m.status === "cancelled") && (
          <div className="stack" data-testid="fit-progress">
            <FitProgress job={job} active={active} />
            {job.error && (
              <div className="alert alert-error" role="alert">
                <div>
                  <strong>{job.error.message}</strong>
                  {job.error.hint && <div>Hint: {job.error.hint}</div>}
                  <div className="small">
                    <code>{job.error.code}</code>
                  </div>
                </div>
              </div>
            )}
            {logs.data && logs.data.lines.length > 0 && (
              <div className="log" aria-label="Fit log" tabIndex={0}>
                {logs.data.lines.slice(-40).map((l) => `${l.at.slice(11, 19)} ${l.level.padEnd(7)} ${l.message}`).join("\n")}
              </div>
            )}
          </div>
        )}
        {m.has_result && <FitResultView id={id} />}
        {m.has_result && <ParetoView id={id} />}
        {m.has_result && <AccuracyPanel id={id} />}
      </Card>
    </div>
  );
}

/** Download the HTML or XLSX report (a fetch with the key, then a file download). */
function ReportButtons({ id, name }: { id: string; name: string }) {
  const base = `/api/v1/models/${encodeURIComponent(id)}/report?format=`;
  const file = name.replace(/[^\w.-]+/g, "_");
  return (
    <DownloadButtons
      items={[
        { key: "html", label: "Report (HTML)", path: `${base}html`, filename: `${file}.html` },
        { key: "xlsx", label: "Excel", path: `${base}xlsx`, filename: `${file}.xlsx` },
      ]}
    />
  );
}

const fmtErr = (x: number | null | undefined) => (x == null || !Number.isFinite(x) ? "—" : x.toFixed(4));

/** Ridge fits: the kept Pareto models, the chosen one marked, and a way to choose another. */
function ParetoView({ id }: { id: string }) {
  const summary = useSummary(id);
  const select = useSelectParetoModel(id);
  const pareto = summary.data?.pareto;
  if (!pareto) return null;
  const models: ParetoModel[] = [...pareto.models].sort((a, b) => a.front - b.front || (a.score ?? Infinity) - (b.score ?? Infinity));
  const chosen = summary.data?.chosen_model ?? null;
  const hasLift = models.some((x) => x.mape != null);
  const err = select.error ? ApiError.from(select.error) : null;
  return (
    <div className="mt" data-testid="pareto">
      <h3 style={{ marginBottom: 8 }}>Pareto models</h3>
      <p className="muted small">
        The ridge engine keeps the models no other model beats on both fit error (NRMSE) and how far effect shares stray from spend shares (DECOMP.RSSD){hasLift ? ", and on lift-test error (MAPE.LIFT)" : ""}. The chosen model's results, with {intervalName(summary.data?.interval, summary.data?.interval_kind)}s, are what every screen shows.
      </p>
      {err && <ErrorState error={err} title="The model was not chosen" />}
      <div className="table-wrap">
        <table className="table" aria-label="Pareto models">
          <thead>
            <tr>
              <th>Model</th>
              <th>Front</th>
              <th>Cluster</th>
              <th>NRMSE</th>
              <th>DECOMP.RSSD</th>
              {hasLift && <th>MAPE.LIFT</th>}
              <th />
            </tr>
          </thead>
          <tbody>
            {models.map((pm) => {
              const isChosen = pm.id === chosen;
              return (
                <tr key={pm.id} aria-current={isChosen ? "true" : undefined} style={{ background: isChosen ? "var(--c-primary-faint)" : undefined }}>
                  <td>
                    <code>{pm.id}</code> {isChosen && <span className="badge badge-good">chosen</span>}
                  </td>
                  <td>{pm.front}</td>
                  <td>{pm.cluster}</td>
                  <td>{fmtErr(pm.nrmse)}</td>
                  <td>{fmtErr(pm.decomp_rssd)}</td>
                  {hasLift && <td>{fmtErr(pm.mape)}</td>}
                  <td>
                    {!isChosen && (
                      <button type="button" className="btn btn-sm btn-secondary" disabled={select.isPending} onClick={() => select.mutate(pm.id)} aria-label={`Make ${pm.id} the chosen model`}>
                        {select.isPending && select.variables === pm.id ? "Refitting the bootstrap…" : "Make this the chosen model"}
                      </button>
                    )}
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

/** The fit chart, the convergence verdict in words, and fit quality. */
function FitResultView({ id }: { id: string }) {
  const contributions = useContributions(id);
  const diagnostics = useDiagnostics(id);
  const summary = useSummary(id);
  const intervalKind = summary.data?.interval_kind;
  const { units: u0, modelId } = useCurrentModel();
  const units = modelId === id ? u0 : u0;
  const option = useMemo(() => {
    const c = contributions.data;
    if (!c) return null;
    const hs = c.holdout_start ? c.dates.indexOf(c.holdout_start) : -1;
    return fitChart({ dates: c.dates, observed: c.observed, fitted: c.fitted.mean, lo: c.fitted.lo, hi: c.fitted.hi, units, kpiLabel: units.kpiName, holdoutStart: hs >= 0 ? hs : null, intervalKind });
  }, [contributions.data, units, intervalKind]);
  return (
    <div className="grid grid-main-side mt">
      <div>
        <h3 style={{ marginBottom: 8 }}>Fit: observed vs model</h3>
        {contributions.isPending ? <Loading what="Loading the fit" height={320} /> : contributions.isError ? <ErrorState error={contributions.error} /> : option && <Chart option={option} height={320} ariaLabel="Observed KPI and the model's fit with its interval" testId="fit-chart" />}
      </div>
      <div>
        <h3 style={{ marginBottom: 8 }}>
          Can it be trusted? <ReviewBadge summary={summary.data} />
        </h3>
        <ReviewChecks summary={summary.data} />
        {diagnostics.isPending ? <Loading what="Checking convergence" /> : diagnostics.isError ? <ErrorState error={diagnostics.error} /> : <Verdict d={diagnostics.data} />}
        <div className="row mt">
          <Link className="btn btn-sm" to="/overview">
            See the channels →
          </Link>
        </div>
      </div>
    </div>
  );
}

function Verdict({ d }: { d: Diagnostics }) {
  const tone = d.approximate ? "warn" : d.converged ? "good" : d.converged === false ? "error" : "info";
  const head = d.approximate ? "Approximate fit" : d.converged ? "Converged" : d.converged === false ? "Did not converge" : "Not checked";
  return (
    <div className="stack" data-testid="verdict">
      <div className={`alert alert-${tone}`} role="status">
        <div>
          {d.verdict.toLowerCase().startsWith(head.toLowerCase()) ? (
            <>
              <strong>{head}</strong>
              {d.verdict.slice(head.length)}
            </>
          ) : (
            <>
              <strong>{head}.</strong> {d.verdict}
            </>
          )}
        </div>
      </div>
      <dl className="kv">
        {diagnosticRows(d).map(([label, text]) => (
          <KV key={label} label={label} text={text} />
        ))}
      </dl>
    </div>
  );
}

function KV({ label, text }: { label: string; text: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{text}</dd>
    </>
  );
}
