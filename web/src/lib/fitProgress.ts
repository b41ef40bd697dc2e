/**
 * The stages of a fit, each with its own progress, and a time estimate that is given only once
 * the sampling speed is known (compiling takes an unknown, machine-dependent time, so an
 * estimate from the job's overall fraction during compile promised minutes it then revised).
 */

export const FIT_STAGES = [
  { id: "loading", label: "Load data" },
  { id: "build", label: "Build model" },
  { id: "compile", label: "Compile" },
  { id: "sampling", label: "Sample" },
  { id: "post-processing", label: "Post-process" },
  { id: "saving", label: "Save" },
] as const;

export type StageState = "done" | "current" | "pending";

/** Each stage's state when the job reports `stage` (unknown stages: all pending). */
export function stageStates(stage: string, finished = false): { id: string; label: string; state: StageState }[] {
  const at = FIT_STAGES.findIndex((s) => s.id === stage);
  return FIT_STAGES.map((s, i) => ({ ...s, state: finished || (at >= 0 && i < at) ? "done" : i === at ? "current" : "pending" }));
}

/**
 * A stage's own progress from its message: the "n/m" counts it reports (chains' draws, ADVI
 * steps), summed: sum(n) / sum(m). Null when the message has no counts.
 */
export function stageFraction(message: string): number | null {
  let done = 0;
  let total = 0;
  for (const m of message.matchAll(/(\d+)\s*\/\s*(\d+)/g)) {
    done += Number(m[1]);
    total += Number(m[2]);
  }
  return total > 0 ? Math.min(done / total, 1) : null;
}

export interface Observation {
  /** Milliseconds (a clock). */
  t: number;
  /** Progress of the sampling stage, 0..1. */
  p: number;
}

/**
 * Seconds of sampling left, from the speed seen since sampling began:
 *   eta = (1 - p_now) * (t_now - t_first) / (p_now - p_first)
 * Null until the speed is known: at least `minSeconds` of sampling watched and progress made.
 */
export function samplingEta(obs: readonly Observation[], minSeconds = 5): number | null {
  if (obs.length < 2) return null;
  const first = obs[0];
  const last = obs[obs.length - 1];
  const dt = (last.t - first.t) / 1000;
  const dp = last.p - first.p;
  if (dt < minSeconds || dp <= 0) return null;
  return Math.max(0, ((1 - last.p) * dt) / dp);
}
