import { useQueryClient } from "@tanstack/react-query";
import { useWorkspace } from "../api/hooks/workspace";
import { useSession } from "../lib/session";
import { useCurrentModel } from "../lib/useCurrentModel";
import { formatDate } from "../lib/format";
import { WorkspaceSwitcher, useSignOut } from "./WorkspaceSwitcher";
import { ReviewBadge } from "./ReviewBadge";

const CURRENCIES = ["USD", "EUR", "GBP", "JPY", "CAD", "AUD", "CHF", "SEK", "INR", "BRL"];

/** Workspace, the model the dashboard shows, the spend currency, sign out. */
export function Topbar() {
  const { setApiKey, currency, setCurrency, setModelId } = useSession();
  const ws = useWorkspace();
  const { fitted, modelId, summary } = useCurrentModel();
  const qc = useQueryClient();
  const signOut = useSignOut();
  return (
    <header className="topbar">
      <WorkspaceSwitcher name={ws.data?.name} />
      <span className="topbar-spacer" />
      <label className="row small" style={{ gap: 6 }}>
        <span className="muted">Model</span>
        <select className="select" aria-label="Model shown on the dashboard" value={modelId ?? ""} onChange={(e) => setModelId(e.target.value || null)} disabled={fitted.length === 0} style={{ maxWidth: 280 }}>
          {fitted.length === 0 && <option value="">no fitted model yet</option>}
          {fitted.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name} · {m.engine}
              {m.approximate ? " · approximate (quick)" : ""} · {formatDate(m.finished_at ?? m.created_at)}
            </option>
          ))}
        </select>
        <ReviewBadge summary={summary.data} />
      </label>
      <label className="row small" style={{ gap: 6 }} title="The currency the data's spend is in (the data does not say)">
        <span className="muted">Currency</span>
        <select className="select" aria-label="Spend currency" value={currency} onChange={(e) => setCurrency(e.target.value)}>
          {[...new Set([currency, ...CURRENCIES])].map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="btn btn-sm btn-secondary"
        onClick={() => {
          void signOut().finally(() => {
            qc.clear();
            setApiKey(null);
          });
        }}
      >
        Sign out
      </button>
    </header>
  );
}
