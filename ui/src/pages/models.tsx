/** The registry: every registered model with its latest version and aliases. */
import { searchModels } from "../api/registry";
import { fmtTime } from "../components/format";
import { Empty, ErrorBox, Loading } from "../components/status";
import { Table } from "../components/table";
import { useData } from "../components/use-data";
import { useTitle } from "../components/use-title";
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
        <Table testId="models" compact={false} head={["Model", "Latest version", "Aliases", "Last update", "Description"]}>
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
        </Table>
      ) : null}
    </>
  );
}
