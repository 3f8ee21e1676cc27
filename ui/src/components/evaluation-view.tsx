/**
 * The evaluation `keel run` records with a run (its `summary.json` artifact): the verdict against
 * the bar and the baseline, test metrics with bootstrap intervals, the confusion matrix, subgroup
 * metrics per protected column with the largest gap highlighted, the cross-validated candidates,
 * and — when the run recorded them — ROC, precision–recall and calibration curves.
 */
import { artifactJson } from "../api/tracking";
import { Link, href } from "../router";
import { Chart } from "./chart";
import { fmtNum, shortHash } from "./format";
import { Empty, ErrorBox, Loading } from "./status";
import { Table } from "./table";
import { useData } from "./use-data";

/** The parts of `keel run`'s summary.json this view reads. */
export interface RunSummary {
  runId: string;
  project: string;
  task: string;
  problem: { target: string; positive?: string | null; metric: string; guards: string[]; good_enough: number | null; protected: string[]; why?: string | null };
  greaterIsBetter: boolean;
  data: { source: string; rows: number; hash: string; split: string; train: { rows: number; hash: string }; test: { rows: number; hash: string } };
  cv: string;
  candidates: { model: string; kind: string; cv: { mean: number; std: number }; metrics: Record<string, { mean: number; std: number }>; fitSeconds: number; runId: string }[];
  chosen: string;
  test: {
    rows: number;
    metrics: Record<string, number>;
    intervals: Record<string, { low: number; high: number }>;
    bootstrapRounds: number;
    confusion?: { labels: string[]; matrix: number[][] };
    /** Recorded by later versions of `keel run` / `keel evaluate`. */
    curves?: Curves;
  };
  baseline: { model: string; value: number };
  subgroups: Record<string, Record<string, Record<string, number>>>;
  gaps: Record<string, Record<string, { gap: number; highest: string; lowest: string }>>;
  verdict: { goodEnough: boolean | null; beatsBaseline: boolean; metric: string; value: number; bar: number | null };
  registered?: { name: string; version: string; alias: string };
  git: { commit: string; dirty: boolean } | null;
}

/** Curves, each as parallel arrays (the shape `keel evaluate` is expected to record). */
export interface Curves {
  roc?: { fpr: number[]; tpr: number[]; auc?: number };
  pr?: { recall: number[]; precision: number[]; average_precision?: number };
  calibration?: { predicted: number[]; observed: number[]; count?: number[]; ece?: number; brier?: number };
}

export function useSummary(runId: string | undefined) {
  return useData((s) => (runId ? artifactJson<RunSummary>(runId, "summary.json", s) : Promise.resolve(null)), [runId]);
}

export function EvaluationView({ runId }: { runId: string }) {
  const { data, error } = useSummary(runId);
  if (error) return <ErrorBox error={error} title="The evaluation could not be loaded" />;
  if (data === undefined) return <Loading what="Loading the evaluation" />;
  if (data === null || !data.test) return <Empty>This run recorded no evaluation (no <code>summary.json</code>). <code>keel run</code> records one on its top-level run.</Empty>;
  return <Evaluation s={data} />;
}

function Verdict({ s }: { s: RunSummary }) {
  const v = s.verdict;
  const good = v.goodEnough === null ? "no bar set" : v.goodEnough ? "yes" : "no";
  return (
    <div className="cards" data-testid="verdict">
      <div className={`card ${v.goodEnough === false ? "bad" : v.goodEnough ? "good" : ""}`}>
        <div className="card-label">Good enough</div>
        <div className="card-value">{good}</div>
        <div className="muted small">
          test {v.metric} {fmtNum(v.value)}
          {v.bar !== null ? ` against the bar ${v.bar}` : ""}
        </div>
      </div>
      <div className={`card ${v.beatsBaseline ? "good" : "bad"}`}>
        <div className="card-label">Beats the baseline</div>
        <div className="card-value">{v.beatsBaseline ? "yes" : "no"}</div>
        <div className="muted small">
          {s.baseline.model}: {fmtNum(s.baseline.value)}
        </div>
      </div>
      <div className="card">
        <div className="card-label">Chosen model</div>
        <div className="card-value mono">{s.chosen}</div>
        <div className="muted small">{s.cv}</div>
      </div>
      <div className="card">
        <div className="card-label">Test set</div>
        <div className="card-value">{s.test.rows.toLocaleString("en-US")} rows</div>
        <div className="muted small" title={s.data.test.hash}>
          hash {shortHash(s.data.test.hash)}
        </div>
      </div>
    </div>
  );
}

