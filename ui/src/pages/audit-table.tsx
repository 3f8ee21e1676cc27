/** Rows of the registry's audit log: when, who, what, on which entity, from → to. */
import type { AuditEntry } from "../api/types";
import { fmtTime } from "../components/format";
import { Table } from "../components/table";

export function AuditTable({ entries, caption }: { entries: AuditEntry[]; caption: string }) {
  return (
    <Table testId="audit" caption={<>{caption}</>} captionClass="sr-only" head={["When", "Who", "Action", "Entity", "From", "To"]}>
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
    </Table>
  );
}
