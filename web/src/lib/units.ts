import type { Units } from "./format";

/** Units of a dataset or model: the session's currency, the KPI's name and kind. */
export function makeUnits(currency: string, kpiName: string | null | undefined, kpiType: string | null | undefined): Units {
  return { currency, kpiName: kpiName || "KPI", kpiKind: kpiType === "conversions" ? "conversions" : "revenue" };
}
