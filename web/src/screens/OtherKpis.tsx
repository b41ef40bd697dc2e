import { useQueries } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { Model } from "../api/hooks/models";
import { MetricCard } from "../components/MetricCard";
import { makeUnits } from "../lib/units";
import { kpiColumn } from "../lib/useCurrentModel";
import { useSession } from "../lib/session";

/**
 * "Every other modelled KPI": other fitted models of the same dataset that explain a different
 * KPI (say conversions next to revenue) are asked about the same split, so the cards show what
 * the sliders do to each KPI. Models whose channels differ answer an error and are left out.
 */
export function OtherKpis({ model, fitted, kpiName, shares, budget, periods }: { model: Model; fitted: Model[]; kpiName: string; shares: Record<string, number> | null; budget: number; periods: number }) {
  const { currency } = useSession();
  const candidates = fitted.filter((m) => m.id !== model.id && m.dataset_id === model.dataset_id);
  const details = useQueries({
    queries: candidates.map((m) => ({
      queryKey: ["models", m.id],
      queryFn: () => unwrap(api.GET("/api/v1/models/{model_id}", { params: { path: { model_id: m.id } } })),
      staleTime: 60_000,
    })),
  });
  // One model per other KPI: the newest (the list is newest first).
  const seen = new Set([kpiName]);
  const others = candidates
    .map((m, i) => ({ m, kpi: kpiColumn(details[i]?.data?.mapping) }))
    .filter((x): x is { m: Model; kpi: string } => {
      if (!x.kpi || seen.has(x.kpi)) return false;
      seen.add(x.kpi);
      return true;
    });
  const summaries = useQueries({
    queries: others.map(({ m }) => ({
      queryKey: ["models", m.id, "summary"],
      queryFn: () => unwrap(api.GET("/api/v1/models/{model_id}/summary", { params: { path: { model_id: m.id } } })),
      staleTime: Infinity,
    })),
  });
  const evals = useQueries({
    queries: others.map(({ m }) => ({
      queryKey: ["models", m.id, "shares", budget, periods, shares],
      enabled: !!shares && budget > 0,
      staleTime: Infinity,
      retry: false,
      queryFn: () => unwrap(api.POST("/api/v1/models/{model_id}/evaluate-shares", { params: { path: { model_id: m.id } }, body: { shares: shares!, budget, periods } })),
    })),
  });
  const cards = others
    .map(({ m, kpi }, i) => ({ m, kpi, s: summaries[i]?.data, e: evals[i] }))
    .filter((x) => x.e?.data || x.e?.isFetching);
  if (cards.length === 0) return null;
  return (
    <>
      <h2 className="mt" style={{ marginBottom: 10 }}>
        Other KPIs modelled on this data
      </h2>
      <div className="grid grid-4" data-testid="other-kpis">
        {cards.map(({ m, kpi, s, e }) => {
          const units = makeUnits(currency, kpi, s?.kpi_type);
          const t = e.data?.metrics.total_kpi;
          return (
            <MetricCard
              key={m.id}
              title={`${kpi} (total)`}
              hint={`From the model “${m.name}” (${m.engine}), for the same split of the same budget.`}
              original={t?.original_mean}
              current={t?.proposed_mean}
              kind="kpi"
              units={units}
              interval={t?.proposed_lo != null && t.proposed_hi != null ? { lo: t.proposed_lo, hi: t.proposed_hi } : null}
              delta={t?.delta_mean}
              deltaInterval={t?.delta_lo != null && t.delta_hi != null ? { lo: t.delta_lo, hi: t.delta_hi } : null}
              intervalKind={s?.interval_kind}
              pending={e.isFetching}
            />
          );
        })}
      </div>
    </>
  );
}
