/**
 * Monitoring: per-model drift per column over time, data-quality counts, performance from
 * delayed labels, alerts. It reads `keel/monitoring/*` (see `api/keel.ts`); until the server
 * serves those routes the page says plainly that nothing is recorded, and lists the registered
 * models that monitoring will watch.
 */
import { useMemo } from "react";
import { type MonitoringSummary, monitoredModels, monitoringSummary } from "../api/keel";
import { searchModels } from "../api/registry";
import { Chart } from "../components/chart";
import { fmtNum, fmtTime } from "../components/format";
import { Empty, ErrorBox, Loading } from "../components/status";
import { Table } from "../components/table";
import { useData } from "../components/use-data";
import { useTitle } from "../components/use-title";
import { Link, href } from "../router";

export function MonitoringPage({ name }: { name?: string }) {
  useTitle(name ? `Monitoring ${name}` : "Monitoring");
  const models = useData((s) => monitoredModels(s), []);
  const registered = useData((s) => searchModels(s), []);
  if (models.error) return <ErrorBox error={models.error} />;
  if (!models.data) return <Loading what="Asking the server about monitoring" />;
  if (!models.data.available)
    return (
      <>
        <h1>Monitoring</h1>
        <div className="notice" data-testid="monitoring-empty">
          <p>
            <strong>Nothing is recorded yet.</strong> This server does not monitor models: drift, data quality at inference, performance from delayed labels and alerts arrive with Keel's monitoring
            (<code>keel serve</code> logging predictions, reference profiles from training).
          </p>
          <p>Once it does, this page shows for each model: drift per column over time (PSI, KS, chi², Jensen–Shannon, Wasserstein), data-quality counts, performance as labels arrive, and alerts.</p>
        </div>
        <h2>Registered models it will watch</h2>
        {registered.data ? (
          registered.data.length === 0 ? (
            <Empty>No registered models yet.</Empty>
          ) : (
            <ul>
              {registered.data.map((m) => (
                <li key={m.name}>
                  <Link to={href(["models", m.name])}>{m.name}</Link> {(m.aliases ?? []).map((a) => <span key={a.alias} className="chip">@{a.alias} → v{a.version}</span>)}
                </li>
              ))}
            </ul>
          )
        ) : null}
      </>
    );
  return (
    <>
      <h1>Monitoring{name ? `: ${name}` : ""}</h1>
      {models.data.data.length === 0 ? <Empty>No model is monitored yet.</Empty> : null}
      <nav aria-label="Monitored models">
        <ul className="inline-list">
          {models.data.data.map((m) => (
            <li key={m.name}>
              <Link to={href(["monitoring", m.name])} aria-current={m.name === name ? "page" : undefined}>
                {m.name}
                {m.alias ? `@${m.alias}` : ""}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {name ? <ModelMonitoring name={name} /> : null}
    </>
  );
}

function ModelMonitoring({ name }: { name: string }) {
  const { data, error } = useData((s) => monitoringSummary(name, s), [name]);
  if (error) return <ErrorBox error={error} />;
  if (!data) return <Loading what="Loading monitoring" />;
  if (!data.available) return <Empty>Nothing recorded for {name}.</Empty>;
  return <Summary s={data.data} />;
}

function Summary({ s }: { s: MonitoringSummary }) {
  const drift = useMemo(() => {
    const cols = [...new Set(s.drift.map((d) => d.column))];
    return {
      grid: { left: 56, right: 24, top: 40, bottom: 40 },
      legend: { type: "scroll", top: 0 },
      tooltip: { trigger: "axis", valueFormatter: (v: number) => fmtNum(v) },
      xAxis: { type: "time" },
      yAxis: { type: "value", name: "drift" },
      series: cols.map((c) => ({ type: "line", name: c, data: s.drift.filter((d) => d.column === c).map((d) => [d.timestamp, d.value]) })),
    };
  }, [s]);
  const perf = useMemo(() => {
    const ms = [...new Set(s.performance.map((p) => p.metric))];
    return {
      grid: { left: 56, right: 24, top: 40, bottom: 40 },
      legend: { top: 0 },
      tooltip: { trigger: "axis", valueFormatter: (v: number) => fmtNum(v) },
      xAxis: { type: "time" },
      yAxis: { type: "value", scale: true },
      series: ms.map((m) => ({ type: "line", name: m, data: s.performance.filter((p) => p.metric === m).map((p) => [p.timestamp, p.value]) })),
    };
  }, [s]);
  return (
    <>
      <section aria-labelledby="mo-drift">
        <h2 id="mo-drift">Drift per column</h2>
        {s.drift.length ? <Chart name="drift" label="Drift statistic per column over time" option={drift} /> : <Empty>No drift measured yet.</Empty>}
      </section>
      <section aria-labelledby="mo-quality">
        <h2 id="mo-quality">Data quality</h2>
        {s.quality.length ? (
          <Table head={["window", { label: "rows", num: true }, { label: "missing", num: true }, { label: "unseen categories", num: true }, { label: "out of range", num: true }, { label: "schema errors", num: true }]}>
            {s.quality.map((q) => (
              <tr key={q.timestamp}>
                <th scope="row">{fmtTime(q.timestamp)}</th>
                <td className="num">{fmtNum(q.rows)}</td>
                <td className="num">{fmtNum(q.missing)}</td>
                <td className="num">{fmtNum(q.unseen_categories)}</td>
                <td className="num">{fmtNum(q.out_of_range)}</td>
                <td className="num">{fmtNum(q.schema_errors)}</td>
              </tr>
            ))}
          </Table>
        ) : (
          <Empty>No data-quality counts yet.</Empty>
        )}
      </section>
      <section aria-labelledby="mo-perf">
        <h2 id="mo-perf">Performance from delayed labels</h2>
        {s.performance.length ? <Chart name="performance" label="Performance as labels arrive" option={perf} /> : <Empty>No labels have arrived yet.</Empty>}
      </section>
      <section aria-labelledby="mo-alerts">
        <h2 id="mo-alerts">Alerts</h2>
        {s.alerts.length ? (
          <ul>
            {s.alerts.map((a, i) => (
              <li key={i}>
                <span className="badge">{a.severity}</span> {fmtTime(a.timestamp)} — {a.message}
              </li>
            ))}
          </ul>
        ) : (
          <Empty>No alerts.</Empty>
        )}
      </section>
    </>
  );
}
