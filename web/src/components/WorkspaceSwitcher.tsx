import { useQueryClient } from "@tanstack/react-query";
import { api, getApiKey, getWorkspaceId, setWorkspaceId } from "../api/client";
import { useMe } from "../api/hooks/accounts";
import { useSession } from "../lib/session";

/** The workspace shown; a signed-in person with several workspaces switches here. */
export function WorkspaceSwitcher({ name }: { name?: string }) {
  const me = useMe(!getApiKey());
  const qc = useQueryClient();
  const { setDatasetId, setModelId } = useSession();
  const mine = me.data?.via === "session" ? me.data.workspaces : [];
  if (mine.length < 2) {
    return (
      <span className="muted small">
        Workspace <strong style={{ color: "var(--c-ink)" }}>{name ?? "…"}</strong>
        {me.data?.role && <span> · {me.data.role}</span>}
      </span>
    );
  }
  const current = getWorkspaceId() ?? me.data?.workspace_id ?? "";
  return (
    <label className="row small" style={{ gap: 6 }}>
      <span className="muted">Workspace</span>
      <select
        className="select"
        aria-label="Workspace"
        value={current}
        onChange={(e) => {
          setWorkspaceId(e.target.value);
          setDatasetId(null);
          setModelId(null);
          qc.clear();
        }}
      >
        {mine.map((w) => (
          <option key={w.workspace_id} value={w.workspace_id}>
            {w.workspace_name} · {w.role}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Ends the server session (if signed in with one); a key is simply forgotten by the caller. */
export function useSignOut(): () => Promise<void> {
  return async () => {
    if (getApiKey()) return;
    try {
      await api.POST("/api/v1/auth/sign-out");
    } finally {
      setWorkspaceId(null);
    }
  };
}
