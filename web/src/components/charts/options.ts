/**
 * Pure ECharts option builders with typed inputs. Screens turn API responses into these inputs;
 * the builders know nothing about the API (and are unit tested without a browser).
 */
import type { ChartOption } from "./echarts";
import { palette } from "../../lib/colors";
import { formatDate, formatMetric, formatPercent, intervalName, type MetricKind, type Units } from "../../lib/format";

export const AXIS_LABEL = { color: palette.muted, fontSize: 11 };
export const SPLIT_LINE = { lineStyle: { color: "#eef2f7" } };
export const TOOLTIP = { backgroundColor: "#fff", borderColor: palette.border, textStyle: { color: palette.ink, fontSize: 12 }, extraCssText: "box-shadow: 0 6px 20px rgba(15,23,42,.12); border-radius: 8px;" };

// ---------------------------------------------------------------- bars with intervals

export interface IntervalBar {
  name: string;
  value: number | null;
  lo?: number | null;
  hi?: number | null;
  color: string;
}

export interface BarsWithIntervalsInput {
  items: IntervalBar[];
  kind: MetricKind;
  units: Units;
  /** Axis title, e.g. "ROAS" or "Share of KPI". */
  valueName: string;
  horizontal?: boolean;
  level?: number;
  /** The model's `interval_kind` ("posterior" / "bootstrap"): names the interval (see intervalName). */
  intervalKind?: string | null;
}

/** One bar per channel, each with a whisker for its interval (a custom series draws the whiskers). */
export function barsWithIntervals({ items, kind, units, valueName, horizontal = false, level = 0.9, intervalKind }: BarsWithIntervalsInput): ChartOption {
  const names = items.map((i) => i.name);
  const fmt = (v: number) => formatMetric(v, kind, units);
  const catAxis = {
    type: "category",
    data: names,
    // Long channel names wrap instead of running into each other on narrow screens.
    axisLabel: { ...AXIS_LABEL, color: palette.ink, fontSize: 12, interval: 0, width: horizontal ? 100 : 64, overflow: "break" },
    axisTick: { show: false },
    axisLine: { lineStyle: { color: palette.border } },
  };
  const valAxis = { type: "value", name: valueName, nameTextStyle: { color: palette.muted }, axisLabel: { ...AXIS_LABEL, formatter: fmt }, splitLine: SPLIT_LINE };
  const whiskers = items.map((it, idx) => [idx, it.lo ?? null, it.hi ?? null]);
  return {
    grid: { left: horizontal ? 110 : 60, right: 24, top: 36, bottom: horizontal ? 30 : 40, containLabel: true },
    tooltip: {
      ...TOOLTIP,
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (ps: Array<{ dataIndex: number }>) => {
        const it = items[ps[0]?.dataIndex ?? 0];
        if (!it) return "";
        const iv = it.lo != null && it.hi != null ? `<br/><span style="color:${palette.muted}">${intervalName(level, intervalKind)} ${fmt(it.lo)} to ${fmt(it.hi)}</span>` : "";
        return `<b>${it.name}</b><br/>${valueName}: <b>${it.value == null ? "—" : fmt(it.value)}</b>${iv}`;
      },
    },
    xAxis: horizontal ? valAxis : catAxis,
    yAxis: horizontal ? { ...catAxis, inverse: true } : valAxis,
    series: [
      {
        type: "bar",
        name: valueName,
        barMaxWidth: 56,
        data: items.map((it) => ({ value: it.value, itemStyle: { color: it.color, borderRadius: horizontal ? [0, 6, 6, 0] : [6, 6, 0, 0] } })),
      },
      {
        type: "custom",
        name: "interval",
        silent: true,
        z: 10,
        data: whiskers,
        encode: horizontal ? { y: 0, x: [1, 2] } : { x: 0, y: [1, 2] },
        renderItem: (_params: unknown, api: CustomApi) => {
          const lo = api.value(1);
          const hi = api.value(2);
          if (lo == null || hi == null || Number.isNaN(lo) || Number.isNaN(hi)) return null;
          const c = api.value(0);
          const a = horizontal ? api.coord([lo, c]) : api.coord([c, lo]);
          const b = horizontal ? api.coord([hi, c]) : api.coord([c, hi]);
          const w = 8;
          const style = { stroke: palette.ink, lineWidth: 1.5 };
          const line = (x1: number, y1: number, x2: number, y2: number) => ({ type: "line", shape: { x1, y1, x2, y2 }, style });
          return {
            type: "group",
            children: horizontal
              ? [line(a[0], a[1], b[0], b[1]), line(a[0], a[1] - w / 2, a[0], a[1] + w / 2), line(b[0], b[1] - w / 2, b[0], b[1] + w / 2)]
              : [line(a[0], a[1], b[0], b[1]), line(a[0] - w / 2, a[1], a[0] + w / 2, a[1]), line(b[0] - w / 2, b[1], b[0] + w / 2, b[1])],
          };
        },
      },
    ],
  };
}

