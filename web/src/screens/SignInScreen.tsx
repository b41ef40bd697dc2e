import { useState, type FormEvent } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api, setWorkspaceId, unwrap } from "../api/client";
import { ApiError } from "../api/errors";
import { Card } from "../components/Card";
import { ConnectScreen } from "./ConnectScreen";

/** Sign in with email and password (a session cookie); or connect with an API key instead. */
export function SignInScreen() {
  const qc = useQueryClient();
  const [mode, setMode] = useState<"password" | "key" | "forgot">("password");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [message, setMessage] = useState<{ tone: "error" | "info"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const methods = useQuery({ queryKey: ["auth-methods"], queryFn: () => unwrap(api.GET("/api/v1/auth/methods")), staleTime: 300_000 });

  if (mode === "key") {
    return (
      <div>
        <ConnectScreen />
        <p className="small" style={{ textAlign: "center" }}>
          <button type="button" className="btn btn-sm btn-secondary" onClick={() => setMode("password")}>
            Sign in with email and password instead
          </button>
        </p>
      </div>
    );
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      if (mode === "forgot") {
        await unwrap(api.POST("/api/v1/auth/reset-request", { body: { email } }));
        setMessage({ tone: "info", text: "If this address has an account, a reset link is on its way." });
        return;
      }
      const me = await unwrap(api.POST("/api/v1/auth/sign-in", { body: { email, password } }));
      setWorkspaceId(me.workspace_id ?? me.workspaces[0]?.workspace_id ?? null);
      qc.clear();
      await qc.invalidateQueries({ queryKey: ["me"] });
    } catch (err) {
      const a = ApiError.from(err);
      setMessage({ tone: "error", text: a.status === 429 ? `${a.detail} ${a.hint ?? ""}` : a.detail || a.title });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div style={{ minHeight: "100%", display: "grid", placeItems: "center", padding: 24 }}>
      <Card className="connect" title={mode === "forgot" ? "Reset your password" : "Sign in to mixwise"} subtitle="Your workspaces, with the role you have in each.">
        <form onSubmit={submit} className="stack" style={{ width: "min(460px, 80vw)" }}>
          <label className="field">
            <span>Email</span>
            <input className="input" name="email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} />
          </label>
          {mode === "password" && (
            <label className="field">
              <span>Password</span>
              <input className="input" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
            </label>
          )}
          {message && (
            <span className={message.tone === "error" ? "field-error" : "muted small"} role={message.tone === "error" ? "alert" : "status"}>
              {message.text}
            </span>
          )}
          <div className="row-between">
            <span className="row small" style={{ gap: 6 }}>
              <button type="button" className="btn btn-sm btn-secondary" onClick={() => setMode(mode === "forgot" ? "password" : "forgot")}>
                {mode === "forgot" ? "Back to sign-in" : "Forgot password?"}
              </button>
              <button type="button" className="btn btn-sm btn-secondary" onClick={() => setMode("key")}>
                Use an API key
              </button>
            </span>
            <button className="btn" type="submit" disabled={!email.trim() || (mode === "password" && !password) || busy}>
              {busy ? "…" : mode === "forgot" ? "Send link" : "Sign in"}
            </button>
          </div>
          {methods.data?.oidc && mode === "password" && (
            <a className="btn btn-secondary" href="/api/v1/auth/oidc/start">
              Sign in with your organisation&apos;s identity provider
            </a>
          )}
        </form>
      </Card>
    </div>
  );
}
