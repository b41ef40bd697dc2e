import { useEffect, useRef, useState } from "react";
import type { Job } from "../api/hooks/models";
import { samplingEta, stageFraction, stageStates, type Observation } from "../lib/fitProgress";
import { formatDuration, formatPercent, humanize } from "../lib/format";

/**
 * A running fit as stages (load, build, compile, sample, post-process, save), each with its own
 * progress where the stage reports counts, and the time left of sampling once its speed has been
 * watched for a few seconds; no estimate before that.
 */
export function FitProgress({ job, active }: { job: Job; active: boolean }) {
  const obs = useRef<Observation[]>([]);
  const [eta, setEta] = useState<number | null>(null);
  const own = stageFraction(job.message);
  useEffect(() => {
    if (!active || job.stage !== "sampling" || own == null) {
      if (job.stage !== "sampling") obs.current = [];
      setEta(null);
      return;
    }
    const list = obs.current;
    if (list.length === 0 || list[list.length - 1].p !== own) list.push({ t: Date.now(), p: own });
    setEta(samplingEta(list));
  }, [job.stage, job.message, own, active]);
  const stages = stageStates(job.stage, job.status === "succeeded");
  return (
    <>
      <div className="row-between small">
        <span>
          <strong>{humanize(job.stage || job.status)}</strong> {job.message && <span className="muted">· {job.message}</span>}
        </span>
        <span className="muted" data-testid="fit-eta">
          {formatPercent(job.fraction, 0)} overall
          {active && job.stage === "sampling" ? (eta != null ? ` · sampling: about ${formatDuration(eta)} left` : " · estimating the sampling speed…") : ""}
        </span>
      </div>
      <div className="progress" role="progressbar" aria-label="Fit progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(job.fraction * 100)}>
        <div style={{ width: `${Math.max(2, job.fraction * 100)}%` }} />
      </div>
      <ol className="fit-stages" aria-label="Fit stages" data-testid="fit-stages">
        {stages.map((s) => (
          <li key={s.id} data-state={s.state}>
            <span aria-hidden>{s.state === "done" ? "✓" : s.state === "current" ? "●" : "○"}</span> {s.label}
            {s.state === "current" && own != null && <span className="muted"> {formatPercent(own, 0)}</span>}
            <span className="sr-only"> ({s.state})</span>
          </li>
        ))}
      </ol>
    </>
  );
}
