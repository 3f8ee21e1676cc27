/** Every `keel run` with an evaluation (its top-level run), newest first, with its verdict; each opens the run's evaluation. */
import { num } from "../api/client";
import { searchExperiments, searchRuns } from "../api/tracking";
import { fmtNum, fmtTime } from "../components/format";
import { Empty, ErrorBox, Loading } from "../components/status";
import { Table } from "../components/table";
import { useData } from "../components/use-data";
import { useTitle } from "../components/use-title";
import { Link, href } from "../router";

export function EvaluationListPage() {
  useTitle("Evaluation");
  const { data, error } = useData(async (s) => {
    const experiments = await searchExperiments(s);
    const runs = await searchRuns({ experimentIds: experiments.map((e) => e.experiment_id), filter: "tags.`keel.step` = 'run'", orderBy: ["attributes.start_time DESC"], maxResults: 500 }, s);
    return { names: new Map(experiments.map((e) => [e.experiment_id, e.name])), runs: runs.items, more: Boolean(runs.nextPageToken) };
  }, []);
  return (
    <>
      <h1>Evaluation and fairness</h1>
      <p className="muted">
        Each <code>keel run</code> evaluates its chosen model once on the sealed test set: metrics with intervals, confusion matrix, subgroup metrics with the largest gaps. Open one to see it.
      </p>
      {error ? <ErrorBox error={error} /> : null}
      {!data && !error ? <Loading what="Finding evaluations" /> : null}
      {data && data.runs.length === 0 ? <Empty>No evaluations yet: run <code>keel run</code> on a project.</Empty> : null}
      {data && data.runs.length > 0 ? (
        <Table testId="evaluations" compact={false} head={["Run", "Experiment", "Started", "Chosen model", "Test metrics", "Good enough", "Beats baseline"]}>
          {data.runs.map((r) => {
            const tag = (k: string) => r.data.tags?.find((t) => t.key === k)?.value;
            // the primary metric (the run's `metric` param) first, then the others
            const primary = `test_${r.data.params?.find((p) => p.key === "metric")?.value ?? ""}`;
            const tests = (r.data.metrics ?? [])
              .filter((m) => m.key.startsWith("test_") && !/rows|duplicates/.test(m.key))
              .sort((a, b) => Number(b.key === primary) - Number(a.key === primary) || a.key.localeCompare(b.key))
              .slice(0, 3);
            return (
              <tr key={r.info.run_id}>
                <th scope="row">
                  <Link to={href(["runs", r.info.run_id], { tab: "evaluation" })}>{r.info.run_name}</Link>
                </th>
                <td>{data.names.get(r.info.experiment_id) ?? r.info.experiment_id}</td>
                <td>{fmtTime(r.info.start_time)}</td>
                <td className="mono">{tag("keel.chosen") ?? "—"}</td>
                <td className="small">
                  {tests.map((m) => (
                    <div key={m.key}>
                      <span className="mono">{m.key.replace(/^test_/, "")}</span> {fmtNum(num(m.value))}
                    </div>
                  ))}
                </td>
                <td>{tag("keel.good_enough") ?? "—"}</td>
                <td>{tag("keel.beats_baseline") ?? "—"}</td>
              </tr>
            );
          })}
        </Table>
      ) : null}
      {data?.more ? <p className="muted small">Showing the latest 500.</p> : null}
    </>
  );
}
