/**
 * 2–10 runs side by side (`/compare?runs=a,b,c`): parameters with the differing rows marked (or
 * only those), latest metrics with the best value per row marked, one metric's history overlaid
 * for every run (downsampled on the server), and parallel coordinates over the differing
 * parameters and chosen metrics.
 */
import { useMemo, useState } from "react";
import { bulkHistory, getRun } from "../api/tracking";
import { Chart } from "../components/chart";
import { fmtNum } from "../components/format";
import { type IndexedRun, indexRun } from "../components/run-values";
import { ErrorBox, Loading } from "../components/status";
import { Table } from "../components/table";
import { useData } from "../components/use-data";
import { useTitle } from "../components/use-title";
import { Link, href, navigate, useLocation } from "../router";

export function ComparePage() {
  const { query } = useLocation();
  const ids = [...new Set((query.get("runs") ?? "").split(",").map((s) => s.trim()).filter(Boolean))];
  useTitle(`Compare ${ids.length} runs`);
  const runs = useData((s) => Promise.all(ids.map((id) => getRun(id, s))).then((rs) => rs.map(indexRun)), [ids.join(",")]);
  if (ids.length < 2 || ids.length > 10)
    return (
      <>
        <h1>Compare runs</h1>
        <p className="error" role="alert">
          Choose between 2 and 10 runs to compare (this link names {ids.length}). Select them with the checkboxes of a runs table.
        </p>
      </>
    );
  if (runs.error) return <ErrorBox error={runs.error} title="The runs could not be loaded" />;
  if (!runs.data) return <Loading what="Loading the runs" />;
  const setQuery = (patch: Record<string, string | undefined>) => navigate(href(["compare"], { ...Object.fromEntries(query.entries()), ...patch }), { replace: true });
  return <Comparison runs={runs.data} query={query} setQuery={setQuery} />;
}

function differs(values: (string | number | undefined)[]): boolean {
  return new Set(values.map((v) => (v === undefined ? "\u0000" : String(v)))).size > 1;
}

function Comparison({ runs, query, setQuery }: { runs: IndexedRun[]; query: URLSearchParams; setQuery: (p: Record<string, string | undefined>) => void }) {
  const onlyDiff = query.get("diff") === "1";
  const paramKeys = [...new Set(runs.flatMap((r) => [...r.params.keys()]))].sort();
  const metricKeys = [...new Set(runs.flatMap((r) => [...r.metrics.keys()]))].sort();
  const diffParams = paramKeys.filter((k) => differs(runs.map((r) => r.params.get(k))));
  const shownParams = onlyDiff ? diffParams : paramKeys;
  const common = metricKeys.filter((k) => runs.every((r) => r.metrics.has(k)));
  // the default overlay: a metric with a history (logged at more than one step), else the first
  const stepped = metricKeys.filter((k) => runs.some((r) => (r.run.data.metrics ?? []).some((m) => m.key === k && m.step > 0)));
  const overlay = query.get("metric") ?? stepped.find((k) => common.includes(k)) ?? stepped[0] ?? common[0] ?? metricKeys[0];
  const name = (r: IndexedRun) => r.run.info.run_name;
  const names = disambiguate(runs.map(name));

  return (
    <>
      <p className="crumbs">
        <Link to="/">Experiments</Link> /{" "}
        <Link to={href(["experiments", runs[0].run.info.experiment_id])}>runs</Link> /
      </p>
      <h1>Compare {runs.length} runs</h1>
      <section aria-labelledby="cmp-params">
        <h2 id="cmp-params">Parameters</h2>
        {paramKeys.length === 0 ? <p className="empty">None of these runs logged parameters.</p> : null}
        <label className="check">
          <input type="checkbox" checked={onlyDiff} onChange={(e) => setQuery({ diff: e.target.checked ? "1" : undefined })} /> Only parameters that differ ({diffParams.length} of {paramKeys.length})
        </label>
        <Table testId="compare-params" head={["parameter", ...runs.map((r, i) => <Link to={href(["runs", r.run.info.run_id])}>{names[i]}</Link>)]}>
          {shownParams.map((k) => {
            const d = diffParams.includes(k);
            return (
              <tr key={k} className={d ? "diff" : undefined}>
                <th scope="row" className="mono">
                  {k}
                  {d ? <span className="sr-only"> (differs)</span> : null}
                </th>
                {runs.map((r) => (
                  <td key={r.run.info.run_id} className="wrap">
                    {r.params.get(k) ?? "—"}
                  </td>
                ))}
              </tr>
            );
          })}
        </Table>
      </section>
      <section aria-labelledby="cmp-metrics">
        <h2 id="cmp-metrics">Metrics (latest values)</h2>
        <p className="muted small">The highest value of each row is marked ▲, the lowest ▼ (whether higher is better depends on the metric).</p>
        <Table testId="compare-metrics" head={["metric", ...names.map((n) => ({ label: n, num: true }))]}>
          {metricKeys.map((k) => {
            const vals = runs.map((r) => r.metrics.get(k));
            const finite = vals.filter((v): v is number => v !== undefined && Number.isFinite(v));
            const hi = finite.length > 1 ? Math.max(...finite) : undefined;
            const lo = finite.length > 1 ? Math.min(...finite) : undefined;
            return (
              <tr key={k}>
                <th scope="row" className="mono">
                  <button type="button" className="link mono" onClick={() => setQuery({ metric: k })} aria-pressed={overlay === k} title="Overlay this metric's history">
                    {k}
                  </button>
                </th>
                {vals.map((v, i) => (
                  <td key={i} className="num">
                    {fmtNum(v)}
                    {hi !== lo && v === hi ? <span aria-label="highest"> ▲</span> : null}
                    {hi !== lo && v === lo ? <span aria-label="lowest"> ▼</span> : null}
                  </td>
                ))}
              </tr>
            );
          })}
        </Table>
      </section>
      {overlay ? <Overlay runs={runs} names={names} metric={overlay} /> : null}
      <Parallel runs={runs} names={names} params={diffParams} metrics={common} chosen={query.get("axes")} onAxes={(a) => setQuery({ axes: a })} />
    </>
  );
}

