import { useState, type FormEvent } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { api, getApiKey, setApiKey as storeKey, unwrap } from "../api/client";
import { ApiError } from "../api/errors";
import { useSession } from "../lib/session";
import { useHealth } from "../api/hooks/workspace";
import { Card } from "../components/Card";

/** Asks for an API key (from `mixwise keys create WORKSPACE`) and checks it against the server. */
export function ConnectScreen() {
  const { setApiKey } = useSession();
  const qc = useQueryClient();
  const health = useHealth();
  const [key, setKey] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const previous = getApiKey();
    storeKey(key);
    try {
      await unwrap(api.GET("/api/v1/workspace"));
      qc.clear();
      setApiKey(key);
    } catch (err) {
      storeKey(previous);
      const a = ApiError.from(err);
      setError(a.status === 401 ? "This key is not valid for this server." : `${a.title}${a.detail ? `: ${a.detail}` : ""}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div style={{ minHeight: "100%", display: "grid", placeItems: "center", padding: 24 }}>
      <Card className="connect" title="Connect to mixwise" subtitle="The dashboard reads your workspace through the mixwise API.">
        <form onSubmit={submit} className="stack" style={{ width: "min(460px, 80vw)" }}>
          <label className="field">
            <span>API key</span>
            <input className="input" name="apiKey" type="password" autoComplete="off" placeholder="mw_…" value={key} onChange={(e) => setKey(e.target.value)} aria-invalid={!!error} aria-describedby="key-help key-error" />
          </label>
          {error && (
            <span id="key-error" className="field-error" role="alert">
              {error}
            </span>
          )}
          <p id="key-help" className="muted small">
            Create one with <code>mixwise keys create MY_WORKSPACE</code> (the key is the last line it prints). <code>mixwise serve --demo</code> opens the dashboard with a key for
            its demo workspace.
          </p>
          <div className="row-between">
            <span className="muted small">
              {health.isSuccess ? `Server ${health.data.version} · database ${health.data.database}` : health.isError ? "Server not reachable" : "Checking server…"}
            </span>
            <button className="btn" type="submit" disabled={!key.trim() || busy}>
              {busy ? "Checking…" : "Connect"}
            </button>
          </div>
        </form>
      </Card>
    </div>
  );
}
