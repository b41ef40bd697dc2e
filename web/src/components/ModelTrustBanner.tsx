import { Link } from "react-router-dom";
import { useSummary } from "../api/hooks/models";

export interface TrustFacts {
  /** Quick (ADVI) fit: approximate intervals. */
  approximate: boolean;
  /** The convergence verdict: false when a threshold (R-hat, ESS, divergences) is missed. */
  converged: boolean | null | undefined;
  /** The verdict in words, from the model summary. */
  verdict: string;
}

const sentence = (s: string) => (s ? s.charAt(0).toUpperCase() + s.slice(1) : s);

/** What a screen must say before showing a model's numbers; null when it can be trusted as is. */
export function trustWarning(f: TrustFacts): { tone: "error" | "warn"; title: string; text: string } | null {
  if (f.converged === false) {
    return {
      tone: "error",
      title: "This model did not converge",
      text: `${sentence(f.verdict.replace(/^did not converge:\s*/i, ""))} Its numbers below are not reliable${f.approximate ? ", and the fit is approximate (quick mode)" : ""}.`,
    };
  }
  if (f.approximate) {
    return { tone: "warn", title: "Approximate model (quick fit)", text: "Fitted in quick mode (ADVI): estimates and intervals are rough. Refit in full mode before acting on them." };
  }
  return null;
}

/**
 * A banner on every screen that shows a model's numbers when the model did not converge or is
 * an approximate (quick) fit, from the model summary's convergence verdict. Renders nothing for
 * a converged full fit. Reusable: `<ModelTrustBanner modelId={id} />`.
 */
export function ModelTrustBanner({ modelId }: { modelId: string | null }) {
  const s = useSummary(modelId, !!modelId);
  if (!s.data) return null;
  const d = s.data.diagnostics;
  const w = trustWarning({ approximate: s.data.approximate || d.approximate, converged: d.converged, verdict: d.verdict });
  if (!w) return null;
  return (
    <div className={`alert alert-${w.tone} trust-banner`} role="status" data-testid="model-trust-banner" data-trust={w.tone === "error" ? "not-converged" : "approximate"}>
      <span aria-hidden>⚠</span>
      <span>
        <strong>{w.title}.</strong> {w.text} <Link to="/models">See the Models screen</Link>
      </span>
    </div>
  );
}
