import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../client";

export function useHealth() {
  return useQuery({ queryKey: ["health"], queryFn: () => unwrap(api.GET("/api/v1/health")), staleTime: 60_000 });
}

export function useWorkspace(enabled = true) {
  return useQuery({ queryKey: ["workspace"], enabled, queryFn: () => unwrap(api.GET("/api/v1/workspace")), staleTime: 300_000 });
}

/** How screens name engine `name` ("Ridge (Robyn's method)"), as the server's engine registry says. */
export function useEngineLabel(): (name: string) => string {
  const health = useHealth();
  return (name: string) => health.data?.engine_labels?.[name] ?? name;
}