interface CustomApi {
  value: (dim: number) => number;
  coord: (v: [number, number]) => [number, number];
}

// ---------------------------------------------------------------- sankey

export interface SankeyInput {
  flows: { name: string; value: number; color: string }[];
  target: string;
  /** Non-media KPI (baseline), drawn as its own grey flow when given. */
  baseline?: number | null;
  units: Units;
}

/** Channels (left) flowing into the KPI (right), widths proportional to contribution. */
export function sankey({ flows, target, baseline, units }: SankeyInput): ChartOption {
  const positive = flows.filter((f) => f.value > 0);
  const total = positive.reduce((s, f) => s + f.value, 0) + (baseline && baseline > 0 ? baseline : 0);
  const nodes = [
    ...positive.map((f) => ({ name: f.name, itemStyle: { color: f.color } })),
    ...(baseline && baseline > 0 ? [{ name: "Baseline (non-media)", itemStyle: { color: palette.gray } }] : []),
    { name: target, itemStyle: { color: palette.primaryDark } },
  ];
  const links = [
    ...positive.map((f) => ({ source: f.name, target, value: f.value, lineStyle: { color: f.color } })),
    ...(baseline && baseline > 0 ? [{ source: "Baseline (non-media)", target, value: baseline, lineStyle: { color: palette.gray } }] : []),
  ];
  return {
    tooltip: {
      ...TOOLTIP,
      trigger: "item",
      formatter: (p: { dataType: string; data: { source?: string; value?: number; name?: string }; value?: number }) => {
        const v = p.data.value ?? p.value ?? 0;
        const share = total > 0 ? ` (${formatPercent(v / total)} of ${target})` : "";
        const label = p.dataType === "edge" ? `${p.data.source} → ${target}` : p.data.name;
        return `<b>${label}</b><br/>${formatMetric(v, "kpi", units)}${share}`;
      },
    },
    series: [
      {
        type: "sankey",
        left: 8,
        right: 150,
        top: 10,
        bottom: 10,
        nodeWidth: 14,
        nodeGap: 10,
        draggable: false,
        emphasis: { focus: "adjacency" },
        label: {
          color: palette.ink,
          fontSize: 12,
          formatter: (p: { name: string; value: number }) => (total > 0 ? `${p.name}  ${formatPercent(p.value / total, 0)}` : p.name),
        },
        lineStyle: { opacity: 0.35, curveness: 0.5 },
        data: nodes,
        links,
      },
    ],
  };
}

// ---------------------------------------------------------------- time series with band

export interface FitChartInput {
  dates: string[];
  observed: (number | null)[];
  fitted: (number | null)[];
  lo?: (number | null)[];
  hi?: (number | null)[];
  units: Units;
  kpiLabel: string;
  /** Index of the first holdout period, if a holdout was kept out of the fit. */
  holdoutStart?: number | null;
  /** The model's `interval_kind` ("posterior" / "bootstrap"): names the interval (see intervalName). */
  intervalKind?: string | null;
}

