/** A table in a horizontally scrolling box: column headers (`scope="col"`), rows as children. */
import { type ReactNode, useState } from "react";
import { Empty } from "./status";

/** A column header: its label, or the label with `num` (right-aligned numbers). */
export type Head = ReactNode | { label: ReactNode; num?: boolean };

const isHead = (h: Head): h is { label: ReactNode; num?: boolean } => typeof h === "object" && h !== null && "label" in h;

export function Table({ head, children, testId, caption, captionClass, compact = true, className }: { head?: readonly Head[]; children: ReactNode; testId?: string; caption?: ReactNode; captionClass?: string; compact?: boolean; className?: string }) {
  return (
    <div className="table-wrap">
      <table className={[compact ? "compact" : "", className ?? ""].join(" ").trim() || undefined} data-testid={testId}>
        {caption ? <caption className={captionClass}>{caption}</caption> : null}
        {head ? (
          <thead>
            <tr>
              {head.map((h, i) => (
                <th key={i} scope="col" className={isHead(h) && h.num ? "num" : undefined}>
                  {isHead(h) ? h.label : h}
                </th>
              ))}
            </tr>
          </thead>
        ) : null}
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** Dataset inputs with their content hashes (a run's inputs, a model version's lineage). */
export function DatasetsTable({ rows, testId }: { rows: { name: string; digest: string; rows?: number | null; context?: string | null; source?: string }[]; testId?: string }) {
  return (
    <Table testId={testId} head={["dataset", "content hash", { label: "rows", num: true }, "context", "source"]}>
      {rows.map((d, i) => (
        <tr key={i}>
          <th scope="row">{d.name}</th>
          <td className="mono" title={d.digest}>
            {d.digest.length > 16 ? d.digest.slice(0, 16) : d.digest}
          </td>
          <td className="num">{d.rows?.toLocaleString("en-US") ?? "—"}</td>
          <td>{d.context ?? "—"}</td>
          <td className="mono small wrap">{d.source ?? ""}</td>
        </tr>
      ))}
    </Table>
  );
}

/**
 * Key → value rows (params, tags, a run's metrics), with a filter box once there are more than 15.
 * The caption (for screen readers, or shown with `showCaption`) names them.
 */
export function KeyValues({ rows: all, caption, testId, showCaption }: { rows: { key: string; value: string }[]; caption: string; testId?: string; showCaption?: boolean }) {
  const [needle, setNeedle] = useState("");
  if (all.length === 0) return <Empty>None.</Empty>;
  const n = needle.trim().toLowerCase();
  const rows = n ? all.filter((r) => r.key.toLowerCase().includes(n) || r.value.toLowerCase().includes(n)) : all;
  return (
    <div className="table-wrap">
      {all.length > 15 ? (
        <input className="kv-filter" type="search" aria-label={`Filter ${caption.toLowerCase()}`} placeholder={`Filter ${all.length} ${caption.toLowerCase()}`} value={needle} onChange={(e) => setNeedle(e.target.value)} />
      ) : null}
      <table className="compact kv" data-testid={testId}>
        <caption className={showCaption ? undefined : "sr-only"}>{caption}</caption>
        <tbody>
          {rows.map((p) => (
            <tr key={p.key}>
              <th scope="row" className="mono">
                {p.key}
              </th>
              <td className="wrap">{p.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
