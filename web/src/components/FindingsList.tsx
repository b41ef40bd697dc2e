import type { Finding } from "../api/hooks/datasets";

const TONE: Record<Finding["severity"], string> = { error: "badge-bad", warning: "badge-warn", info: "badge-blue" };
const ORDER: Record<Finding["severity"], number> = { error: 0, warning: 1, info: 2 };

/** Data check findings, errors first, each with its code, message, hint and where. */
export function FindingsList({ findings }: { findings: Finding[] }) {
  const sorted = [...findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
  if (sorted.length === 0) return <p className="muted">No findings: the data passed every check.</p>;
  return (
    <ul className="stack" style={{ listStyle: "none", padding: 0, margin: 0 }} aria-label="Findings">
      {sorted.map((f, i) => (
        <li key={i} className="row" style={{ alignItems: "flex-start", flexWrap: "nowrap" }} data-severity={f.severity}>
          <span className={`badge ${TONE[f.severity]}`} style={{ minWidth: 64, justifyContent: "center" }}>
            {f.severity}
          </span>
          <div style={{ minWidth: 0 }}>
            <div>
              {f.message}
              {f.column && (
                <>
                  {" "}
                  <code>{f.column}</code>
                </>
              )}
            </div>
            {f.hint && <div className="muted small">{f.hint}</div>}
            <div className="muted small">
              <code>{f.code}</code>
              {f.rows && f.rows.length > 0 && ` · rows ${f.rows.slice(0, 8).join(", ")}${f.rows.length > 8 ? ` and ${f.rows.length - 8} more` : ""}`}
            </div>
          </div>
        </li>
      ))}
    </ul>
  );
}
