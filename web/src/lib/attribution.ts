/**
 * The Attribution Model Comparison screen's logic, apart from React: which columns (MTA models
 * and fitted MMMs) it shows, their colours, the user-weighted blend of models and the
 * recommendation card. Numbers come from the API (`POST /attribution`, model summaries); nothing
 * here invents a figure: what a model cannot see stays `null` with a note.
 */
import type { Schemas } from "../api/client";
import type { Summary } from "../api/hooks/models";

export type AttributionOut = Schemas["AttributionOut"];
export type Disagreement = Schemas["DisagreementOut"];

/** Engines by their registered labels (the API's engines/base.py names them the same way). */
const ENGINE_LABEL: Record<string, string> = {
  bayesian: "Bayesian (PyMC-Marketing)",
  ridge: "Ridge (Robyn's method)",
};

/** How people see an engine: its label, else its name capitalised ("meridian" -> "Meridian"). */
export function engineLabel(engine: string): string {
  return ENGINE_LABEL[engine] ?? (engine ? engine[0].toUpperCase() + engine.slice(1) : "MMM");
}

/** Screen colours, one per column (chart bars, radio dots and table headers use the same). */
export const columnPalette = ["#60a5fa", "#1e3a8a", "#94a3b8", "#2563eb", "#0e7490", "#6366f1", "#0891b2", "#a5b4fc", "#4338ca", "#7dd3fc", "#0f766e", "#9333ea", "#64748b", "#1d4ed8"];
export const BLEND_COLOR = "#d97706";
export const BLEND = "blend";

/** The MTA models the screen asks for (a readable chart; the CLI computes all ten). */
export const SCREEN_MODELS = ["last_touch", "first_touch", "linear", "time_decay", "position", "markov_1", "shapley"];

const MTA_LABEL: Record<string, string> = {
  first_touch: "First touch",
  last_touch: "Last touch",
  linear: "Linear",
  time_decay: "Time decay",
  position: "Position-based",
  shapley: "Shapley",
  markov_1: "Markov (order 1)",
  markov_2: "Markov (order 2)",
  markov_3: "Markov (order 3)",
  markov_4: "Markov (order 4)",
};

export interface Column {
  /** An MTA model's name (`last_touch`), or a fitted model's id. */
  id: string;
  label: string;
  /** Under the label: "multi-touch", or the engine's label for an MMM. */
  kind: "mta" | "mmm" | "blend";
  engine?: string;
  color: string;
  /** Per channel (the screen's channel order): the share of credit, or null with a note. */
  shares: (number | null)[];
  lo: (number | null)[];
  hi: (number | null)[];
  notes: (string | null)[];
}

/** The channels of a result: journey channels, then MMM channels journeys cannot track. */
export function channelsOf(result: AttributionOut): string[] {
  return [...new Set(result.credits.map((c) => c.channel))];
}

/** One column per MTA model and compared run, in the order the API lists them. */
export function columnsFrom(result: AttributionOut, names: Record<string, string> = {}): Column[] {
  const channels = channelsOf(result);
  const runs = new Map((result.runs ?? []).map((r) => [r.name, r]));
  const ids = [...result.models, ...result.compared];
  return ids.map((id, i) => {
    const rows = new Map(result.credits.filter((c) => c.model === id).map((c) => [c.channel, c]));
    const run = runs.get(id);
    const cell = (ch: string) => rows.get(ch);
    return {
      id,
      label: run ? `${engineLabel(run.engine)}${names[id] ? ` · ${names[id]}` : ""}` : (MTA_LABEL[id] ?? id),
      kind: run ? "mmm" : "mta",
      engine: run?.engine,
      color: columnPalette[i % columnPalette.length],
      shares: channels.map((ch) => cell(ch)?.share ?? null),
      lo: channels.map((ch) => cell(ch)?.share_lo ?? null),
      hi: channels.map((ch) => cell(ch)?.share_hi ?? null),
      notes: channels.map((ch) => (cell(ch)?.share == null ? cell(ch)?.note || "not measured" : null)),
    };
  });
}

/** MMM-only columns from model summaries (before any journey data): contribution shares, the
 * interval's ends over the point total (as the API does). */
export function mmmColumns(models: { id: string; name: string; engine: string; summary: Summary }[], channels: string[]): Column[] {
  return models.map(({ id, name, engine, summary }, i) => {
    const c = channels.map((ch) => summary.channels[ch]?.contribution);
    const total = c.reduce((a, x) => a + Math.max(x?.mean ?? 0, 0), 0);
    const part = (v: number | null | undefined) => (v == null || total <= 0 ? null : Math.max(v, 0) / total);
    return {
      id,
      label: `${engineLabel(engine)} · ${name}`,
      kind: "mmm",
      engine,
      color: columnPalette[i % columnPalette.length],
      shares: c.map((x) => part(x?.mean)),
      lo: c.map((x) => part(x?.lo)),
      hi: c.map((x) => part(x?.hi)),
      notes: c.map((x) => (x == null ? "not in this MMM" : null)),
    };
  });
}

/**
 * The user-weighted blend: per channel `sum_m w_m s_mc / sum_m w_m` over the models that see the
 * channel (a model without a share of a channel neither adds nor dilutes), then rescaled so the
 * blend's shares add up to 1. Channels no weighted model sees stay null. Weights are >= 0; all
 * zero gives no blend (null).
 */
export function blendShares(columns: Column[], weights: Record<string, number>, n: number): (number | null)[] | null {
  const used = columns.filter((c) => (weights[c.id] ?? 0) > 0);
  if (used.length === 0) return null;
  const raw = Array.from({ length: n }, (_, j) => {
    const seen = used.filter((c) => c.shares[j] != null);
    const w = seen.reduce((a, c) => a + weights[c.id], 0);
    return w > 0 ? seen.reduce((a, c) => a + weights[c.id] * (c.shares[j] as number), 0) / w : null;
  });
  const total = raw.reduce<number>((a, v) => a + (v ?? 0), 0);
  return raw.map((v) => (v == null || total <= 0 ? null : v / total));
}

/** The columns with the "Custom blend" column added when any weight is set. */
export function withBlend(columns: Column[], weights: Record<string, number>, n: number): Column[] {
  const b = blendShares(columns, weights, n);
  if (!b) return columns;
  const none = b.map(() => null);
  return [...columns, { id: BLEND, label: "Custom blend", kind: "blend", color: BLEND_COLOR, shares: b, lo: none, hi: none, notes: b.map((v) => (v == null ? "no weighted model sees it" : null)) }];
}

/** The column the screen shows selected: the user's pick, else the model picked in the top bar,
 * else the first column. */
export function pickSelected(columns: Column[], picked: string | null, current: string | null): string | null {
  const has = (id: string | null) => id != null && columns.some((c) => c.id === id);
  return has(picked) ? picked : has(current) ? current : (columns[0]?.id ?? null);
}

/**
 * The recommendation card: the largest disagreement (beyond both intervals, from the API) that
 * involves the selected column; else the largest of all; null when no pair disagrees.
 */
export function recommendationFor(disagreements: Disagreement[], selected: string | null): Disagreement | null {
  const mine = disagreements.find((d) => d.a === selected || d.b === selected);
  return mine ?? disagreements[0] ?? null;
}

/** The fitted model's lift-test iROAS per channel, if its run has lift tests. */
export function liftByChannel(result: AttributionOut | undefined, run: string | null): Map<string, Schemas["LiftOut"]> {
  return new Map((result?.lift ?? []).filter((l) => l.run === run).map((l) => [l.channel, l]));
}
