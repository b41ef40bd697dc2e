import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../client";

/** The workspace's connectors (secrets are never sent back). */
export function useConnectors() {
  return useQuery({ queryKey: ["connectors"], queryFn: () => unwrap(api.GET("/api/v1/connectors")) });
}

/** Schedules with their last runs and each run's log; polled while a run is queued or running. */
export function useSchedules() {
  return useQuery({
    queryKey: ["schedules"],
    queryFn: () => unwrap(api.GET("/api/v1/schedules")),
    refetchInterval: (q) => (q.state.data?.some((s) => (s.runs ?? []).some((r) => r.status === "queued" || r.status === "running")) ? 3000 : false),
  });
}

export function useSyncConnector() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.POST("/api/v1/connectors/{connector_id}/sync", { params: { path: { connector_id: id } } })),
    onSettled: () => qc.invalidateQueries({ queryKey: ["connectors"] }),
  });
}

export function useRunSchedule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.POST("/api/v1/schedules/{schedule_id}/run", { params: { path: { schedule_id: id } } })),
    onSettled: () => qc.invalidateQueries({ queryKey: ["schedules"] }),
  });
}
