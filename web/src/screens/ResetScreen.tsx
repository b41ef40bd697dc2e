import { useState, type FormEvent } from "react";
import { useSearchParams } from "react-router-dom";
import { api, unwrap } from "../api/client";
import { ApiError } from "../api/errors";
import { Card } from "../components/Card";

/** The page of a reset or invitation link (`#/reset?token=…`): set a new password. */
export function ResetScreen() {
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const [password, setPassword] = useState("");
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await unwrap(api.POST("/api/v1/auth/reset", { body: { token, new_password: password } }));
      setDone(true);
    } catch (err) {
      const a = ApiError.from(err);
      setError(a.detail || a.title);
    }
  }

  return (
    <div style={{ minHeight: "100%", display: "grid", placeItems: "center", padding: 24 }}>
      <Card title="Set your password" subtitle="At least 10 characters.">
        {done ? (
          <p>
            Password set. <a href="#/">Sign in</a>.
          </p>
        ) : (
          <form onSubmit={submit} className="stack" style={{ width: "min(460px, 80vw)" }}>
            <label className="field">
              <span>New password</span>
              <input className="input" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
            </label>
            {error && (
              <span className="field-error" role="alert">
                {error}
              </span>
            )}
            <button className="btn" type="submit" disabled={!token || password.length < 10}>
              Set password
            </button>
          </form>
        )}
      </Card>
    </div>
  );
}
