import { useState } from "react";
import { useBenchmarks, type Benchmarks } from "../api/hooks/benchmarks";
import { Card } from "../components/Card";
import { ErrorState, Loading } from "../components/States";
import { formatDate, formatInterval, formatMetric, type MetricKind, type Units } from "../lib/format";

const KIND: Record<string, MetricKind> = { roas: "ratio", cpa: "currency" };
const VERDICT: Record<string, string> = {
  above: "above the benchmark (whole interval)",
  below: "below the benchmark (whole interval)",
  overlaps: "no clear difference (the interval contains the benchmark)",
};

/** The comparison table: each benchmark row with its source and date beside the model's figure. */
export function BenchmarksTable({ doc, units }: { doc: Benchmarks; units: Units }) {
  if (!doc.items.length) return <p className="small" data-testid="benchmarks-empty">{doc.message}</p>;
  return (
    <div className="table-wrap">
      <table className="table small" aria-label="Industry benchmarks">
        <thead>
          <tr>
            <th>Metric</th>
            <th>Benchmark</th>
            <th className="num">Value</th>
            <th className="num">This model</th>
            <th>Comparison</th>
            <th>Source</th>
          </tr>
        </thead>
        <tbody>
          {doc.items.map(({ benchmark: b, model, why, verdict }) => {
            const kind = KIND[b.metric] ?? "number";
            return (
              <tr key={b.id}>
                <td>
                  {b.metric.toUpperCase()} {b.channel ? `(${b.channel})` : "(all media)"}
                </td>
                <td>
                  {b.industry}, {b.region}, {b.period}
                </td>
                <td className="num">{formatMetric(b.value, kind, units)}</td>
                <td className="num">
                  {model ? (
                    <>
                      <strong>{formatMetric(model.mean, kind, units)}</strong>
                      <div className="muted small">{formatInterval(model.lo, model.hi, kind, units, doc.interval)}</div>
                    </>
                  ) : (
                    <span className="muted">not shown: {why}</span>
                  )}
                </td>
                <td>{verdict ? VERDICT[verdict] ?? verdict : "—"}</td>
                <td>
                  {b.source} <span className="muted">({formatDate(b.date)})</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The overview's "Industry Benchmarks": published figures an administrator loaded, never invented. */
export function BenchmarksCard({ modelId, units }: { modelId: string; units: Units }) {
  const [industry, setIndustry] = useState("");
  const [region, setRegion] = useState("");
  const q = useBenchmarks(modelId, industry.trim(), region.trim());
  return (
    <Card title="Industry Benchmarks" subtitle="Published figures loaded by an administrator, each with its source and date, beside this model's ROAS and CPA with their intervals.">
      <div className="small" style={{ display: "flex", flexWrap: "wrap", gap: 12, marginBottom: 8 }}>
        <label className="field">
          <span>Industry</span>
          <input className="input" value={industry} onChange={(e) => setIndustry(e.target.value)} aria-label="Industry" placeholder="any" />
        </label>
        <label className="field">
          <span>Region</span>
          <input className="input" value={region} onChange={(e) => setRegion(e.target.value)} aria-label="Region" placeholder="any" />
        </label>
      </div>
      {q.isPending ? <Loading what="Loading benchmarks" /> : q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} /> : <BenchmarksTable doc={q.data} units={units} />}
    </Card>
  );
}
