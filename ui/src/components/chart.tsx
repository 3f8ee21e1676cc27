/**
 * Charts, drawn by Apache ECharts on a canvas (only the chart kinds and components used here are
 * bundled, in a chunk loaded with the first chart: `echarts-setup.ts`). ECharts' `aria` option writes a spoken description of each chart into its
 * `aria-label`; the caption names the chart. Animations are off: charts appear at once (and a
 * 100,000-point history, downsampled on the server, draws in milliseconds).
 */
import type { EChartsCoreOption, EChartsType } from "echarts/core";
import { useEffect, useRef, useState } from "react";

let library: Promise<typeof import("./echarts-setup")> | null = null;

/**
 * Load the chart library (once). Pages call it as soon as they know a chart is coming — in
 * parallel with fetching the chart's data — and the app calls it when idle.
 */
export function loadCharts(): Promise<typeof import("./echarts-setup")> {
  library ??= import("./echarts-setup");
  return library;
}

/** Colour-blind-safe series colours (Okabe–Ito), darkened where needed for contrast on white. */
export const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8a6d00", "#56B4E9", "#000000", "#E69F00", "#6a3d9a", "#b15928"];

export interface ChartProps {
  option: EChartsCoreOption;
  /** What the chart shows, for the caption and screen readers. */
  label: string;
  height?: number;
  /** ECharts events (e.g. `datazoom`) → handlers. */
  onEvents?: Record<string, (params: unknown, chart: EChartsType) => void>;
  /** Called after the chart has been drawn with the current option. */
  onRendered?: () => void;
  /** `data-chart` on the figure: how tests find it. */
  name?: string;
}

export function Chart({ option, label, height = 300, onEvents, onRendered, name }: ChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const rendered = useRef(onRendered);
  rendered.current = onRendered;
  const events = useRef(onEvents);
  events.current = onEvents;

  const [ready, setReady] = useState(false);

  useEffect(() => {
    let disposed = false;
    let cleanup = () => {};
    void loadCharts().then(({ echarts }) => {
      if (disposed || !el.current) return;
      const c = echarts.init(el.current, undefined, { renderer: "canvas" });
      chart.current = c;
      const ro = new ResizeObserver(() => c.resize());
      ro.observe(el.current);
      cleanup = () => {
        ro.disconnect();
        c.dispose();
        chart.current = null;
      };
      setReady(true);
    });
    return () => {
      disposed = true;
      cleanup();
    };
  }, []);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    const names = Object.keys(events.current ?? {});
    for (const n of names) c.on(n, (p: unknown) => events.current?.[n]?.(p, c));
    return () => {
      for (const n of names) c.off(n);
    };
  }, [ready, onEvents ? Object.keys(onEvents).join() : ""]);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    const done = () => {
      c.off("finished", done);
      rendered.current?.();
    };
    c.on("finished", done);
    c.setOption({ animation: false, aria: { enabled: true }, textStyle: { fontFamily: "inherit" }, color: PALETTE, ...option }, { notMerge: true });
  }, [ready, option]);

  return (
    <figure className="chart" data-chart={name}>
      {/* ECharts' aria option writes the description into this element's aria-label */}
      <div ref={el} style={{ height }} role="img" aria-label={label} />
      <figcaption>{label}</figcaption>
    </figure>
  );
}
