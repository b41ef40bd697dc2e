import { useEffect, useRef } from "react";
import { echarts, type ChartOption } from "./echarts";

export interface ChartProps {
  option: ChartOption;
  height?: number;
  /** What the chart shows, for screen readers (the chart itself is an image to them). */
  ariaLabel: string;
  testId?: string;
  onClick?: (params: { name?: string; seriesName?: string; dataIndex?: number; value?: unknown }) => void;
}

const FONT = { fontFamily: "Inter, system-ui, -apple-system, Segoe UI, Roboto, sans-serif" };

/**
 * A tiny ECharts wrapper: one instance per element (SVG renderer, crisp at any zoom), the option
 * replaced on change, resized with its container, disposed on unmount.
 */
export function Chart({ option, height = 320, ariaLabel, testId, onClick }: ChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<ReturnType<typeof echarts.init> | null>(null);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: "svg", height, width: el.clientWidth || undefined });
    chartRef.current = chart;
    chart.on("click", (p) => clickRef.current?.(p as never));
    let ro: ResizeObserver | undefined;
    if (typeof ResizeObserver !== "undefined") {
      ro = new ResizeObserver(() => chart.resize({ width: el.clientWidth || undefined, height }));
      ro.observe(el);
    }
    return () => {
      ro?.disconnect();
      chart.dispose();
      chartRef.current = null;
    };
  }, [height]);

  useEffect(() => {
    chartRef.current?.setOption({ textStyle: FONT, animationDuration: 300, ...option }, { notMerge: true, lazyUpdate: true });
  }, [option]);

  return <div ref={ref} className="chart" role="img" aria-label={ariaLabel} data-testid={testId} style={{ height }} />;
}
