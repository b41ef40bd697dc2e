import { useQuery } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "../client";

export type Benchmarks = Schemas["BenchmarksOut"];

/** The model's ROAS and CPA against the benchmarks matching an industry and region ("" = any). */
export function useBenchmarks(modelId: string | null, industry: string, region: string) {
  return useQuery({
    queryKey: ["benchmarks", modelId, industry, region],
    enabled: !!modelId,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/models/{model_id}/benchmarks", {
          params: { path: { model_id: modelId! }, query: { industry: industry || undefined, region: region || undefined } },
        }),
      ),
  });
}
