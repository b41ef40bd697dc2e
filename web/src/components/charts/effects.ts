/**
 * Option builders of the Channel Effects screen: carry-over (adstock weights by lag) and share of
 * spend vs share of effect with ROAS (Robyn's chart). Pure, typed inputs, no API knowledge.
 */
import type { ChartOption } from "./echarts";
import { AXIS_LABEL, SPLIT_LINE, TOOLTIP } from "./options";
import { palette } from "../../lib/colors";
import { formatCurrency, formatPercent, formatRatio, intervalName, type PeriodUnit, type Units } from "../../lib/format";


export interface CarryoverInput {
  channels: { name: string; color: string; lags: number[]; mean: (number | null)[]; lo: (number | null)[]; hi: (number | null)[] }[];
  unit: PeriodUnit;
  level: number;
  intervalKind?: string | null;
}

/**
 * Share of a period's effect delivered at each lag (0 = the period of spend), one line per
 * channel; the tooltip gives each weight's interval.
 */
export function carryover({ channels, unit, level, intervalKind }: CarryoverInput): ChartOption {
  const maxLag = Math.max(0, ...channels.flatMap((c) => c.lags));
  const lags = Array.from({ length: maxLag + 1 }, (_, i) => i);
  const iv = intervalName(level, intervalKind);
  return {
    grid: { left: 16, right: 24, top: 48, bottom: 36, containLabel: true },
    legend: { top: 0, type: "scroll", textStyle: { color: palette.ink } },
    tooltip: {
      ...TOOLTIP,
      trigger: "axis",
      formatter: (ps: Array<{ seriesIndex: number; dataIndex: number }>) => {
        const lag = ps[0]?.dataIndex ?? 0;
        const rows = ps.map((p) => {
          const c = channels[p.seriesIndex];
          const i = c.lags.indexOf(lag);
          if (i < 0) return "";
          return `${c.name}: <b>${formatPercent(c.mean[i])}</b> <span style="color:${palette.muted}">(${iv} ${formatPercent(c.lo[i])} to ${formatPercent(c.hi[i])})</span>`;
        });
        return `<b>${unit === "period" ? "Lag" : `${unit[0].toUpperCase()}${unit.slice(1)}s after the spend`}: ${lag}</b><br/>${rows.filter(Boolean).join("<br/>")}`;
      },
    },
    xAxis: { type: "category", data: lags, name: `${unit}s after the spend`, nameLocation: "middle", nameGap: 26, nameTextStyle: { color: palette.muted }, axisLabel: AXIS_LABEL },
    yAxis: { type: "value", name: "Share of the effect", nameTextStyle: { color: palette.muted }, axisLabel: { ...AXIS_LABEL, formatter: (v: number) => formatPercent(v, 0) }, splitLine: SPLIT_LINE },
    series: channels.map((c) => ({
      type: "line",
      name: c.name,
      data: lags.map((l) => {
        const i = c.lags.indexOf(l);
        return i < 0 ? null : c.mean[i];
      }),
      symbolSize: 6,
      lineStyle: { color: c.color, width: 2 },
      itemStyle: { color: c.color },
    })),
  };
}

export interface SpendEffectInput {
  rows: { name: string; spendShare: number; effectShare: number | null; roas: number | null; roasLo?: number | null; roasHi?: number | null }[];
  level: number;
  intervalKind?: string | null;
  /** ROAS only means money back for revenue KPIs. */
  showRoas: boolean;
}

/**
 * Robyn's "share of spend vs share of effect": per channel, its share of total media spend and
 * its share of the total media effect side by side (horizontal bars), and its ROAS as a point on
 * a second axis. A channel whose effect share exceeds its spend share returns more than average.
 */