/** Observed KPI against the model's fitted values with their interval band. */
export function fitChart({ dates, observed, fitted, lo, hi, units, kpiLabel, holdoutStart, intervalKind }: FitChartInput): ChartOption {
  const fmt = (v: number) => formatMetric(v, "kpi", units);
  const bandName = intervalName(0.9, intervalKind);
  const series: unknown[] = [];
  if (lo && hi) {
    series.push(
      { type: "line", name: "lower", data: lo, stack: "band", symbol: "none", lineStyle: { opacity: 0 }, silent: true, tooltip: { show: false } },
      {
        type: "line",
        name: bandName,
        data: hi.map((h, i) => (h == null || lo[i] == null ? null : h - (lo[i] as number))),
        stack: "band",
        symbol: "none",
        lineStyle: { opacity: 0 },
        itemStyle: { color: "rgba(37,99,235,0.35)" },
        areaStyle: { color: "rgba(37,99,235,0.22)" },
        silent: true,
        tooltip: { show: false },
      },
    );
  }
  series.push(
    { type: "line", name: "Observed", data: observed, symbol: "none", lineStyle: { color: palette.ink, width: 1.5 }, itemStyle: { color: palette.ink } },
    {
      type: "line",
      name: "Model fit",
      data: fitted,
      symbol: "none",
      lineStyle: { color: palette.primary, width: 2 },
      itemStyle: { color: palette.primary },
      markArea:
        holdoutStart != null && holdoutStart < dates.length
          ? { itemStyle: { color: "rgba(217,119,6,0.08)" }, label: { show: true, color: palette.warn, formatter: "holdout" }, data: [[{ xAxis: dates[holdoutStart] }, { xAxis: dates[dates.length - 1] }]] }
          : undefined,
    },
  );
  return {
    grid: { left: 16, right: 16, top: 40, bottom: 36, containLabel: true },
    legend: { top: 0, data: ["Observed", "Model fit", ...(lo && hi ? [bandName] : [])], textStyle: { color: palette.muted } },
    tooltip: {
      ...TOOLTIP,
      trigger: "axis",
      formatter: (ps: Array<{ dataIndex: number }>) => {
        const i = ps[0]?.dataIndex ?? 0;
        const band = lo && hi && lo[i] != null && hi[i] != null ? `<br/><span style="color:${palette.muted}">${bandName} ${fmt(lo[i] as number)} to ${fmt(hi[i] as number)}</span>` : "";
        return `<b>${formatDate(dates[i])}</b><br/>Observed: <b>${observed[i] == null ? "—" : fmt(observed[i] as number)}</b><br/>Model fit: <b>${fitted[i] == null ? "—" : fmt(fitted[i] as number)}</b>${band}`;
      },
    },
    xAxis: { type: "category", data: dates, boundaryGap: false, axisLabel: { ...AXIS_LABEL, formatter: (d: string) => d.slice(0, 7) }, axisLine: { lineStyle: { color: palette.border } } },
    yAxis: { type: "value", name: kpiLabel, nameTextStyle: { color: palette.muted }, axisLabel: { ...AXIS_LABEL, formatter: fmt }, splitLine: SPLIT_LINE, scale: true },
    series,
  };
}

// ---------------------------------------------------------------- stacked contributions over time

export interface StackedInput {
  dates: string[];
  layers: { name: string; values: (number | null)[]; color: string }[];
  units: Units;
  valueKind: MetricKind;
  valueName: string;
  /** Draw as bars (spend by week) instead of areas (contributions). */
  bars?: boolean;
}

