/** The experiments list: every active experiment, most recently updated first. */
import { searchExperiments } from "../api/tracking";
import { fmtTime } from "../components/format";
import { Empty, ErrorBox, Loading } from "../components/status";
import { Table } from "../components/table";
import { useData } from "../components/use-data";
import { useTitle } from "../components/use-title";
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
        <Table testId="experiments" compact={false} caption={"Experiments, most recently updated first"} captionClass="sr-only" head={["Name", "ID", "Last update", "Created", "Artifact location"]}>
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
        </Table>
      ) : null}
    </>
  );
}
