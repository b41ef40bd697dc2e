import { useSearchParams } from "react-router-dom";
import { useModels, useComparison, type Interval } from "../api/hooks/models";
import { Card } from "../components/Card";
import { Alert, EmptyState, ErrorState, Loading } from "../components/States";
import { agreementHeadline, defaultSelection, groupedReasons, intervalLegend, parseModelIds, verdict, verdictText, type Comparison } from "../lib/comparison";
import { formatPercent, formatRatio } from "../lib/format";

function cell(i: Interval | null | undefined, fmt: (x: number) => string): string {
  if (!i || i.mean == null) return "not computable";
  const range = i.lo == null || i.hi == null ? "" : ` [${fmt(i.lo)} – ${fmt(i.hi)}]`;
  return `${fmt(i.mean)}${range}`;
}

const pct = (x: number) => formatPercent(x, 1);
const ratio = (x: number) => formatRatio(x);

/** Fitted models side by side (any engines): ROAS and share per channel with each model's interval
 * and its kind, where they agree and why they may not, fit in sample and on a common holdout. */
export function ComparisonScreen() {
  const [params, setParams] = useSearchParams();
  const models = useModels();
  const fitted = (models.data ?? []).filter((m) => m.has_result);
  const fromUrl = parseModelIds(params.get("models"));
  const ids = fromUrl.length ? fromUrl : defaultSelection(fitted);
  const pending = (models.data ?? []).filter((m) => ids.includes(m.id) && !m.has_result);
  const comparison = useComparison(ids, pending.length === 0);

  const toggle = (id: string) => {
    const next = ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id];
    setParams(next.length ? { models: next.join(",") } : {});
  };

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Model Comparison</h1>
          <p>Engines side by side on the same data: what each says per channel, with its own kind of interval, where they agree, and the likely reason where they do not.</p>
        </div>
      </div>
      <Card title="Models compared" subtitle="Pick two or more fitted models (any engines).">
        {models.isPending ? (
          <Loading what="Loading models" />
        ) : fitted.length < 2 ? (
          <EmptyState title="Fewer than two fitted models">Fit all engines on a dataset from the Models screen, then compare them here.</EmptyState>
        ) : (
          <div className="row" style={{ flexWrap: "wrap", gap: 12 }} role="group" aria-label="Models compared">
            {fitted.map((m) => (
              <label key={m.id} className="row small" style={{ gap: 6 }}>
                <input type="checkbox" checked={ids.includes(m.id)} onChange={() => toggle(m.id)} />
                {m.name} · {m.engine}
              </label>
            ))}
          </div>
        )}
        {pending.length > 0 && <p className="muted small">Waiting for {pending.map((m) => m.name).join(", ")} to finish fitting…</p>}
      </Card>
      {ids.length >= 2 && pending.length === 0 && (
        comparison.isPending ? (
          <Loading what="Comparing the models" />
        ) : comparison.isError ? (
          <ErrorState error={comparison.error} onRetry={() => comparison.refetch()} title="The models could not be compared" />
        ) : (
          <ComparisonView c={comparison.data} />
        )
      )}
    </>
  );
}

function ComparisonView({ c }: { c: Comparison }) {
  const name = new Map(c.models.map((m) => [m.model_id, m.name]));
  const reasons = groupedReasons(c.channels);
  return (
    <div className="stack mt">
      {c.notes.map((n) => (
        <Alert key={n} tone="info">
          {n}
        </Alert>
      ))}
      <Card title={agreementHeadline(c.channels)} subtitle={`Intervals: ${intervalLegend(c.models).join("; ")}. Two models agree on a channel when their intervals overlap.`} testId="comparison-channels">
        <div className="table-wrap">
          <table className="table" aria-label="Channels compared">
            <thead>
              <tr>
                <th>Channel</th>
                {c.models.map((m) => (
                  <th key={m.model_id} title={m.interval_text}>
                    {m.name}
                    <div className="muted small">{m.engine_label}</div>
                  </th>
                ))}
                <th>Engines</th>
              </tr>
            </thead>
            <tbody>
              {c.channels.map((ch) => (
                <tr key={ch.channel}>
                  <td>{ch.channel}</td>
                  {ch.estimates.map((e) => (
                    <td key={e.model_id} className="small">
                      <div>ROAS {cell(e.roas, ratio)}</div>
                      <div className="muted">share {cell(e.share, pct)}</div>
                    </td>
                  ))}
                  <td>
                    <span className={`badge ${verdict(ch) === "agree" ? "badge-good" : verdict(ch) === "differ" ? "badge-warn" : ""}`} title={verdictText(ch)} data-testid="agreement">
                      {verdict(ch) === "agree" ? "agree" : verdict(ch) === "differ" ? "differ" : "n/a"}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
      {reasons.length > 0 && (
        <Card title="Where they differ, and why" subtitle="Derived from the data (spend variation) and the fits (posterior vs prior, baseline shares).">
          <ul className="stack small">
            {reasons.map((r) => (
              <li key={r.message}>
                <strong>{r.channels.join(", ")}</strong>: {r.message}
              </li>
            ))}
          </ul>
        </Card>
      )}
      <Card title="Fit" subtitle={c.holdout_window ? `Holdout: ${c.holdout_window.start} to ${c.holdout_window.end} (${c.holdout_window.n} periods), the same window for every model.` : "In-sample only: no model was fitted with a holdout."}>
        <div className="table-wrap">
          <table className="table" aria-label="Fit compared">
            <thead>
              <tr>
                <th>Model</th>
                <th>R² in sample</th>
                <th>MAPE in sample</th>
                <th>NRMSE in sample</th>
                {c.holdout_window && <th>R² holdout</th>}
                {c.holdout_window && <th>MAPE holdout</th>}
                {c.holdout_window && <th>NRMSE holdout</th>}
                <th>Baseline share</th>
              </tr>
            </thead>
            <tbody>
              {c.fit.map((f, k) => (
                <tr key={f.model_id}>
                  <td>{name.get(f.model_id)}</td>
                  <td>{f.in_sample.r2 == null ? "n/a" : f.in_sample.r2.toFixed(3)}</td>
                  <td>{f.in_sample.mape == null ? "n/a" : formatPercent(f.in_sample.mape, 1)}</td>
                  <td>{f.in_sample.nrmse == null ? "n/a" : f.in_sample.nrmse.toFixed(3)}</td>
                  {c.holdout_window && (
                    <>
                      <td>
                        {f.holdout?.r2 == null ? "n/a" : f.holdout.r2.toFixed(3)}
                        {f.holdout && !f.holdout_out_of_sample && <span className="muted small"> (in sample)</span>}
                      </td>
                      <td>{f.holdout?.mape == null ? "n/a" : formatPercent(f.holdout.mape, 1)}</td>
                      <td>{f.holdout?.nrmse == null ? "n/a" : f.holdout.nrmse.toFixed(3)}</td>
                    </>
                  )}
                  <td>{cell(c.baseline[k]?.share, pct)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </div>
  );
}