/** Run names made unique for legends ("gbdt", "gbdt (2)"). */
function disambiguate(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    return k === 1 ? n : `${n} (${k})`;
  });
}

function Overlay({ runs, names, metric }: { runs: IndexedRun[]; names: string[]; metric: string }) {
  const ids = runs.map((r) => r.run.info.run_id);
  const hist = useData((s) => bulkHistory(ids, metric, 500, s), [ids.join(","), metric]);
  const option = useMemo(() => {
    const points = hist.data ?? [];
    return {
      grid: { left: 64, right: 24, top: 48, bottom: 64 },
      legend: { type: "scroll", top: 0 },
      tooltip: { trigger: "axis", valueFormatter: (v: number) => fmtNum(v) },
      xAxis: { type: "value", name: "step", nameLocation: "middle", nameGap: 26, minInterval: 1 },
      yAxis: { type: "value", scale: true },
      dataZoom: [{ type: "inside" }, { type: "slider", height: 18, bottom: 6 }],
      series: runs.map((r, i) => {
        const data = points.filter((p) => p.run_id === r.run.info.run_id).map((p) => [p.step, Number(p.value)]);
        return { type: "line", name: names[i], data, showSymbol: data.length < 40, symbolSize: 6 };
      }),
    };
  }, [hist.data, runs, names]);
  return (
    <section aria-labelledby="cmp-overlay">
      <h2 id="cmp-overlay">
        History of <span className="mono">{metric}</span>
      </h2>
      <p className="muted small">Choose another metric by its name in the table above.</p>
      {hist.error ? <ErrorBox error={hist.error} /> : !hist.data ? <Loading what="Loading histories" /> : <Chart name="overlay" label={`${metric} by step for ${runs.length} runs`} option={option} height={320} />}
    </section>
  );
}

function Parallel({ runs, names, params, metrics, chosen, onAxes }: { runs: IndexedRun[]; names: string[]; params: string[]; metrics: string[]; chosen: string | null; onAxes: (axes: string) => void }) {
  const all = [...params.map((k) => `params.${k}`), ...metrics.map((k) => `metrics.${k}`)];
  // default axes: up to 6 differing params, then up to 5 metrics (spreads `_std` left out)
  const axes = chosen ? chosen.split(",").filter((a) => all.includes(a)) : [...params.slice(0, 6).map((k) => `params.${k}`), ...metrics.filter((k) => !/_std$/.test(k)).slice(0, 5).map((k) => `metrics.${k}`)];
  const [open, setOpen] = useState(false);
  const option = useMemo(() => {
    const dims = axes.map((a, i) => {
      const [kind, ...rest] = a.split(".");
      const key = rest.join(".");
      const values = runs.map((r) => (kind === "metrics" ? r.metrics.get(key) : r.params.get(key)));
      const numeric = values.every((v) => v === undefined || (typeof v === "number" ? Number.isFinite(v) : v.trim() !== "" && Number.isFinite(Number(v))));
      const cats = numeric ? undefined : [...new Set(values.map((v) => (v === undefined ? "—" : String(v))))].sort();
      return { dim: i, name: key.length > 22 ? `${key.slice(0, 20)}…` : key, type: numeric ? "value" : "category", data: cats, scale: true, values, numeric };
    });
    return {
      parallel: { left: 48, right: 96, top: 48, bottom: 32, parallelAxisDefault: { nameLocation: "end", nameGap: 16, nameTextStyle: { fontSize: 11 } } },
      parallelAxis: dims.map(({ dim, name, type, data, scale }) => ({ dim, name, type, data, scale })),
      tooltip: { trigger: "item" },
      legend: { type: "scroll", bottom: 0 },
      series: runs.map((_, i) => ({
        type: "parallel",
        name: names[i],
        lineStyle: { width: 2.5, opacity: 0.9 },
        data: [dims.map((d) => (d.numeric ? (d.values[i] === undefined ? null : Number(d.values[i])) : d.values[i] === undefined ? "—" : String(d.values[i])))],
      })),
    };
  }, [axes.join(","), runs, names]);
  return (
    <section aria-labelledby="cmp-parallel">
      <h2 id="cmp-parallel">Parallel coordinates</h2>
      {axes.length < 2 ? (
        <p className="muted">Choose at least two axes (parameters that differ, metrics all runs have).</p>
      ) : (
        <Chart name="parallel" label={`Parallel coordinates of ${runs.length} runs over ${axes.length} axes: ${axes.join(", ")}`} option={option} height={360} />
      )}
      <button type="button" className="secondary" aria-expanded={open} onClick={() => setOpen(!open)}>
        Choose axes ({axes.length})
      </button>
      {open ? (
        <fieldset className="axis-picker">
          <legend>Axes</legend>
          {all.map((a) => (
            <label key={a} className="check">
              <input type="checkbox" checked={axes.includes(a)} onChange={() => onAxes((axes.includes(a) ? axes.filter((x) => x !== a) : [...axes, a]).join(","))} /> <span className="mono small">{a}</span>
            </label>
          ))}
        </fieldset>
      ) : null}
    </section>
  );
}