function Evaluation({ s }: { s: RunSummary }) {
  const metrics = Object.entries(s.test.metrics);
  return (
    <div className="evaluation">
      <Verdict s={s} />
      <section aria-labelledby="ev-metrics">
        <h3 id="ev-metrics">Test metrics</h3>
        <p className="muted small">
          95% intervals: percentile bootstrap, {s.test.bootstrapRounds} resamples. Primary metric <code>{s.problem.metric}</code>
          {s.problem.guards.length ? (
            <>
              ; guards{" "}
              {s.problem.guards.map((g) => (
                <code key={g}>{g} </code>
              ))}
            </>
          ) : null}
          .
        </p>
        <Table testId="test-metrics" compact={false} head={["Metric", { label: "Value", num: true }, { label: "95% interval", num: true }]}>
          {metrics.map(([k, v]) => {
            const ci = s.test.intervals[k];
            return (
              <tr key={k} className={k === s.problem.metric ? "highlight" : undefined}>
                <th scope="row" className="mono">
                  {k}
                </th>
                <td className="num">{fmtNum(v)}</td>
                <td className="num">{ci ? `${fmtNum(ci.low)} – ${fmtNum(ci.high)}` : "—"}</td>
              </tr>
            );
          })}
        </Table>
      </section>
      {s.test.confusion ? <Confusion c={s.test.confusion} /> : null}
      <CurvesSection curves={s.test.curves} task={s.task} />
      <Subgroups s={s} />
      <Candidates s={s} />
    </div>
  );
}

/**
 * A cell colour for a share 0..1 (light to dark blue) and the text colour that reads best on it:
 * black or white, whichever contrasts more (WCAG relative luminance), so every cell stays ≥ 4.5:1.
 */
function heat(a: number): { bg: string; fg: string } {
  const from = [239, 246, 252];
  const to = [8, 48, 107];
  const c = from.map((f, k) => Math.round(f + (to[k] - f) * a));
  const lin = (v: number) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
  const L = 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
  return { bg: `rgb(${c.join(", ")})`, fg: (L + 0.05) / 0.05 >= 1.05 / (L + 0.05) ? "#000" : "#fff" };
}