export function spendVsEffect({ rows, level, intervalKind, showRoas }: SpendEffectInput): ChartOption {
  const names = rows.map((r) => r.name);
  const iv = intervalName(level, intervalKind);
  return {
    grid: { left: 16, right: 24, top: 64, bottom: 36, containLabel: true },
    legend: { top: 0, textStyle: { color: palette.ink } },
    tooltip: {
      ...TOOLTIP,
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (ps: Array<{ dataIndex: number }>) => {
        const r = rows[ps[0]?.dataIndex ?? 0];
        if (!r) return "";
        const roas = showRoas ? `<br/>ROAS: <b>${formatRatio(r.roas)}</b>${r.roasLo != null && r.roasHi != null ? ` <span style="color:${palette.muted}">(${iv} ${formatRatio(r.roasLo)} to ${formatRatio(r.roasHi)})</span>` : ""}` : "";
        return `<b>${r.name}</b><br/>Share of spend: <b>${formatPercent(r.spendShare)}</b><br/>Share of effect: <b>${formatPercent(r.effectShare)}</b>${roas}`;
      },
    },
    yAxis: { type: "category", data: names, inverse: true, axisLabel: { ...AXIS_LABEL, color: palette.ink, fontSize: 12 }, axisTick: { show: false } },
    xAxis: [
      { type: "value", name: "Share", nameLocation: "middle", nameGap: 24, nameTextStyle: { color: palette.muted }, axisLabel: { ...AXIS_LABEL, formatter: (v: number) => formatPercent(v, 0) }, splitLine: SPLIT_LINE },
      ...(showRoas ? [{ type: "value", name: "ROAS", position: "top", nameLocation: "middle", nameGap: 24, nameTextStyle: { color: palette.muted }, axisLabel: { ...AXIS_LABEL, formatter: (v: number) => formatRatio(v) }, splitLine: { show: false } }] : []),
    ],
    series: [
      { type: "bar", name: "Share of spend", data: rows.map((r) => r.spendShare), itemStyle: { color: "#9ca3af" }, barGap: "10%" },
      { type: "bar", name: "Share of effect", data: rows.map((r) => r.effectShare), itemStyle: { color: "#0072B2" } },
      ...(showRoas
        ? [{ type: "line", name: "ROAS", xAxisIndex: 1, data: rows.map((r) => r.roas), symbol: "diamond", symbolSize: 11, lineStyle: { width: 0 }, itemStyle: { color: "#D55E00" } }]
        : []),
    ],
  };
}

/** Indices [a, b] of the dates inside [from, to] (ISO strings; empty bounds are open). */
export function dateWindow(dates: readonly string[], from: string, to: string): [number, number] {
  let a = 0;
  let b = dates.length - 1;
  while (a <= b && from && dates[a] < from) a++;
  while (b >= a && to && dates[b] > to) b--;
  return [a, b];
}

export interface SpendComparisonInput {
  names: string[];
  current: (number | null)[];
  proposed: (number | null)[];
  /** Legend name of the second bars: "Optimal spend", "Proposed spend". */
  proposedName: string;
  units: Units;
}

/** Current vs proposed spend per channel, side by side (horizontal bars, currency axis). */
export function spendComparison({ names, current, proposed, proposedName, units }: SpendComparisonInput): ChartOption {
  const fmt = (v: number) => formatCurrency(v, units.currency);
  return {
    grid: { left: 16, right: 24, top: 36, bottom: 24, containLabel: true },
    legend: { top: 0, textStyle: { color: palette.ink } },
    tooltip: { ...TOOLTIP, trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: (v: number) => (v == null ? "—" : fmt(v)) },
    yAxis: { type: "category", data: names, inverse: true, axisLabel: { ...AXIS_LABEL, color: palette.ink, fontSize: 12 }, axisTick: { show: false } },
    xAxis: { type: "value", axisLabel: { ...AXIS_LABEL, formatter: fmt }, splitLine: SPLIT_LINE },
    series: [
      { type: "bar", name: "Current spend", data: current, itemStyle: { color: "#9ca3af" } },
      { type: "bar", name: proposedName, data: proposed, itemStyle: { color: "#0072B2" } },
    ],
  };
}
