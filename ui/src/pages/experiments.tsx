/** The experiments list: every active experiment, most recently updated first. */
import { searchExperiments } from "../api/tracking";
import { useTitle } from "../app";
import { fmtTime } from "../components/format";
import { Empty, ErrorBox, Loading } from "../components/status";
import { useData } from "../components/use-data";
import { Link, href } from "../router";

export function ExperimentsPage() {
  useTitle("Experiments");
  const { data, error, loading } = useData((s) => searchExperiments(s), []);
  return (
    <>
      <h1>Experiments</h1>
      {loading && !data ? <Loading what="Loading experiments" /> : null}
      {error ? <ErrorBox error={error} /> : null}
      {data && data.length === 0 ? <Empty>No experiments yet. Run <code>keel run</code> on a project to create one.</Empty> : null}
      {data && data.length > 0 ? (
        <div className="table-wrap">
          <table data-testid="experiments">
            <caption className="sr-only">Experiments, most recently updated first</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">ID</th>
                <th scope="col">Last update</th>
                <th scope="col">Created</th>
                <th scope="col">Artifact location</th>
              </tr>
            </thead>
            <tbody>
              {data.map((e) => (
                <tr key={e.experiment_id}>
                  <th scope="row">
                    <Link to={href(["experiments", e.experiment_id])}>{e.name}</Link>
                  </th>
                  <td className="mono">{e.experiment_id}</td>
                  <td>{fmtTime(e.last_update_time)}</td>
                  <td>{fmtTime(e.creation_time)}</td>
                  <td className="mono small wrap">{e.artifact_location}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
