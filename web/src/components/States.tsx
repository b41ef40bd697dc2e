import type { ReactNode } from "react";
import { ApiError } from "../api/errors";

export function Spinner({ label = "Loading" }: { label?: string }) {
  return <div className="spinner" role="progressbar" aria-label={label} />;
}

/** A loading placeholder with a spinner and what is being loaded. */
export function Loading({ what = "Loading", height }: { what?: string; height?: number }) {
  return (
    <div className="state" style={height ? { minHeight: height } : undefined} aria-busy="true">
      <Spinner label={what} />
      <p>{what}…</p>
    </div>
  );
}

/** An error as the user should read it: the API's problem title and detail, and its hint. */
export function ErrorState({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  const e = ApiError.from(error);
  return (
    <div className="alert alert-error" role="alert">
      <span aria-hidden>⚠</span>
      <div className="stack" style={{ gap: 4 }}>
        <strong>{title ?? e.title}</strong>
        {e.detail && e.detail !== e.title && <span>{e.detail}</span>}
        {e.hint && <span>Hint: {e.hint}</span>}
        {e.fieldErrors.length > 0 && (
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            {e.fieldErrors.map((f, i) => (
              <li key={i}>
                {f.field ? <code>{f.field}</code> : null} {f.message}
              </li>
            ))}
          </ul>
        )}
        {onRetry && (
          <div>
            <button type="button" className="btn btn-sm btn-secondary" onClick={onRetry}>
              Try again
            </button>
          </div>
        )}
      </div>
    </div>
  );
}

/** Nothing to show yet: says what is missing and how to get it. */
export function EmptyState({ title, children, action, icon = "○" }: { title: string; children?: ReactNode; action?: ReactNode; icon?: ReactNode }) {
  return (
    <div className="state" data-testid="empty-state">
      <div aria-hidden style={{ fontSize: 26, color: "#93c5fd" }}>
        {icon}
      </div>
      <h3>{title}</h3>
      {children && <div className="muted">{children}</div>}
      {action}
    </div>
  );
}

export function Alert({ tone, children, role }: { tone: "error" | "warn" | "info" | "good"; children: ReactNode; role?: string }) {
  return (
    <div className={`alert alert-${tone}`} role={role ?? (tone === "error" || tone === "warn" ? "alert" : "status")}>
      {children}
    </div>
  );
}
