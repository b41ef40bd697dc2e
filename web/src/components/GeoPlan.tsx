import { useState } from "react";
import { useOptimizeCells } from "../api/hooks/planning";
import { formatCurrency, formatNumber, formatRatio } from "../lib/format";
import { Card } from "./Card";
import { ErrorState, Loading } from "./States";

type Iv = { mean: number | null; lo: number | null; hi: number | null };
const range = (i: Iv, f: (x: number | null) => string) => `${f(i.mean)} [${f(i.lo)} – ${f(i.hi)}]`;

/** Budget per geo: the optimizer's answer per cell (geo) and channel, with intervals, and a
 * geo picker to read one geo at a time. A national model answers that it has no geos. */
export function GeoPlan({ modelId, budget, periods, currency }: { modelId: string; budget: number; periods: number; currency: string }) {
  const run = useOptimizeCells(modelId);
  const [geo, setGeo] = useState<string>("");
  const data = run.data;
  const geos = data ? data.cells.map((c) => c.cell) : [];
  const rows = data ? data.allocation.filter((r) => !geo || r.cell === geo) : [];
  const cur = (x: number | null) => formatCurrency(x, currency);
  return (
    <Card title="Budget per geo" subtitle={`The optimizer across geos: ${cur(budget)} over ${periods} periods, bounds per geo, intervals on every figure.`}>
      <div className="row" style={{ gap: 8 }}>
        <button type="button" className="btn" onClick={() => run.mutate({ budget, periods })} disabled={run.isPending || budget <= 0}>
          Optimize per geo
        </button>
        {data && (
          <label>
            Geo{" "}
            <select aria-label="Geo" value={geo} onChange={(e) => setGeo(e.target.value)}>
              <option value="">All geos</option>
              {geos.map((g) => (
                <option key={g} value={g}>{g}</option>
              ))}
            </select>
          </label>
        )}
      </div>
      {run.isPending && <Loading what="Optimizing per geo" />}
      {run.isError && <ErrorState error={run.error} title="The budget could not be planned per geo" />}
      {data && (
        <table className="table" aria-label="Allocation per geo">
          <thead>
            <tr><th>Geo</th><th>Channel</th><th>Current</th><th>Optimal</th><th>Incremental KPI</th><th>Marginal ROAS</th></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.cell}/${r.channel}`}>
                <td>{r.cell}</td>
                <td>{r.channel}</td>
                <td>{cur(r.recent)}</td>
                <td>{cur(r.budget)}{r.bound ? ` (at ${r.bound})` : ""}</td>
                <td>{range(r.kpi, (x) => formatNumber(x))}</td>
                <td>{range(r.mroas, formatRatio)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
