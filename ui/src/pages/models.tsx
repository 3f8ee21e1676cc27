/** The registry: every registered model with its latest version and aliases. */
import { searchModels } from "../api/registry";
import { useTitle } from "../app";
import { fmtTime } from "../components/format";
import { Empty, ErrorBox, Loading } from "../components/status";
import { useData } from "../components/use-data";
import { Link, href } from "../router";

export function ModelsPage() {
  useTitle("Models");
  const { data, error } = useData((s) => searchModels(s), []);
  return (
    <>
      <h1>Registered models</h1>
      {error ? <ErrorBox error={error} /> : null}
      {!data && !error ? <Loading what="Loading the registry" /> : null}
      {data && data.length === 0 ? <Empty>No registered models yet. <code>keel run</code> registers the model it chooses.</Empty> : null}
      {data && data.length > 0 ? (
        <div className="table-wrap">
          <table data-testid="models">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Latest version</th>
                <th scope="col">Aliases</th>
                <th scope="col">Last update</th>
                <th scope="col">Description</th>
              </tr>
            </thead>
            <tbody>
              {data.map((m) => {
                const latest = [...(m.latest_versions ?? [])].sort((a, b) => Number(b.version) - Number(a.version))[0];
                return (
                  <tr key={m.name}>
                    <th scope="row">
                      <Link to={href(["models", m.name])}>{m.name}</Link>
                    </th>
                    <td>{latest ? <Link to={href(["models", m.name, "versions", latest.version])}>version {latest.version}</Link> : "—"}</td>
                    <td>
                      {(m.aliases ?? []).map((a) => (
                        <span key={a.alias} className="chip">
                          @{a.alias} → v{a.version}
                        </span>
                      ))}
                    </td>
                    <td>{fmtTime(m.last_updated_timestamp)}</td>
                    <td className="wrap">{m.description || ""}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
