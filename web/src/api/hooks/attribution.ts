import { useQuery } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "../client";

export type AttributionIn = Schemas["AttributionIn"];

/** `POST /attribution` of a journeys dataset beside fitted models (kept while the inputs are the same). */
export function useAttribution(body: AttributionIn | null) {
  return useQuery({
    queryKey: ["attribution", body],
    enabled: !!body,
    staleTime: Infinity,
    retry: false,
    queryFn: () => unwrap(api.POST("/api/v1/attribution", { body: body! })),
  });
}
