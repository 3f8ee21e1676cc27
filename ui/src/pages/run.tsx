/**
 * One run: why it was made, its params, metrics (with history charts), tags, dataset inputs with
 * their hashes, parent and child runs, artifacts with previews, and — for a `keel run` — its
 * evaluation. The tab, the charted metrics and the previewed artifact are in the URL.
 */
import { num } from "../api/client";
import { getExperiment, getRun, listArtifacts, searchRuns } from "../api/tracking";
import type { Run } from "../api/types";
import { ArtifactsBrowser } from "../components/artifacts-browser";
import { EvaluationView } from "../components/evaluation-view";
import { fmtDuration, fmtNum, fmtTime, sourceText } from "../components/format";
import { MetricChart } from "../components/metric-chart";
import { Empty, ErrorBox, Loading } from "../components/status";
import { DatasetsTable, KeyValues, Table } from "../components/table";
import { Tabs } from "../components/tabs";
import { useData } from "../components/use-data";
import { useTitle } from "../components/use-title";
import { Link, href, navigate, useLocation } from "../router";

const SYSTEM_TAG = /^(mlflow\.|keel\.(hypothesis|env\.|git\.|source|keel_version|node_version))/;

export function RunPage({ runId }: { runId: string }) {
  const { query } = useLocation();
  const run = useData((s) => getRun(runId, s), [runId]);
  const r = run.data;
  const experiment = useData((s) => (r ? getExperiment(r.info.experiment_id, s) : Promise.resolve(null)), [r?.info.experiment_id]);
  const parent = useData((s) => (r?.info.parent_run_id ? getRun(r.info.parent_run_id, s) : Promise.resolve(null)), [r?.info.parent_run_id]);
  const root = useData((s) => listArtifacts(runId, "", s).catch(() => []), [runId]);
  useTitle(r ? `Run ${r.info.run_name}` : "Run");

  if (run.error) return <ErrorBox error={run.error} title="Run not found" />;
  if (!r) return <Loading what="Loading the run" />;

  const hasSummary = (root.data ?? []).some((f) => f.path === "summary.json");
  const tab = query.get("tab") ?? "overview";
  const setQuery = (patch: Record<string, string | undefined>) => {
    const q = Object.fromEntries(query.entries());
    navigate(href(["runs", runId], { ...q, ...patch }), { replace: true });
  };
  const tabs = [
    { id: "overview", label: "Overview" },
    { id: "metrics", label: `Metric charts (${r.data.metrics?.length ?? 0})` },
    { id: "artifacts", label: "Artifacts" },
    ...(hasSummary || tab === "evaluation" ? [{ id: "evaluation", label: "Evaluation" }] : []),
  ];
  const info = r.info;
  return (
    <>
      <p className="crumbs">
        <Link to="/">Experiments</Link> / {experiment.data ? <Link to={href(["experiments", experiment.data.experiment_id])}>{experiment.data.name}</Link> : "…"} /
        {parent.data ? (
          <>
            {" "}
            <Link to={href(["runs", parent.data.info.run_id])}>{parent.data.info.run_name}</Link> /
          </>
        ) : null}
      </p>
      <h1>
        {info.run_name} <span className={`status ${info.status.toLowerCase()}`}>{info.status.toLowerCase()}</span>
      </h1>
      {info.hypothesis ? (
        <blockquote className="why" data-testid="hypothesis">
          <span className="why-label">Why this run:</span> {info.hypothesis}
        </blockquote>
      ) : (
        <p className="muted small">No hypothesis recorded (set <code>problem.why</code> in keel.yaml, or <code>hypothesis</code> when creating the run).</p>
      )}
      <dl className="facts">
        <div>
          <dt>Run ID</dt>
          <dd className="mono">{info.run_id}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{fmtTime(info.start_time)}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{info.end_time && info.start_time ? fmtDuration(info.end_time - info.start_time) : "—"}</dd>
        </div>
        <div>
          <dt>User</dt>
          <dd>{info.user_id || "—"}</dd>
        </div>
        {parent.data ? (
          <div>
            <dt>Parent run</dt>
            <dd>
              <Link to={href(["runs", parent.data.info.run_id])}>{parent.data.info.run_name}</Link>
            </dd>
          </div>
        ) : null}
        {info.lifecycle_stage === "deleted" ? (
          <div>
            <dt>State</dt>
            <dd>deleted</dd>
          </div>
        ) : null}
      </dl>
      <Tabs label="Run sections" tabs={tabs} current={tab} onChange={(t) => setQuery({ tab: t === "overview" ? undefined : t })}>
        {tab === "overview" ? <Overview run={r} /> : null}
        {tab === "metrics" ? <Metrics run={r} chosen={query.get("metric")} onChoose={(m) => setQuery({ metric: m })} /> : null}
        {tab === "artifacts" ? <ArtifactsBrowser runId={runId} path={query.get("path") ?? ""} onSelect={(p) => setQuery({ path: p })} /> : null}
        {tab === "evaluation" ? <EvaluationView runId={runId} /> : null}
      </Tabs>
    </>
  );
}