export function stackedOverTime({ dates, layers, units, valueKind, valueName, bars = false }: StackedInput): ChartOption {
  const fmt = (v: number) => formatMetric(v, valueKind, units);
  return {
    grid: { left: 16, right: 16, top: 56, bottom: 36, containLabel: true },
    legend: { top: 0, type: "scroll", textStyle: { color: palette.muted } },
    tooltip: { ...TOOLTIP, trigger: "axis", valueFormatter: (v: number) => (v == null ? "—" : fmt(v)) },
    xAxis: { type: "category", data: dates, boundaryGap: bars, axisLabel: { ...AXIS_LABEL, formatter: (d: string) => d.slice(0, 7) }, axisLine: { lineStyle: { color: palette.border } } },
    yAxis: { type: "value", name: valueName, nameTextStyle: { color: palette.muted }, axisLabel: { ...AXIS_LABEL, formatter: fmt }, splitLine: SPLIT_LINE },
    series: layers.map((l) => ({
      type: bars ? "bar" : "line",
      name: l.name,
      stack: "total",
      data: l.values,
      symbol: "none",
      barCategoryGap: "20%",
      lineStyle: { width: 0 },
      areaStyle: bars ? undefined : { color: l.color, opacity: 0.85 },
      itemStyle: { color: l.color },
    })),
  };
}

// ---------------------------------------------------------------- response curve

export interface ResponseCurveInput {
  channel: string;
  spend: number[];
  mean: number[];
  lo?: number[];
  hi?: number[];
  color: string;
  current?: { spend: number; kpi: number } | null;
  optimal?: { spend: number; kpi: number } | null;
  saturation?: { spend: number; kpi: number } | null;
  units: Units;
  /** Period the spend is per, e.g. "per week" or "over 13 weeks". */
  spendLabel: string;
  /** The model's `interval_kind` ("posterior" / "bootstrap"): names the interval (see intervalName). */
  intervalKind?: string | null;
}

/** Incremental KPI against spend, with interval band and the current/optimal/saturation markers. */
export function responseCurve(p: ResponseCurveInput): ChartOption {
  const fmtS = (v: number) => formatMetric(v, "currency", p.units);
  const fmtK = (v: number) => formatMetric(v, "kpi", p.units);
  const pts = (arr: number[]) => p.spend.map((s, i) => [s, arr[i]]);
  const markers: unknown[] = [];
  const marker = (name: string, m: { spend: number; kpi: number } | null | undefined, color: string, symbol: string) => {
    if (!m) return;
    markers.push({
      type: "scatter",
      name,
      data: [[m.spend, m.kpi]],
      symbol,
      symbolSize: 13,
      itemStyle: { color, borderColor: "#fff", borderWidth: 2 },
      z: 20,
      tooltip: { formatter: () => `<b>${name}</b><br/>spend ${fmtS(m.spend)}<br/>incremental ${p.units.kpiName} ${fmtK(m.kpi)}` },
    });
  };
  marker("Current", p.current, palette.ink, "circle");
  marker("Optimal", p.optimal, palette.good, "diamond");
  marker("Saturation", p.saturation, palette.bad, "triangle");
  const band =
    p.lo && p.hi
      ? [
          { type: "line", name: "lo", data: pts(p.lo), stack: "b", symbol: "none", lineStyle: { opacity: 0 }, silent: true, tooltip: { show: false } },
          { type: "line", name: intervalName(0.9, p.intervalKind), data: p.spend.map((s, i) => [s, (p.hi as number[])[i] - (p.lo as number[])[i]]), stack: "b", symbol: "none", lineStyle: { opacity: 0 }, areaStyle: { color: p.color, opacity: 0.15 }, silent: true, tooltip: { show: false } },
        ]
      : [];
  return {
    grid: { left: 12, right: 20, top: 30, bottom: 30, containLabel: true },
    legend: {
      top: 0,
      itemWidth: 12,
      itemHeight: 8,
      itemGap: 8,
      data: ["Response", ...(p.current ? ["Current"] : []), ...(p.optimal ? ["Optimal"] : []), ...(p.saturation ? ["Saturation"] : [])],
      textStyle: { color: palette.muted, fontSize: 10 },
    },
    tooltip: { ...TOOLTIP, trigger: "item" },
    xAxis: { type: "value", name: `Spend ${p.spendLabel}`, nameLocation: "middle", nameGap: 26, nameTextStyle: { color: palette.muted }, axisLabel: { ...AXIS_LABEL, formatter: fmtS }, splitLine: SPLIT_LINE },
    yAxis: { type: "value", axisLabel: { ...AXIS_LABEL, formatter: fmtK }, splitLine: SPLIT_LINE },
    series: [
      ...band,
      { type: "line", name: "Response", data: pts(p.mean), symbol: "none", smooth: true, lineStyle: { color: p.color, width: 2.5 }, itemStyle: { color: p.color }, tooltip: { show: false } },
      ...markers,
    ],
  };
}

