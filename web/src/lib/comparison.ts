import type { Schemas } from "../api/client";
import { intervalName } from "./format";

export type Comparison = Schemas["ComparisonOut"];
export type ChannelComparison = Schemas["ChannelComparison"];
export type ComparedModel = Schemas["ComparedModel"];

export type Verdict = "agree" | "differ" | "unknown";

/**
 * A channel's verdict from the server's interval-overlap flags: "differ" when the ROAS or the
 * share intervals of the models do not overlap, "agree" when both overlap, "unknown" when an
 * estimate could not be computed (and nothing differs).
 */
export function verdict(ch: Pick<ChannelComparison, "roas_agree" | "share_agree">): Verdict {
  if (ch.roas_agree === false || ch.share_agree === false) return "differ";
  if (ch.roas_agree === true && ch.share_agree === true) return "agree";
  return "unknown";
}

/** The verdict in words, naming what differs. */
export function verdictText(ch: Pick<ChannelComparison, "roas_agree" | "share_agree">): string {
  const v = verdict(ch);
  if (v === "agree") return "Intervals overlap for ROAS and share";
  if (v === "unknown") return "ROAS could not be computed for every model (no spend?)";
  const parts = [ch.roas_agree === false && "ROAS", ch.share_agree === false && "share"].filter(Boolean);
  return `Intervals do not overlap: ${parts.join(" and ")}`;
}

/** "Models agree on 3 of 5 channels" (channels with an unknown verdict are counted apart). */
export function agreementHeadline(channels: ChannelComparison[]): string {
  const verdicts = channels.map(verdict);
  const agree = verdicts.filter((v) => v === "agree").length;
  const unknown = verdicts.filter((v) => v === "unknown").length;
  const base = `The models agree on ${agree} of ${channels.length} channel${channels.length === 1 ? "" : "s"}`;
  return unknown ? `${base} (${unknown} not comparable)` : base;
}

/** One line per interval kind in the comparison: "Bayesian (PyMC-Marketing): 90% credible interval". */
export function intervalLegend(models: ComparedModel[]): string[] {
  const lines = models.map((m) => `${m.engine_label}: ${intervalName(m.interval, m.interval_kind)}`);
  return [...new Set(lines)];
}

/** The reasons of every channel that differs, one entry per distinct message with its channels. */
export function groupedReasons(channels: ChannelComparison[]): { message: string; code: string; channels: string[] }[] {
  const out = new Map<string, { message: string; code: string; channels: string[] }>();
  for (const ch of channels) {
    for (const r of ch.reasons) {
      const entry = out.get(r.message) ?? { message: r.message, code: r.code, channels: [] };
      entry.channels.push(ch.channel);
      out.set(r.message, entry);
    }
  }
  return [...out.values()];
}

interface FittedModel {
  id: string;
  engine: string;
  has_result: boolean;
  created_at: string;
}

/** The models to compare when the address names none: the newest fitted model of each engine. */
export function defaultSelection(models: FittedModel[]): string[] {
  const newest = new Map<string, FittedModel>();
  for (const m of models) {
    if (!m.has_result) continue;
    const seen = newest.get(m.engine);
    if (!seen || m.created_at > seen.created_at) newest.set(m.engine, m);
  }
  return [...newest.values()].map((m) => m.id);
}

/** Model ids from `?models=a,b` (empty, repeated and blank ids dropped). */
export function parseModelIds(value: string | null): string[] {
  return [...new Set((value ?? "").split(",").map((s) => s.trim()).filter(Boolean))];
}
