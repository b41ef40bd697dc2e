import { useEffect, useRef } from "react";
import { echarts, type ChartOption } from "./echarts";
import { downloadCsv, download, fileSlug, svgToPng, type Cell } from "../../lib/csv";

export interface ChartProps {
  option: ChartOption;
  height?: number;
  /** What the chart shows, for screen readers (the chart itself is an image to them). */
  ariaLabel: string;
  testId?: string;
  onClick?: (params: { name?: string; seriesName?: string; dataIndex?: number; value?: unknown }) => void;
  /** Show "PNG" and "CSV" buttons: the file name, and the chart's data as rows (header first). */
  exportAs?: { name: string; rows: () => readonly (readonly Cell[])[] };
}

const FONT = { fontFamily: "Inter, system-ui, -apple-system, Segoe UI, Roboto, sans-serif" };

/**
 * A tiny ECharts wrapper: one instance per element (SVG renderer, crisp at any zoom), the option
 * replaced on change, resized with its container, disposed on unmount.
 */
export function Chart({ option, height = 320, ariaLabel, testId, onClick, exportAs }: ChartProps) {
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

  const chartDiv = <div ref={ref} className="chart" role="img" aria-label={ariaLabel} data-testid={testId} style={{ height }} />;
  if (!exportAs) return chartDiv;
  const slug = fileSlug(exportAs.name);
  async function png() {
    const chart = chartRef.current;
    if (!chart) return;
    // The SVG renderer exports SVG; it is drawn onto a canvas for a PNG.
    const svg = chart.getDataURL({ type: "svg" });
    download(await svgToPng(svg, chart.getWidth(), chart.getHeight()), `${slug}.png`);
  }
  return (
    <div>
      {chartDiv}
      <div className="chart-actions">
        <button type="button" className="btn btn-sm btn-secondary" onClick={png} aria-label={`Download ${exportAs.name} as PNG`}>
          PNG
        </button>
        <button type="button" className="btn btn-sm btn-secondary" onClick={() => downloadCsv(exportAs.rows(), `${slug}.csv`)} aria-label={`Download the data of ${exportAs.name} as CSV`}>
          CSV
        </button>
      </div>
    </div>
  );
}
