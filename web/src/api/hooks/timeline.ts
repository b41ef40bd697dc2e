import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "../client";

export type Calendar = Schemas["CalendarOut"];
export type Timeline = Schemas["TimelineOut"];
export type FlightEffect = Schemas["FlightEffectOut"];

/** The workspace's campaign calendar (null when none was uploaded: a 404 is not an error here). */
export function useCalendar(enabled = true) {
  return useQuery({
    queryKey: ["calendar"],
    enabled,
    queryFn: async () => {
      const r = await api.GET("/api/v1/calendar");
      if (r.response.status === 404) return null;
      return unwrap(Promise.resolve(r));
    },
  });
}

/** The Creative Launch Timeline of a model for the stored calendar. */
export function useTimeline(modelId: string | null, windowDays: number, enabled = true) {
  return useQuery({
    queryKey: ["calendar", "timeline", modelId, windowDays],
    enabled: enabled && !!modelId,
    queryFn: () =>
      unwrap(api.GET("/api/v1/models/{model_id}/timeline", { params: { path: { model_id: modelId! }, query: { window_days: windowDays } } })),
  });
}

/** Upload a calendar file (CSV, Excel, Parquet); replaces the workspace's calendar. */
export function useUploadCalendar() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (file: File) => {
      const form = new FormData();
      form.append("file", file);
      return unwrap(
        api.PUT("/api/v1/calendar", {
          // openapi-fetch would JSON-encode; send the FormData as it is.
          body: form as never,
          bodySerializer: (b: unknown) => b as FormData,
        }),
      );
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ["calendar"] }),
  });
}
