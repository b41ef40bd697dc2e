import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "../client";

/** Who is signed in (session cookie) or whose key this is; a 401 means: sign in. */
export function useMe(enabled = true) {
  return useQuery({ queryKey: ["me"], enabled, retry: false, queryFn: () => unwrap(api.GET("/api/v1/auth/me")), staleTime: 300_000 });
}

export function usePlan() {
  return useQuery({ queryKey: ["plan"], queryFn: () => unwrap(api.GET("/api/v1/plan")) });
}

export function useCredits() {
  return useQuery({ queryKey: ["credits"], queryFn: () => unwrap(api.GET("/api/v1/credits", { params: { query: { limit: 20 } } })) });
}

export function useUsage() {
  return useQuery({ queryKey: ["usage"], queryFn: () => unwrap(api.GET("/api/v1/usage")) });
}

export function useMembers(enabled: boolean) {
  return useQuery({ queryKey: ["members"], enabled, queryFn: () => unwrap(api.GET("/api/v1/members")) });
}

export function useKeys() {
  return useQuery({ queryKey: ["keys"], queryFn: () => unwrap(api.GET("/api/v1/keys")) });
}

export function useAddMember() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["MemberIn"]) => unwrap(api.POST("/api/v1/members", { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["members"] }),
  });
}

export function useSetRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: Schemas["RoleIn"]["role"] }) =>
      unwrap(api.PUT("/api/v1/members/{user_id}", { params: { path: { user_id: userId } }, body: { role } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["members"] }),
  });
}

export function useRemoveMember() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => unwrap(api.DELETE("/api/v1/members/{user_id}", { params: { path: { user_id: userId } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["members"] }),
  });
}

export function useCreateKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["KeyIn"]) => unwrap(api.POST("/api/v1/keys", { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["keys"] }),
  });
}

export function useRevokeKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (keyId: string) => unwrap(api.DELETE("/api/v1/keys/{key_id}", { params: { path: { key_id: keyId } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["keys"] }),
  });
}
