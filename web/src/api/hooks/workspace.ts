import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../client";

export function useHealth() {
  return useQuery({ queryKey: ["health"], queryFn: () => unwrap(api.GET("/api/v1/health")), staleTime: 60_000 });
}

export function useWorkspace(enabled = true) {
  return useQuery({ queryKey: ["workspace"], enabled, queryFn: () => unwrap(api.GET("/api/v1/workspace")), staleTime: 300_000 });
}