function Overview({ run }: { run: Run }) {
  const params = [...(run.data.params ?? [])].sort((a, b) => a.key.localeCompare(b.key));
  const metrics = [...(run.data.metrics ?? [])].sort((a, b) => a.key.localeCompare(b.key));
  const tags = [...(run.data.tags ?? [])].sort((a, b) => a.key.localeCompare(b.key));
  const userTags = tags.filter((t) => !SYSTEM_TAG.test(t.key));
  const systemTags = tags.filter((t) => SYSTEM_TAG.test(t.key));
  const inputs = run.inputs?.dataset_inputs ?? [];
  return (
    <div className="overview">
      <section aria-labelledby="ov-params">
        <h2 id="ov-params">Parameters ({params.length})</h2>
        <KeyValues rows={params} caption="Parameters" testId="params" />
      </section>
      <section aria-labelledby="ov-metrics">
        <h2 id="ov-metrics">Metrics ({metrics.length})</h2>
        {metrics.length === 0 ? (
          <Empty>None.</Empty>
        ) : (
          <Table testId="metrics" head={["metric", { label: "latest value", num: true }, { label: "step", num: true }, <><span className="sr-only">chart</span></>]}>
            {metrics.map((m) => (
              <tr key={m.key}>
                <th scope="row" className="mono">
                  {m.key}
                </th>
                <td className="num" data-metric={m.key}>
                  {fmtNum(num(m.value))}
                </td>
                <td className="num">{m.step}</td>
                <td>
                  <Link to={href(["runs", run.info.run_id], { tab: "metrics", metric: m.key })} aria-label={`Chart the history of ${m.key}`}>
                    chart
                  </Link>
                </td>
              </tr>
            ))}
          </Table>
        )}
      </section>
      <section aria-labelledby="ov-datasets">
        <h2 id="ov-datasets">Dataset inputs ({inputs.length})</h2>
        {inputs.length === 0 ? (
          <Empty>None recorded.</Empty>
        ) : (
          <DatasetsTable
            testId="datasets"
            rows={inputs.map((d) => ({
              ...d.dataset,
              context: d.tags?.find((t) => t.key === "mlflow.data.context")?.value,
              source: `${d.dataset.source_type ? `${d.dataset.source_type}: ` : ""}${sourceText(d.dataset.source)}`,
            }))}
          />
        )}
      </section>
      <section aria-labelledby="ov-tags">
        <h2 id="ov-tags">Tags ({userTags.length})</h2>
        <KeyValues rows={userTags} caption="Tags" testId="tags" />
        {systemTags.length ? (
          <details>
            <summary>System tags ({systemTags.length})</summary>
            <KeyValues rows={systemTags} caption="System tags" />
          </details>
        ) : null}
      </section>
      <Children run={run} />
    </div>
  );
}

function Children({ run }: { run: Run }) {
  const id = run.info.run_id;
  const kids = useData((s) => searchRuns({ experimentIds: [run.info.experiment_id], filter: `attributes.parent_run_id = '${id}'`, orderBy: ["attributes.start_time ASC"], maxResults: 500 }, s), [id]);
  if (kids.error) return <ErrorBox error={kids.error} title="Child runs could not be loaded" />;
  const items = kids.data?.items ?? [];
  if (items.length === 0) return null;
  const keys = [...new Set(items.flatMap((k) => (k.data.metrics ?? []).map((m) => m.key)))].filter((k) => !k.startsWith("fold_")).sort().slice(0, 5);
  return (
    <section aria-labelledby="ov-children">
      <h2 id="ov-children">
        Child runs ({items.length}
        {kids.data?.nextPageToken ? "+" : ""})
      </h2>
      <Table testId="children" head={["run", "status", ...keys.map((k) => ({ label: <span className="mono">{k}</span>, num: true }))]}>
        {items.map((k) => (
          <tr key={k.info.run_id}>
            <th scope="row">
              <Link to={href(["runs", k.info.run_id])}>{k.info.run_name}</Link>
            </th>
            <td>{k.info.status.toLowerCase()}</td>
            {keys.map((key) => {
              const m = k.data.metrics?.find((x) => x.key === key);
              return (
                <td key={key} className="num">
                  {m ? fmtNum(num(m.value)) : "—"}
                </td>
              );
            })}
          </tr>
        ))}
      </Table>
      {items.length >= 2 ? (
        <p>
          <Link to={href(["compare"], { runs: items.slice(0, 10).map((k) => k.info.run_id).join(",") })}>Compare {Math.min(10, items.length)} child runs</Link>
        </p>
      ) : null}
    </section>
  );
}

function Metrics({ run, chosen, onChoose }: { run: Run; chosen: string | null; onChoose: (metrics: string | undefined) => void }) {
  const keys = [...new Set((run.data.metrics ?? []).map((m) => m.key))].sort();
  if (keys.length === 0) return <Empty>This run has no metrics.</Empty>;
  // no `metric` in the URL: the first metric; "none": nothing charted
  const selected = chosen === null ? [keys[0]] : chosen.split(",").filter((k) => keys.includes(k));
  const flip = (k: string) => onChoose((selected.includes(k) ? selected.filter((x) => x !== k) : [...selected, k]).join(",") || "none");
  return (
    <div className="metrics-tab">
      <fieldset className="metric-list">
        <legend>Metrics to chart</legend>
        {keys.map((k) => (
          <label key={k} className="check">
            <input type="checkbox" checked={selected.includes(k)} onChange={() => flip(k)} /> <span className="mono small">{k}</span>
          </label>
        ))}
      </fieldset>
      <div className="metric-charts">
        {selected.length === 0 ? <p className="muted">Choose a metric to chart its history.</p> : null}
        {selected.map((k) => (
          <section key={k} aria-label={`History of ${k}`}>
            <h3 className="mono">{k}</h3>
            <MetricChart runId={run.info.run_id} metricKey={k} />
          </section>
        ))}
      </div>
    </div>
  );
}
