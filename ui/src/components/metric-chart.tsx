/**
 * A metric's history as a line (`data-fetch-ms` / `data-render-ms` on its box: milliseconds from
 * asking to having the data / to the chart drawn): the server downsamples it (LTTB, `get-history-sampled`) to at
 * most `points` points, so a 100,000-step history costs one small request and draws at once.
 * Zooming (mouse wheel, drag, or the slider) asks the server for the zoomed step range at full
 * resolution of the same point budget, so detail appears as you zoom in.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { num } from "../api/client";
import { sampledHistory } from "../api/tracking";
import type { Metric } from "../api/types";
import { Chart, loadCharts } from "./chart";
import { fmtNum } from "./format";
import { ErrorBox, Loading } from "./status";

interface Props {
  runId: string;
  metricKey: string;
  points?: number;
  height?: number;
}

type Pt = [number, number];

const toPts = (ms: Metric[]): Pt[] => ms.map((m) => [m.step, num(m.value)]);

export function MetricChart({ runId, metricKey, points = 1000, height = 280 }: Props) {
  const [overview, setOverview] = useState<Pt[] | null>(null);
  const [detail, setDetail] = useState<{ from: number; to: number; pts: Pt[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const started = useRef(0);
  const [renderMs, setRenderMs] = useState<number | null>(null);
  const [fetchMs, setFetchMs] = useState<number | null>(null);
  const zoomTimer = useRef<number | undefined>(undefined);

  useEffect(() => {
    const ctl = new AbortController();
    started.current = performance.now();
    void loadCharts(); // in parallel with the data
    setOverview(null);
    setDetail(null);
    setRenderMs(null);
    setFetchMs(null);
    setError(null);
    sampledHistory(runId, metricKey, { maxPoints: points }, ctl.signal).then(
      (ms) => {
        setFetchMs(Math.round(performance.now() - started.current));
        setOverview(toPts(ms));
      },
      (e) => !ctl.signal.aborted && setError(e),
    );
    return () => ctl.abort();
  }, [runId, metricKey, points]);

  const data = useMemo(() => {
    if (!overview) return [];
    if (!detail) return overview;
    return [...overview.filter((p) => p[0] < detail.from), ...detail.pts, ...overview.filter((p) => p[0] > detail.to)];
  }, [overview, detail]);

  const option = useMemo(() => {
    const steps = overview ? overview.map((p) => p[0]) : [];
    const min = steps.length ? steps[0] : 0;
    const max = steps.length ? steps[steps.length - 1] : 1;
    return {
      grid: { left: 64, right: 24, top: 16, bottom: 72 },
      tooltip: { trigger: "axis", valueFormatter: (v: number) => fmtNum(v) },
      xAxis: { type: "value", name: "step", nameLocation: "middle", nameGap: 26, min, max, axisLabel: { hideOverlap: true } },
      yAxis: { type: "value", scale: true, axisLabel: { formatter: (v: number) => fmtNum(v, 3) } },
      dataZoom: [
        { type: "inside", xAxisIndex: 0, filterMode: "none" },
        { type: "slider", xAxisIndex: 0, filterMode: "none", height: 20, bottom: 8 },
      ],
      series: [{ type: "line", name: metricKey, data, showSymbol: data.length < 60, symbolSize: 5, lineStyle: { width: 1.5 }, sampling: undefined }],
    };
  }, [data, overview, metricKey]);

  if (error) return <ErrorBox error={error} title={`History of ${metricKey} could not be loaded`} />;
  if (!overview) return <Loading what={`Loading the history of ${metricKey}`} />;
  if (overview.length === 0) return <p className="muted">{metricKey}: no finite values to draw.</p>;
  if (overview.length === 1)
    return (
      <p>
        <span className="mono">{metricKey}</span>: one value, {fmtNum(overview[0][1])} (step {overview[0][0]}).
      </p>
    );

  const onZoom = (_: unknown, chart: { getOption: () => unknown }) => {
    window.clearTimeout(zoomTimer.current);
    zoomTimer.current = window.setTimeout(() => {
      const dz = ((chart.getOption() as { dataZoom?: { startValue?: number; endValue?: number }[] }).dataZoom ?? [])[0];
      const all = overview;
      if (!dz || dz.startValue === undefined || dz.endValue === undefined) return;
      const from = Math.floor(dz.startValue);
      const to = Math.ceil(dz.endValue);
      if (from <= all[0][0] && to >= all[all.length - 1][0]) return setDetail(null);
      sampledHistory(runId, metricKey, { maxPoints: points, startStep: from, endStep: to }).then(
        (ms) => setDetail({ from, to, pts: toPts(ms) }),
        () => undefined,
      );
    }, 200);
  };

  return (
    <div data-metric={metricKey} data-fetch-ms={fetchMs ?? undefined} data-render-ms={renderMs ?? undefined} data-points={overview.length}>
      <Chart
        name="metric"
        label={`History of ${metricKey} by step (${overview.length.toLocaleString("en-US")} points drawn${detail ? ", zoomed" : ""}); drag or scroll to zoom`}
        option={option}
        height={height}
        onEvents={{ datazoom: onZoom }}
        onRendered={() => setRenderMs((ms) => ms ?? Math.round(performance.now() - started.current))}
      />
    </div>
  );
}
