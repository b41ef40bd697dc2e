import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "../client";

export type Model = Schemas["ModelOut"];
export type ModelDetail = Schemas["ModelDetail"];
export type Job = Schemas["JobOut"];
export type Summary = Schemas["SummaryOut"];
export type ChannelSummary = Schemas["ChannelSummary"];
export type Contributions = Schemas["ContributionsOut"];
export type Diagnostics = Schemas["DiagnosticsOut"];
export type Curves = Schemas["ResponseCurvesOut"];
export type Interval = Schemas["Interval"];

const ACTIVE = new Set(["queued", "running"]);
export const isActive = (status: string | undefined) => !!status && ACTIVE.has(status);

export function useModels(enabled = true) {
  return useQuery({
    queryKey: ["models"],
    enabled,
    queryFn: () => unwrap(api.GET("/api/v1/models")).then((d) => d.items),
    // Follow fits that are still running.
    refetchInterval: (q) => (q.state.data?.some((m) => isActive(m.status)) ? 2000 : false),
  });
}

/** One model; polls every second while its fit is queued or running. */
export function useModel(id: string | null) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: ["models", id],
    enabled: !!id,
    queryFn: async () => {
      const m = await unwrap(api.GET("/api/v1/models/{model_id}", { params: { path: { model_id: id! } } }));
      if (!isActive(m.status)) qc.invalidateQueries({ queryKey: ["models"], exact: true });
      return m;
    },
    refetchInterval: (q) => (isActive(q.state.data?.status) ? 1000 : false),
  });
}

export function useStartFit() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["ModelIn"]) => unwrap(api.POST("/api/v1/models", { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["models"] }),
  });
}

export function useCancelFit() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.POST("/api/v1/models/{model_id}/cancel", { params: { path: { model_id: id } } })),
    onSuccess: (_d, id) => qc.invalidateQueries({ queryKey: ["models", id] }),
  });
}

export function useLogs(id: string | null, follow: boolean) {
  return useQuery({
    queryKey: ["models", id, "logs"],
    enabled: !!id,
    queryFn: () => unwrap(api.GET("/api/v1/models/{model_id}/logs", { params: { path: { model_id: id! }, query: { after: 0, limit: 500 } } })),
    refetchInterval: follow ? 1500 : false,
  });
}

function resultQuery<T>(id: string | null, ready: boolean, part: string, fn: () => Promise<T>) {
  return { queryKey: ["models", id, part], enabled: !!id && ready, queryFn: fn, staleTime: Infinity };
}

export function useSummary(id: string | null, ready = true) {
  return useQuery(resultQuery(id, ready, "summary", () => unwrap(api.GET("/api/v1/models/{model_id}/summary", { params: { path: { model_id: id! } } }))));
}

export function useContributions(id: string | null, ready = true) {
  return useQuery(resultQuery(id, ready, "contributions", () => unwrap(api.GET("/api/v1/models/{model_id}/contributions", { params: { path: { model_id: id! } } }))));
}

export function useDiagnostics(id: string | null, ready = true) {
  return useQuery(resultQuery(id, ready, "diagnostics", () => unwrap(api.GET("/api/v1/models/{model_id}/diagnostics", { params: { path: { model_id: id! } } }))));
}

export function useDecomposition(id: string | null, ready = true) {
  return useQuery(resultQuery(id, ready, "decomposition", () => unwrap(api.GET("/api/v1/models/{model_id}/decomposition", { params: { path: { model_id: id! } } }))));
}

/** The decomposition over a window of the fitted periods (start / end: ISO dates, "" = open). */
export function useDecompositionWindow(id: string | null, start: string, end: string, ready = true) {
  const query = { ...(start ? { start } : {}), ...(end ? { end } : {}) };
  return useQuery(resultQuery(id, ready && !!(start || end), `decomposition-${start}-${end}`, () => unwrap(api.GET("/api/v1/models/{model_id}/decomposition", { params: { path: { model_id: id! }, query } }))));
}

export function useResponseCurves(id: string | null, ready = true, maxMultiple = 3) {
  return useQuery(
    resultQuery(id, ready, `curves-${maxMultiple}`, () =>
      unwrap(api.GET("/api/v1/models/{model_id}/response-curves", { params: { path: { model_id: id! }, query: { max_multiple: maxMultiple, points: 41 } } })),
    ),
  );
}

export function useModelDetail(id: string | null) {
  return useModel(id);
}

export type ParetoModel = Schemas["ParetoModel"];

/** Ridge fits: make another Pareto model the chosen one; every result of the model is refetched. */
export function useSelectParetoModel(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (paretoModel: string) => unwrap(api.POST("/api/v1/models/{model_id}/select", { params: { path: { model_id: id } }, body: { pareto_model: paretoModel } })),
    onSuccess: (summary) => {
      qc.setQueryData(["models", id, "summary"], summary);
      return qc.invalidateQueries({ queryKey: ["models", id], predicate: (q) => q.queryKey[2] !== "summary" });
    },
  });
}

/** Fit several engines (null: all the server has) on one dataset: one background job each. */
export function useFitAll() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["ModelsIn"]) => unwrap(api.POST("/api/v1/models/batch", { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["models"] }),
  });
}

/** Fitted models side by side (two or more ids). */
export function useComparison(ids: string[], ready = true) {
  const key = ids.join(",");
  return useQuery({
    queryKey: ["comparison", key],
    enabled: ids.length >= 2 && ready,
    queryFn: () => unwrap(api.GET("/api/v1/comparisons", { params: { query: { models: key } } })),
    staleTime: Infinity,
  });
}

export type Adstock = Schemas["AdstockOut"];
export type Decomposition = Schemas["DecompositionOut"];

export function useAdstock(id: string | null, ready = true) {
  return useQuery(resultQuery(id, ready, "adstock", () => unwrap(api.GET("/api/v1/models/{model_id}/adstock", { params: { path: { model_id: id! } } }))));
}

export type Truth = Schemas["TruthOut"];

/** Estimate vs truth per channel (known only for the generator's synthetic data). */
export function useTruth(id: string | null, ready = true) {
  return useQuery(resultQuery(id, ready, "truth", () => unwrap(api.GET("/api/v1/models/{model_id}/truth", { params: { path: { model_id: id! } } }))));
}

/** Backtests across a model's refresh chain, oldest first (GET /models/{id}/accuracy). */
export function useAccuracy(id: string | null, ready = true) {
  return useQuery(resultQuery(id, ready, "accuracy", () => unwrap(api.GET("/api/v1/models/{model_id}/accuracy", { params: { path: { model_id: id! } } }))));
}

export type Accuracy = Schemas["AccuracyOut"];
