/**
 * One model version: lineage (run, data hashes, code), the model card `keel run` wrote, and the
 * evaluation of the run that produced it. The tab is in the URL.
 */
import { num } from "../api/client";
import { getVersion, lineage } from "../api/registry";
import { artifactText } from "../api/tracking";
import type { ModelVersion } from "../api/types";
import { EvaluationView } from "../components/evaluation-view";
import { fmtNum, fmtTime, sourceText } from "../components/format";
import { Markdown } from "../components/markdown";
import { Empty, ErrorBox, Loading } from "../components/status";
import { DatasetsTable, KeyValues } from "../components/table";
import { Tabs } from "../components/tabs";
import { useData } from "../components/use-data";
import { useTitle } from "../components/use-title";
import { Link, href, navigate, useLocation } from "../router";

export function VersionPage({ name, version }: { name: string; version: string }) {
  useTitle(`${name} version ${version}`);
  const { query } = useLocation();
  const v = useData((s) => getVersion(name, version, s), [name, version]);
  const tab = query.get("tab") ?? "lineage";
  if (v.error) return <ErrorBox error={v.error} title="Model version not found" />;
  if (!v.data) return <Loading what="Loading the version" />;
  const mv = v.data;
  return (
    <>
      <p className="crumbs">
        <Link to="/models">Models</Link> / <Link to={href(["models", name])}>{name}</Link> /
      </p>
      <h1>
        {name} version {version}{" "}
        {(mv.aliases ?? []).map((a) => (
          <span key={a} className="chip">
            @{a}
          </span>
        ))}
      </h1>
      {mv.description ? <p>{mv.description}</p> : null}
      <Tabs
        label="Version sections"
        tabs={[
          { id: "lineage", label: "Lineage" },
          { id: "card", label: "Model card" },
          { id: "evaluation", label: "Evaluation" },
        ]}
        current={tab}
        onChange={(t) => navigate(href(["models", name, "versions", version], { tab: t === "lineage" ? undefined : t }), { replace: true })}
      >
        {tab === "lineage" ? <LineageView mv={mv} /> : null}
        {tab === "card" ? <Card mv={mv} /> : null}
        {tab === "evaluation" ? mv.run_id ? <EvaluationView runId={mv.run_id} /> : <Empty>This version names no run.</Empty> : null}
      </Tabs>
    </>
  );
}

function LineageView({ mv }: { mv: ModelVersion }) {
  const { data, error } = useData((s) => lineage(mv.name, mv.version, s), [mv.name, mv.version]);
  if (error) return <ErrorBox error={error} title="Lineage could not be loaded" />;
  if (!data) return <Loading what="Tracing the lineage" />;
  const tags = Object.fromEntries((mv.tags ?? []).map((t) => [t.key, t.value]));
  const c = data.code;
  return (
    <div className="lineage" data-testid="lineage">
      <section aria-labelledby="ln-run">
        <h2 id="ln-run">Run</h2>
        {data.run ? (
          <dl className="facts">
            <div>
              <dt>Run</dt>
              <dd>
                <Link to={href(["runs", data.run.run_id])}>{data.run.run_name}</Link> <span className="mono small">{data.run.run_id}</span>
              </dd>
            </div>
            <div>
              <dt>Started</dt>
              <dd>{fmtTime(data.run.start_time)}</dd>
            </div>
            {data.run.hypothesis ? (
              <div className="wide">
                <dt>Why</dt>
                <dd>{data.run.hypothesis}</dd>
              </div>
            ) : null}
          </dl>
        ) : (
          <Empty>The run that produced this version is gone (purged) or was never recorded.</Empty>
        )}
      </section>
      <section aria-labelledby="ln-data">
        <h2 id="ln-data">Data</h2>
        <dl className="facts">
          {tags["keel.data_hash"] ? (
            <div>
              <dt>Data hash</dt>
              <dd className="mono" data-testid="data-hash">
                {tags["keel.data_hash"]}
              </dd>
            </div>
          ) : null}
          {tags["keel.test_hash"] ? (
            <div>
              <dt>Test set hash</dt>
              <dd className="mono">{tags["keel.test_hash"]}</dd>
            </div>
          ) : null}
          {tags["keel.model_hash"] ? (
            <div>
              <dt>Model hash</dt>
              <dd className="mono">{tags["keel.model_hash"]}</dd>
            </div>
          ) : null}
        </dl>
        {data.datasets.length ? (
          <DatasetsTable rows={data.datasets.map((d) => ({ ...d, source: sourceText(d.source) }))} />
        ) : (
          <p className="muted">No dataset inputs recorded on the run.</p>
        )}
      </section>
      <section aria-labelledby="ln-code">
        <h2 id="ln-code">Code</h2>
        <dl className="facts">
          <div>
            <dt>Git commit</dt>
            <dd className="mono" data-testid="git-commit">
              {c.git_commit ?? tags["keel.git_commit"] ?? "not recorded"}
              {c.git_dirty ? " (uncommitted changes)" : ""}
            </dd>
          </div>
          {c.git_branch ? (
            <div>
              <dt>Branch</dt>
              <dd className="mono">{c.git_branch}</dd>
            </div>
          ) : null}
          <div>
            <dt>Keel</dt>
            <dd>{c.keel_version ?? "—"}</dd>
          </div>
          <div>
            <dt>Node.js</dt>
            <dd>{c.node_version ?? "—"}</dd>
          </div>
        </dl>
        {c.packages ? (
          <details>
            <summary>Packages ({Object.keys(c.packages).length})</summary>
            <ul className="mono small">
              {Object.entries(c.packages).map(([k, ver]) => (
                <li key={k}>
                  {k} {ver}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </section>
      <section aria-labelledby="ln-params">
        <h2 id="ln-params">Parameters and metrics of the run</h2>
        <div className="two-col">
          <KeyValues rows={data.params} caption="Parameters" showCaption />
          <KeyValues rows={data.metrics.map((m) => ({ key: m.key, value: fmtNum(num(m.value)) }))} caption="Metrics" showCaption />
        </div>
      </section>
    </div>
  );
}

function Card({ mv }: { mv: ModelVersion }) {
  const { data, error } = useData((s) => (mv.run_id ? artifactText(mv.run_id, "model_card.md", s) : Promise.resolve(null)), [mv.run_id]);
  if (error) return <ErrorBox error={error} title="The model card could not be loaded" />;
  if (data === undefined) return <Loading what="Loading the model card" />;
  if (data === null) return <Empty>No model card: the run that registered this version wrote no <code>model_card.md</code>.</Empty>;
  return (
    <article className="card-doc" data-testid="model-card">
      <Markdown text={data} />
    </article>
  );
}
