import { useEffect, useMemo } from "react";
import { useModel, useModels, useSummary, type Model } from "../api/hooks/models";
import { useSession } from "./session";
import { makeUnits } from "./units";
import type { Units } from "./format";

export interface CurrentModel {
  /** The model being looked at (fitted), or null when there is none. */
  model: Model | null;
  modelId: string | null;
  models: Model[];
  fitted: Model[];
  isPending: boolean;
  error: unknown;
  units: Units;
  summary: ReturnType<typeof useSummary>;
}

/**
 * The fitted model the dashboard shows: the one picked in the top bar if it still exists and has
 * a result, else the newest fitted model.
 */
export function useCurrentModel(): CurrentModel {
  const { modelId, setModelId, currency } = useSession();
  const models = useModels();
  const fitted = useMemo(() => (models.data ?? []).filter((m) => m.has_result), [models.data]);
  const chosen = fitted.find((m) => m.id === modelId) ?? fitted[0] ?? null;
  useEffect(() => {
    if (chosen && chosen.id !== modelId) setModelId(chosen.id);
  }, [chosen, modelId, setModelId]);
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