// ---------------------------------------------------------------- efficiency frontier

export interface FrontierInput {
  budgets: number[];
  mean: number[];
  lo?: number[];
  hi?: number[];
  current?: { budget: number; kpi: number } | null;
  units: Units;
  /** The model's `interval_kind` ("posterior" / "bootstrap"): names the interval (see intervalName). */
  intervalKind?: string | null;
}

/** Best achievable KPI for each total budget (the efficiency frontier), with interval band. */
export function frontier({ budgets, mean, lo, hi, current, units, intervalKind }: FrontierInput): ChartOption {
  const fmtS = (v: number) => formatMetric(v, "currency", units);
  const fmtK = (v: number) => formatMetric(v, "kpi", units);
  const band =
    lo && hi
      ? [
          { type: "line", data: budgets.map((b, i) => [b, lo[i]]), stack: "f", symbol: "none", lineStyle: { opacity: 0 }, silent: true, tooltip: { show: false } },
          { type: "line", name: intervalName(0.9, intervalKind), data: budgets.map((b, i) => [b, hi[i] - lo[i]]), stack: "f", symbol: "none", lineStyle: { opacity: 0 }, areaStyle: { color: palette.primary, opacity: 0.14 }, silent: true, tooltip: { show: false } },
        ]
      : [];
  return {
    grid: { left: 12, right: 20, top: 36, bottom: 30, containLabel: true },
    legend: { top: 0, data: ["Optimal KPI", ...(current ? ["Current plan"] : [])], textStyle: { color: palette.muted } },
    tooltip: { ...TOOLTIP, trigger: "item" },
    xAxis: { type: "value", name: "Total budget", nameLocation: "middle", nameGap: 26, nameTextStyle: { color: palette.muted }, axisLabel: { ...AXIS_LABEL, formatter: fmtS }, splitLine: SPLIT_LINE, scale: true },
    yAxis: { type: "value", axisLabel: { ...AXIS_LABEL, formatter: fmtK }, splitLine: SPLIT_LINE, scale: true },
    series: [
      ...band,
      {
        type: "line",
        name: "Optimal KPI",
        data: budgets.map((b, i) => [b, mean[i]]),
        symbolSize: 7,
        lineStyle: { color: palette.primary, width: 2.5 },
        itemStyle: { color: palette.primary },
        tooltip: { formatter: (q: { value: [number, number] }) => `budget ${fmtS(q.value[0])}<br/>optimal ${fmtK(q.value[1])}` },
      },
      ...(current
        ? [{ type: "scatter", name: "Current plan", data: [[current.budget, current.kpi]], symbolSize: 13, itemStyle: { color: palette.ink, borderColor: "#fff", borderWidth: 2 }, tooltip: { formatter: () => `current plan<br/>budget ${fmtS(current.budget)}<br/>${fmtK(current.kpi)}` } }]
        : []),
    ],
  };
}

// ---------------------------------------------------------------- attribution comparison

export interface AttributionInput {
  channels: string[];
  /** One entry per model: its colour and each channel's share of credit (0..1), by channel order. */
  models: { name: string; color: string; shares: (number | null)[] }[];
  /** The selected model's bars get a dark outline; every bar keeps its legend colour. */
  selected?: string;
}

