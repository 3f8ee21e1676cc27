/**
 * Monitoring: pick a registered model and version, then see its stored monitoring windows
 * (`keel monitor drift --model` writes them) over time — the share of drifted columns, each
 * column's drift statistic against its threshold, prediction drift, data-quality findings, and
 * live metrics from delayed labels with their bootstrap intervals. Reads `keel/monitoring/*`.
 */
import { useEffect, useMemo } from "react";
import { type MonitoredModel, type MonitorWindow, monitoredModels, monitorWindows } from "../api/keel";
import { Chart, loadCharts, PALETTE } from "../components/chart";
import { fmtNum, fmtTime } from "../components/format";
import { Empty, ErrorBox, Loading } from "../components/status";
import { Table } from "../components/table";
import { useData } from "../components/use-data";
import { useTitle } from "../components/use-title";
import { Link, href, navigate, useLocation } from "../router";

export function MonitoringPage({ name }: { name?: string }) {
  useTitle(name ? `Monitoring ${name}` : "Monitoring");
  useEffect(() => void loadCharts(), []);
  const models = useData((s) => monitoredModels(s), []);
  if (models.error) return <ErrorBox error={models.error} />;
  if (!models.data) return <Loading what="Asking the server about monitoring" />;
  if (!models.data.available)
    return (
      <>
        <h1>Monitoring</h1>
        <div className="notice" data-testid="monitoring-empty">
          <p>
            <strong>Nothing is recorded yet.</strong> This server does not keep monitoring results.
          </p>
        </div>
      </>
    );
  const list = models.data.data;
  const model = list.find((m) => m.name === name);
  return (
    <>
      <h1>Monitoring{name ? `: ${name}` : ""}</h1>
      {list.length === 0 ? (
        <div className="notice" data-testid="monitoring-empty">
          <p>
            <strong>Nothing is recorded yet.</strong> No model is registered. Register one (<code>keel run</code>), serve it (<code>keel serve</code>), then store its windows with{" "}
            <code>keel monitor drift --model models:/NAME@champion --store {location.origin}</code>.
          </p>
        </div>
      ) : null}
      <nav aria-label="Registered models">
        <ul className="inline-list">
          {list.map((m) => (
            <li key={m.name}>
              <Link to={href(["monitoring", m.name])} aria-current={m.name === name ? "page" : undefined}>
                {m.name}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {name && !model ? <Empty>No registered model is called {name}.</Empty> : null}
      {model ? <ModelMonitoring model={model} /> : null}
    </>
  );
}

/** The version to show: the one asked for, else the champion's if it has windows, else the newest with windows. */
function pickVersion(model: MonitoredModel, windows: readonly MonitorWindow[], asked: string | null): string | undefined {
  if (asked) return asked;
  const seen = new Set(windows.map((w) => w.version));
  const champion = model.aliases.find((a) => a.alias === "champion")?.version;
  if (champion && seen.has(champion)) return champion;
  return [...seen].sort((a, b) => Number(b) - Number(a))[0];
}

function ModelMonitoring({ model }: { model: MonitoredModel }) {
  const { query } = useLocation();
  const { data, error } = useData((s) => monitorWindows(model.name, s), [model.name]);
  if (error) return <ErrorBox error={error} />;
  if (!data) return <Loading what="Loading monitoring windows" />;
  if (!data.available) return null;
  const all = data.data;
  const version = pickVersion(model, all, query.get("version"));
  const sizes = [...new Set(all.filter((w) => w.version === version).map((w) => w.window))];
  const size = (query.get("window") as "hour" | "day" | null) ?? (sizes.includes("hour") ? "hour" : sizes[0]);
  const windows = all.filter((w) => w.version === version && w.window === size);
  const go = (q: Record<string, string | undefined>) => navigate(href(["monitoring", model.name], { version, window: size, ...q }), { replace: true });
  const versionLabel = (v: string) => `v${v}${model.aliases.filter((a) => a.version === v).map((a) => ` @${a.alias}`).join("")}${all.some((w) => w.version === v) ? "" : " (no windows)"}`;
  return (
    <>
      <div className="toolbar">
        <label>
          Version{" "}
          <select data-testid="monitoring-version" value={version ?? ""} onChange={(e) => go({ version: e.target.value, window: undefined })}>
            {version === undefined ? <option value="">—</option> : null}
            {model.versions.map((v) => (
              <option key={v} value={v}>
                {versionLabel(v)}
              </option>
            ))}
          </select>
        </label>{" "}
        <label>
          Window{" "}
          <select data-testid="monitoring-window" value={size ?? ""} onChange={(e) => go({ window: e.target.value })}>
            {(sizes.length ? sizes : ["hour"]).map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </div>
      {windows.length === 0 ? (
        <Empty>
          No monitoring windows stored for {model.name}
          {version ? ` v${version}` : ""}. Store them with <code>keel monitor drift --model models:/{model.name}/{version ?? "VERSION"} --store {location.origin}</code>.
        </Empty>
      ) : (
        <Windows windows={windows} />
      )}
    </>
  );
}

const grid = { left: 64, right: 24, top: 40, bottom: 40 };
const timeAxis = { type: "time" };
const at = (w: MonitorWindow) => w.start_ms;

function Windows({ windows }: { windows: MonitorWindow[] }) {
  const share = useMemo(
    () => ({
      grid,
      legend: { top: 0 },
      tooltip: { trigger: "axis", valueFormatter: (v: number) => fmtNum(v) },
      xAxis: timeAxis,
      yAxis: { type: "value", name: "share", min: 0, max: 1 },
      series: [
        { type: "line", name: "drift share", data: windows.map((w) => [at(w), w.drift_share]), markLine: { silent: true, symbol: "none", data: [{ yAxis: 0.5, name: "dataset drift" }] } },
        { type: "line", name: "error rate", data: windows.map((w) => [at(w), w.error_rate]) },
      ],
    }),
    [windows],
  );
  const columns = useMemo(() => {
    // PSI for every column (one scale for numeric and categorical columns); the deciding test's value is in the table below
    const names = [...new Set(windows.flatMap((w) => w.result.drift?.columns.map((c) => c.column) ?? []))];
    return {
      grid,
      legend: { type: "scroll", top: 0 },
      tooltip: { trigger: "axis", valueFormatter: (v: number) => fmtNum(v) },
      xAxis: timeAxis,
      yAxis: { type: "value", name: "PSI" },
      series: names.map((n, i) => ({
        type: "line",
        name: n,
        color: PALETTE[i % PALETTE.length],
        data: windows.map((w) => {
          const c = w.result.drift?.columns.find((x) => x.column === n);
          return [at(w), c ? c.psi : null];
        }),
      })),
    };
  }, [windows]);
  const prediction = useMemo(
    () => ({
      grid,
      legend: { top: 0 },
      tooltip: { trigger: "axis", valueFormatter: (v: number) => fmtNum(v) },
      xAxis: timeAxis,
      yAxis: { type: "value", name: "PSI" },
      series: [{ type: "line", name: "prediction PSI", data: windows.map((w) => [at(w), w.result.prediction_drift?.psi ?? null]) }],
    }),
    [windows],
  );
  const metricNames = useMemo(() => [...new Set(windows.flatMap((w) => Object.keys(w.result.performance?.metrics ?? {})))], [windows]);
  const metrics = useMemo(
    () => ({
      grid,
      legend: { top: 0 },
      tooltip: { trigger: "axis", valueFormatter: (v: number) => fmtNum(v) },
      xAxis: timeAxis,
      yAxis: { type: "value", scale: true },
      // per metric: the estimate, and its interval as a band (low, then high − low stacked on it)
      series: metricNames.flatMap((m, i) => {
        const color = PALETTE[i % PALETTE.length];
        const get = (w: MonitorWindow) => w.result.performance?.metrics[m];
        return [
          { type: "line", name: m, color, data: windows.map((w) => [at(w), get(w)?.estimate ?? null]) },
          { type: "line", name: m, stack: `band-${m}`, symbol: "none", lineStyle: { opacity: 0 }, color, tooltip: { show: false }, data: windows.map((w) => [at(w), get(w)?.low ?? null]) },
          { type: "line", name: m, stack: `band-${m}`, symbol: "none", lineStyle: { opacity: 0 }, areaStyle: { color, opacity: 0.2 }, color, tooltip: { show: false }, data: windows.map((w) => { const x = get(w); return [at(w), x && x.low !== null && x.high !== null ? x.high - x.low : null]; }) },
        ];
      }),
    }),
    [windows, metricNames],
  );
  const last = windows[windows.length - 1];
  return (
    <>
      <section aria-labelledby="mo-share">
        <h2 id="mo-share">Drift share per window</h2>
        <Chart name="drift-share" label="Share of drifted columns and error rate per window" option={share} />
      </section>
      <section aria-labelledby="mo-columns">
        <h2 id="mo-columns">Drift per column</h2>
        <Chart name="drift-columns" label="Population stability index of each column per window" option={columns} />
        {last.result.drift ? (
          <Table head={["column (last window)", "test", { label: "statistic", num: true }, { label: "threshold", num: true }, "drifted"]}>
            {last.result.drift.columns.map((c) => (
              <tr key={c.column} data-testid="monitoring-column">
                <th scope="row">{c.column}</th>
                <td>{c.test}</td>
                <td className="num">{fmtNum(c.statistic)}</td>
                <td className="num">{fmtNum(c.threshold)}</td>
                <td>{c.drifted ? <span className="badge">drift</span> : "no"}</td>
              </tr>
            ))}
          </Table>
        ) : null}
      </section>
      <section aria-labelledby="mo-prediction">
        <h2 id="mo-prediction">Prediction drift</h2>
        {windows.some((w) => w.result.prediction_drift) ? <Chart name="prediction-drift" label="Population stability index of the predictions per window" option={prediction} /> : <Empty>No prediction drift measured.</Empty>}
      </section>
      <section aria-labelledby="mo-quality">
        <h2 id="mo-quality">Data quality</h2>
        <Table head={["window", { label: "requests", num: true }, { label: "findings", num: true }, "what"]}>
          {windows.map((w) => (
            <tr key={w.start_ms} data-testid="monitoring-quality">
              <th scope="row">{fmtTime(w.start_ms)}</th>
              <td className="num">{fmtNum(w.requests)}</td>
              <td className="num">{w.quality_findings ?? "—"}</td>
              <td>{(w.result.quality?.findings ?? []).map((f) => `${f.code}${f.column ? ` ${f.column}` : ""}: ${f.count}`).join("; ")}</td>
            </tr>
          ))}
        </Table>
      </section>
      <section aria-labelledby="mo-perf">
        <h2 id="mo-perf">Live metrics from delayed labels</h2>
        {metricNames.length ? <Chart name="live-metrics" label="Live metrics per window with bootstrap intervals" option={metrics} /> : <Empty>No labels have arrived yet.</Empty>}
      </section>
    </>
  );
}
