import { useMemo } from "react";
import { useModel, useModels, useSummary, type Model } from "../api/hooks/models";
import { useSession } from "./session";
import { makeUnits } from "./units";
import { periodUnit, type Units } from "./format";

export interface CurrentModel {
  /** The model being looked at (fitted), or null when there is none. */
  model: Model | null;
  modelId: string | null;
  models: Model[];
  fitted: Model[];
  isPending: boolean;
  error: unknown;
  units: Units;
  /** One period of the data: "week" or "day" ("period" when the dates do not say). */
  periodUnit: "week" | "day" | "period";
  summary: ReturnType<typeof useSummary>;
}

/**
 * The model a session shows when the user has picked none: the newest full fit (`models` come
 * newest first). A quick (approximate, ADVI) fit is the default only when there is no full fit;
 * it never replaces a full fit silently.
 */
export function defaultModel<M extends Pick<Model, "has_result" | "approximate">>(models: readonly M[]): M | null {
  const fitted = models.filter((m) => m.has_result);
  return fitted.find((m) => !m.approximate) ?? fitted[0] ?? null;
}

/**
 * The fitted model the dashboard shows: the one picked in the top bar (or on the Models screen)
 * if it still exists and has a result, else {@link defaultModel}. Only an explicit pick is kept
 * in the session, so a newer full fit becomes the default on its own.
 */
export function useCurrentModel(): CurrentModel {
  const { modelId, currency } = useSession();
  const models = useModels();
  const fitted = useMemo(() => (models.data ?? []).filter((m) => m.has_result), [models.data]);
  const chosen = fitted.find((m) => m.id === modelId) ?? defaultModel(fitted);
  const summary = useSummary(chosen?.id ?? null, !!chosen);
  const detail = useModel(chosen?.id ?? null);
  const units = makeUnits(currency, kpiColumn(detail.data?.mapping), summary.data?.kpi_type);
  return {
    model: chosen,
    modelId: chosen?.id ?? null,
    models: models.data ?? [],
    fitted,
    isPending: models.isPending,
    error: models.error,
    units,
    periodUnit: periodUnit(summary.data?.periods.start, summary.data?.periods.end, summary.data?.periods.n),
    summary,
  };
}

/** The KPI column named in a mapping's YAML (`kpi: {column: x}` or `kpi:\n  column: x`). */
export function kpiColumn(yaml: string | undefined): string | null {
  if (!yaml) return null;
  const inline = /^kpi:\s*\{[^}]*column:\s*['"]?([^,'"}]+)/m.exec(yaml);
  if (inline) return inline[1].trim();
  const block = /^kpi:\s*\n((?:[ \t]+.*\n?)*)/m.exec(yaml);
  const col = block && /^[ \t]+column:\s*['"]?([^'"\n]+?)['"]?\s*$/m.exec(block[1]);
  return col ? col[1].trim() : null;
}

/** The model's `interval_kind` ("posterior" / "bootstrap"), for naming its intervals (intervalName). */
export function useIntervalKind(modelId: string | null): string | undefined {
  return useSummary(modelId, !!modelId).data?.interval_kind;
}