/** Horizontal bars per channel, one colour per model, percentage scale on top (as sketched). */
export function attributionBars({ channels, models, selected }: AttributionInput): ChartOption {
  return {
    grid: { left: 12, right: 24, top: 34, bottom: 8, containLabel: true },
    tooltip: { ...TOOLTIP, trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: (v: number) => (v == null ? "—" : formatPercent(v)) },
    xAxis: { type: "value", position: "top", min: 0, max: 1, interval: 0.25, axisLabel: { ...AXIS_LABEL, formatter: (v: number) => `${Math.round(v * 100)}%` }, splitLine: SPLIT_LINE },
    yAxis: { type: "category", data: channels, inverse: true, axisTick: { show: false }, axisLine: { show: false }, axisLabel: { color: palette.ink, fontSize: 12 } },
    series: models.map((m) => ({
      type: "bar",
      name: m.name,
      data: m.shares,
      barMaxWidth: 14,
      barGap: "30%",
      itemStyle: { color: m.color, borderRadius: [0, 4, 4, 0], ...(selected === m.name ? { borderColor: palette.ink, borderWidth: 1.5 } : {}) },
    })),
  };
}

// ---------------------------------------------------------------- flights timeline

export interface Flight {
  start: string;
  end: string;
  spend: number;
}

export interface TimelineInput {
  dates: string[];
  channels: { name: string; color: string; flights: Flight[]; contribution: (number | null)[] }[];
  units: Units;
}

/**
 * One strip per channel: its flights (runs of spend > 0) as shaded bands, the model's contribution
 * per period as a line on top. Strips share the time axis.
 */
export function flightsTimeline({ dates, channels, units }: TimelineInput): ChartOption {
  const n = channels.length;
  const top = 30;
  const strip = 84;
  const gap = 30;
  const fmtK = (v: number) => formatMetric(v, "kpi", units);
  const fmtS = (v: number) => formatMetric(v, "currency", units);
  return {
    tooltip: { ...TOOLTIP, trigger: "axis", valueFormatter: (v: number) => (v == null ? "—" : fmtK(v)) },
    axisPointer: { link: [{ xAxisIndex: "all" }] },
    grid: channels.map((_, i) => ({ left: 130, right: 24, top: top + i * (strip + gap), height: strip })),
    xAxis: channels.map((_, i) => ({
      type: "category",
      gridIndex: i,
      data: dates,
      boundaryGap: false,
      axisLabel: { show: i === n - 1, ...AXIS_LABEL, formatter: (d: string) => d.slice(0, 7) },
      axisTick: { show: i === n - 1 },
      axisLine: { lineStyle: { color: palette.border } },
    })),
    yAxis: channels.map((c, i) => ({
      type: "value",
      gridIndex: i,
      name: c.name,
      nameLocation: "middle",
      nameRotate: 0,
      nameGap: 70,
      nameTextStyle: { color: palette.ink, fontWeight: 600, width: 110, overflow: "truncate", align: "center" },
      splitNumber: 2,
      axisLabel: { ...AXIS_LABEL, fontSize: 10, formatter: fmtK },
      splitLine: SPLIT_LINE,
    })),
    series: channels.map((c, i) => ({
      type: "line",
      name: `${c.name} contribution`,
      xAxisIndex: i,
      yAxisIndex: i,
      data: c.contribution,
      symbol: "none",
      lineStyle: { color: c.color, width: 1.8 },
      itemStyle: { color: c.color },
      areaStyle: { color: c.color, opacity: 0.12 },
      markArea: {
        silent: false,
        label: { show: false },
        itemStyle: { color: c.color, opacity: 0.13 },
        tooltip: { show: true, formatter: (p: { data: { name?: string } }) => p.data.name ?? "" },
        data: c.flights.map((f) => [
          { xAxis: f.start, name: `${c.name} flight ${formatDate(f.start)} to ${formatDate(f.end)}: ${fmtS(f.spend)}` },
          { xAxis: f.end },
        ]),
      },
    })),
  };
}

