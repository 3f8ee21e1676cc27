/** Rows of the registry's audit log: when, who, what, on which entity, from → to. */
import type { AuditEntry } from "../api/types";
import { fmtTime } from "../components/format";

export function AuditTable({ entries, caption }: { entries: AuditEntry[]; caption: string }) {
  return (
    <div className="table-wrap">
      <table className="compact" data-testid="audit">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">Entity</th>
            <th scope="col">From</th>
            <th scope="col">To</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>{fmtTime(e.timestamp)}</td>
              <td>{e.actor}</td>
              <td className="mono">{e.action}</td>
              <td className="mono">{e.entity}</td>
              <td className="wrap">{e.from ?? "—"}</td>
              <td className="wrap">{e.to ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
