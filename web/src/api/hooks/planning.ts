import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "../client";

export type SharesOut = Schemas["SharesOut"];
export type OptimizeIn = Schemas["OptimizeIn"];
export type OptimizeOut = Schemas["OptimizeOut"];
/** A saved scenario; `kind` (simulate, shares, optimize) says which request and result it has. */
export type Scenario = Schemas["ScenarioList"]["items"][number];
/** A recommendation; `kind` (reallocate, waste, saturation) says which details it has. */
export type Recommendation = Schemas["RecommendationsOut"]["items"][number];
export type CompareOut = Schemas["CompareOut"];
export type FrontierOut = Schemas["FrontierOut"];

/** Round-trip times of the last slider evaluations (ms), for the status line and the tests. */
export const shareTimings: number[] = [];

/**
 * Evaluate slider shares (fractions) of a budget. Keyed by the rounded shares, so dragging back
 * to a position seen before answers from the cache; the previous answer stays on screen while
 * the next one is on its way.
 */
export function useEvaluateShares(modelId: string | null, shares: Record<string, number> | null, budget: number | null, periods: number | null) {
  return useQuery({
    queryKey: ["models", modelId, "shares", budget, periods, shares],
    enabled: !!modelId && !!shares,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    queryFn: async ({ signal }) => {
      const t0 = performance.now();
      const out = await unwrap(
        api.POST("/api/v1/models/{model_id}/evaluate-shares", {
          params: { path: { model_id: modelId! } },
          body: { shares: shares!, budget: budget ?? undefined, periods: periods ?? undefined },
          signal,
        }),
      );
      const ms = performance.now() - t0;
      shareTimings.push(ms);
      if (shareTimings.length > 200) shareTimings.shift();
      (globalThis as { __mixwiseShareTimings?: number[] }).__mixwiseShareTimings = shareTimings;
      return { ...out, roundTripMs: ms };
    },
  });
}

export function useOptimize(modelId: string | null) {
  return useMutation({
    mutationFn: (body: OptimizeIn) => unwrap(api.POST("/api/v1/models/{model_id}/optimize", { params: { path: { model_id: modelId! } }, body })),
  });
}

export function useFrontier(modelId: string | null, body: Schemas["FrontierIn"] | null) {
  return useQuery({
    queryKey: ["models", modelId, "frontier", body],
    enabled: !!modelId && !!body,
    staleTime: Infinity,
    queryFn: () => unwrap(api.POST("/api/v1/models/{model_id}/frontier", { params: { path: { model_id: modelId! } }, body: body! })),
  });
}

export function useRecommendations(modelId: string | null, ready = true) {
  return useQuery({
    queryKey: ["models", modelId, "recommendations"],
    enabled: !!modelId && ready,
    staleTime: Infinity,
    queryFn: () => unwrap(api.GET("/api/v1/models/{model_id}/recommendations", { params: { path: { model_id: modelId! } } })),
  });
}

export function useScenarios(modelId: string | null) {
  return useQuery({
    queryKey: ["scenarios", modelId],
    enabled: !!modelId,
    queryFn: () => unwrap(api.GET("/api/v1/scenarios", { params: { query: { model_id: modelId! } } })).then((d) => d.items),
  });
}

export function useSaveScenario() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["ScenarioIn"]) => unwrap(api.POST("/api/v1/scenarios", { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["scenarios"] }),
  });
}

export function useDeleteScenario() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/v1/scenarios/{scenario_id}", { params: { path: { scenario_id: id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["scenarios"] }),
  });
}

export function useCompare(ids: string[]) {
  return useQuery({
    queryKey: ["scenarios", "compare", ids],
    enabled: ids.length >= 2,
    queryFn: () => unwrap(api.POST("/api/v1/scenarios/compare", { body: { scenario_ids: ids } })),
  });
}

export type CellOptimizeIn = Schemas["CellOptimizeIn"];
export type CellOptimizeOut = Schemas["CellOptimizeOut"];

/** The optimizer per geo of a geo model (POST /models/{id}/optimize/cells). */
export function useOptimizeCells(modelId: string | null) {
  return useMutation({
    mutationFn: (body: CellOptimizeIn) => unwrap(api.POST("/api/v1/models/{model_id}/optimize/cells", { params: { path: { model_id: modelId! } }, body })),
  });
}
