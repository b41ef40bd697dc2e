import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "../client";

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

/** The kinds of source with the names of their settings and secrets. */
export function useConnectorKinds() {
  return useQuery({ queryKey: ["connector-kinds"], queryFn: () => unwrap(api.GET("/api/v1/connector-kinds")), staleTime: Infinity });
}

/** Add a connector; its secrets go to the server once and never come back. */
export function useAddConnector() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["ConnectorIn"]) => unwrap(api.POST("/api/v1/connectors", { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["connectors"] }),
  });
}