/** Total chart height for `flightsTimeline` with n channels. */
export function timelineHeight(n: number): number {
  return 30 + n * (84 + 30) + 10;
}

// ---------------------------------------------------------------- EDA

export interface SpendKpiInput {
  dates: string[];
  spend: { name: string; values: (number | null)[]; color: string }[];
  kpi: (number | null)[];
  kpiLabel: string;
  units: Units;
}

/** Spend per channel per period (stacked bars, left axis) and the KPI (line, right axis). */
export function spendAndKpi({ dates, spend, kpi, kpiLabel, units }: SpendKpiInput): ChartOption {
  const fmtS = (v: number) => formatMetric(v, "currency", units);
  const fmtK = (v: number) => formatMetric(v, "kpi", units);
  return {
    grid: { left: 16, right: 16, top: 56, bottom: 30, containLabel: true },
    legend: { top: 0, type: "scroll", textStyle: { color: palette.muted } },
    tooltip: { ...TOOLTIP, trigger: "axis" },
    xAxis: { type: "category", data: dates, axisLabel: { ...AXIS_LABEL, formatter: (d: string) => d.slice(0, 7) }, axisLine: { lineStyle: { color: palette.border } } },
    yAxis: [
      { type: "value", name: "Spend", nameTextStyle: { color: palette.muted }, axisLabel: { ...AXIS_LABEL, formatter: fmtS }, splitLine: SPLIT_LINE },
      { type: "value", name: kpiLabel, nameTextStyle: { color: palette.muted }, axisLabel: { ...AXIS_LABEL, formatter: fmtK }, splitLine: { show: false } },
    ],
    series: [
      ...spend.map((s) => ({ type: "bar", name: s.name, stack: "spend", data: s.values, itemStyle: { color: s.color }, barCategoryGap: "15%", tooltip: { valueFormatter: (v: number) => fmtS(v) } })),
      { type: "line", name: kpiLabel, yAxisIndex: 1, data: kpi, symbol: "none", lineStyle: { color: palette.ink, width: 1.8 }, itemStyle: { color: palette.ink }, tooltip: { valueFormatter: (v: number) => fmtK(v) } },
    ],
  };
}

export interface HeatmapInput {
  labels: string[];
  matrix: (number | null)[][];
}

/** Correlation matrix (-1..1) as a blue/red heatmap with the values written in the cells. */
export function correlationHeatmap({ labels, matrix }: HeatmapInput): ChartOption {
  const data: { value: [number, number, number | null]; label: { color: string } }[] = [];
  matrix.forEach((row, i) =>
    row.forEach((v, j) => data.push({ value: [j, i, v == null ? null : Math.round(v * 100) / 100], label: { color: v != null && Math.abs(v) > 0.6 ? "#fff" : palette.ink } })),
  );
  return {
    grid: { left: 8, right: 8, top: 8, bottom: 50, containLabel: true },
    tooltip: { ...TOOLTIP, formatter: (p: { value: [number, number, number] }) => `${labels[p.value[1]]} × ${labels[p.value[0]]}: <b>${p.value[2]}</b>` },
    xAxis: { type: "category", data: labels, axisLabel: { ...AXIS_LABEL, rotate: 35, interval: 0 }, splitArea: { show: false } },
    yAxis: { type: "category", data: labels, inverse: true, axisLabel: { ...AXIS_LABEL, interval: 0 } },
    visualMap: { min: -1, max: 1, calculable: false, orient: "horizontal", left: "center", bottom: 0, itemHeight: 120, itemWidth: 10, textStyle: { color: palette.muted, fontSize: 10 }, inRange: { color: ["#dc2626", "#fef2f2", "#ffffff", "#dbeafe", "#1e3a8a"] } },
    series: [{ type: "heatmap", data, label: { show: labels.length <= 10, fontSize: 10 }, itemStyle: { borderColor: "#fff", borderWidth: 1 } }],
  };
}
