import { useAccuracy, type Accuracy } from "../api/hooks/models";
import { ErrorState, Loading } from "./States";
import { formatPercent } from "../lib/format";

type Point = Accuracy["points"][number];

const fmt = (x: number | null | undefined, digits = 4) => (x == null || !Number.isFinite(x) ? "—" : x.toPrecision(digits));

/**
 * "Model accuracy over time": each refresh of the chain scored its parent on the periods the
 * parent had never seen (forecast vs actual): MAPE, the share of actuals inside the forecast's 90%
 * interval (a trustworthy model keeps it near 90%) and the CRPS (KPI units, lower is better).
 */
export function AccuracyPanel({ id }: { id: string }) {
  const accuracy = useAccuracy(id);
  if (accuracy.isPending) return <Loading what="Loading the backtests" />;
  if (accuracy.isError) return <ErrorState error={accuracy.error} onRetry={() => accuracy.refetch()} />;
  const scored = accuracy.data.points.filter((p) => p.backtest);
  return (
    <section aria-label="Model accuracy over time" className="stack mt">
      <h3>Model accuracy over time</h3>
      {scored.length === 0 ? (
        <p className="muted">
          No backtest yet: the series starts with the first refresh of this model (<code>mixwise refresh</code> or <code>POST /models/{"{id}"}/refresh</code>), which
          scores this model's forecast of the new periods against what happened.
        </p>
      ) : (
        <>
          <p className="small muted">
            Each refresh first scored the previous model on the periods it had not seen. Coverage is the share of actual values inside the forecast's 90% interval: near 90% means the
            intervals are honest; far below means the model is over-confident.
          </p>
          <table className="table" aria-label="Backtests across refreshes">
            <thead>
              <tr>
                <th>Refresh</th>
                <th>Data to</th>
                <th className="num">Periods scored</th>
                <th className="num">MAPE</th>
                <th className="num">90% interval coverage</th>
                <th className="num">CRPS</th>
              </tr>
            </thead>
            <tbody>
              {scored.map((p: Point) => (
                <tr key={p.model_id}>
                  <td>{p.name}</td>
                  <td>{p.data_end}</td>
                  <td className="num">{p.backtest!.periods}</td>
                  <td className="num">{p.backtest!.mape == null ? "—" : formatPercent(p.backtest!.mape)}</td>
                  <td className="num">
                    {formatPercent(p.backtest!.coverage)}
                    {p.backtest!.coverage < 0.75 && <span className="badge badge-warn"> over-confident</span>}
                  </td>
                  <td className="num">{fmt(p.backtest!.crps)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