function Confusion({ c }: { c: { labels: string[]; matrix: number[][] } }) {
  const max = Math.max(1, ...c.matrix.flat());
  return (
    <section aria-labelledby="ev-confusion">
      <h3 id="ev-confusion">Confusion matrix</h3>
      <div className="table-wrap">
        <table className="confusion" data-testid="confusion">
          <caption className="muted small">Rows: true class; columns: predicted class. Each cell: count (share of its row).</caption>
          <thead>
            <tr>
              <td />
              {c.labels.map((l) => (
                <th key={l} scope="col">
                  predicted {l}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {c.matrix.map((row, i) => {
              const total = row.reduce((a, b) => a + b, 0) || 1;
              return (
                <tr key={i}>
                  <th scope="row">true {c.labels[i]}</th>
                  {row.map((n, j) => {
                    const shade = heat(n / max);
                    return (
                      <td key={j} className={`num cm${i === j ? " diag" : ""}`} style={{ background: shade.bg, color: shade.fg }}>
                        {n.toLocaleString("en-US")} <span className="small">({((100 * n) / total).toFixed(1)}%)</span>
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function CurvesSection({ curves, task }: { curves?: Curves; task: string }) {
  if (task === "regression") return null;
  if (!curves || (!curves.roc && !curves.pr && !curves.calibration))
    return (
      <section aria-labelledby="ev-curves">
        <h3 id="ev-curves">Curves</h3>
        <p className="notice" data-testid="curves-missing">
          ROC, precision–recall and calibration curves were not recorded by this run: this version of <code>keel run</code> stores the metrics, intervals, confusion matrix and subgroups shown here. The
          curves appear here once evaluation records them.
        </p>
      </section>
    );
  const line = (name: string, xs: number[], ys: number[], xName: string, yName: string, diagonal: boolean) => ({
    grid: { left: 56, right: 16, top: 24, bottom: 48 },
    tooltip: { trigger: "axis", valueFormatter: (v: number) => fmtNum(v) },
    xAxis: { type: "value", name: xName, nameLocation: "middle", nameGap: 28, min: 0, max: 1 },
    yAxis: { type: "value", name: yName, min: 0, max: 1 },
    series: [
      { type: "line", name, data: xs.map((x, i) => [x, ys[i]]), showSymbol: false },
      ...(diagonal ? [{ type: "line", name: "chance / perfect calibration", data: [[0, 0], [1, 1]], showSymbol: false, lineStyle: { type: "dashed", width: 1, color: "#666" } }] : []),
    ],
  });
  return (
    <section aria-labelledby="ev-curves">
      <h3 id="ev-curves">Curves</h3>
      <div className="grid-3">
        {curves.roc ? <Chart name="roc" label={`ROC curve${curves.roc.auc !== undefined ? ` (AUC ${fmtNum(curves.roc.auc)})` : ""}`} option={line("ROC", curves.roc.fpr, curves.roc.tpr, "false positive rate", "true positive rate", true)} /> : null}
        {curves.pr ? <Chart name="pr" label={`Precision–recall curve${curves.pr.average_precision !== undefined ? ` (AP ${fmtNum(curves.pr.average_precision)})` : ""}`} option={line("precision", curves.pr.recall, curves.pr.precision, "recall", "precision", false)} /> : null}
        {curves.calibration ? <Chart name="calibration" label={`Calibration: observed rate by predicted probability${curves.calibration.ece !== undefined ? ` (ECE ${fmtNum(curves.calibration.ece)}${curves.calibration.brier !== undefined ? `, Brier ${fmtNum(curves.calibration.brier)}` : ""})` : ""}`} option={line("observed", curves.calibration.predicted, curves.calibration.observed, "mean predicted probability", "observed frequency", true)} /> : null}
      </div>
    </section>
  );
}

function Subgroups({ s }: { s: RunSummary }) {
  const cols = Object.entries(s.subgroups);
  if (cols.length === 0)
    return (
      <section aria-labelledby="ev-subgroups">
        <h3 id="ev-subgroups">Subgroups</h3>
        <p className="notice">No protected columns were named in keel.yaml: subgroup performance was not checked.</p>
      </section>
    );
  return (
    <section aria-labelledby="ev-subgroups">
      <h3 id="ev-subgroups">Subgroups and fairness</h3>
      <p className="muted small">
        Per protected column: each group's metrics on the test set. For each metric, the groups (of 30+ rows) at the two ends of its largest gap are marked: <span className="hi-high">▲ highest</span> and <span className="hi-low">▼ lowest</span>.
      </p>
      {cols.map(([col, groups]) => {
        const names = [...new Set(Object.values(groups).flatMap((g) => Object.keys(g)))].filter((k) => k !== "n");
        const gaps = s.gaps[col] ?? {};
        const primary = gaps[s.problem.metric];
        return (
          <div key={col} className="subgroup" data-testid={`subgroup-${col}`}>
            <h4>
              {col}
              {primary ? (
                <span className="gap-badge">
                  largest {s.problem.metric} gap {fmtNum(primary.gap)} ({primary.highest} vs {primary.lowest})
                </span>
              ) : null}
            </h4>
            <Table head={["group", { label: "n", num: true }, ...names.map((n) => ({ label: <>{n}{gaps[n] ? <div className="small muted">gap {fmtNum(gaps[n].gap)}</div> : null}</>, num: true }))]}>
              {Object.entries(groups).map(([g, m]) => (
                <tr key={g}>
                  <th scope="row">{g}</th>
                  <td className="num">{fmtNum(m.n)}</td>
                  {names.map((n) => {
                    const gap = gaps[n];
                    const cls = gap && gap.gap > 0 ? (gap.highest === g ? "hi-high" : gap.lowest === g ? "hi-low" : undefined) : undefined;
                    return (
                      <td key={n} className={`num${cls ? ` ${cls}` : ""}`} title={cls ? `${cls === "hi-high" ? "highest" : "lowest"} ${n} among groups of 30+ rows` : undefined}>
                        {cls ? <span aria-hidden="true">{cls === "hi-high" ? "▲ " : "▼ "}</span> : null}
                        {fmtNum(m[n])}
                        {cls ? <span className="sr-only">{cls === "hi-high" ? " (highest)" : " (lowest)"}</span> : null}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </Table>
          </div>
        );
      })}
    </section>
  );
}

function Candidates({ s }: { s: RunSummary }) {
  const option = {
    grid: { left: 140, right: 24, top: 8, bottom: 32 },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: (v: number) => fmtNum(v) },
    xAxis: { type: "value", scale: true, name: `${s.problem.metric} (CV mean)`, nameLocation: "middle", nameGap: 22 },
    yAxis: { type: "category", data: s.candidates.map((c) => c.model), inverse: true },
    series: [
      {
        type: "bar",
        name: `${s.problem.metric} CV mean`,
        data: s.candidates.map((c) => ({ value: c.cv.mean, itemStyle: { color: c.model === s.chosen ? "#D55E00" : "#0072B2" } })),
        label: { show: true, position: "right", formatter: (p: { value: number }) => fmtNum(p.value) },
      },
    ],
  };
  return (
    <section aria-labelledby="ev-candidates">
      <h3 id="ev-candidates">Candidates (cross-validated on the training rows)</h3>
      <Chart name="candidates" label={`${s.problem.metric} by candidate, cross-validated mean; the chosen model in orange`} option={option} height={Math.max(140, 36 * s.candidates.length + 48)} />
      <Table head={["model", { label: <>{s.problem.metric} mean ± std</>, num: true }, { label: "fit seconds", num: true }, "run"]}>
        {s.candidates.map((c) => (
          <tr key={c.runId} className={c.model === s.chosen ? "highlight" : undefined}>
            <th scope="row" className="mono">
              {c.model}
              {c.model === s.chosen ? " (chosen)" : ""}
            </th>
            <td className="num">
              {fmtNum(c.cv.mean)} ± {fmtNum(c.cv.std, 2)}
            </td>
            <td className="num">{fmtNum(c.fitSeconds, 3)}</td>
            <td>
              <Link to={href(["runs", c.runId])}>open</Link>
            </td>
          </tr>
        ))}
      </Table>
    </section>
  );
}
