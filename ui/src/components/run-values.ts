/** A run's values indexed by key, and the column names of MLflow's search grammar (`metrics.x`, `params.x`, `tags.x`). */
import { num } from "../api/client";
import type { Run } from "../api/types";

export interface IndexedRun {
  run: Run;
  metrics: Map<string, number>;
  params: Map<string, string>;
  tags: Map<string, string>;
}

export function indexRun(run: Run): IndexedRun {
  return {
    run,
    metrics: new Map((run.data.metrics ?? []).map((m) => [m.key, num(m.value)])),
    params: new Map((run.data.params ?? []).map((p) => [p.key, p.value])),
    tags: new Map((run.data.tags ?? []).map((t) => [t.key, t.value])),
  };
}

export type ColumnKind = "metrics" | "params" | "tags";

export interface ColumnRef {
  kind: ColumnKind;
  key: string;
}

/** `metrics.cv_auc` → `{ kind: "metrics", key: "cv_auc" }`; null for anything else. */
export function parseColumn(id: string): ColumnRef | null {
  const m = /^(metrics|params|tags)\.(.+)$/.exec(id);
  return m ? { kind: m[1] as ColumnKind, key: m[2] } : null;
}

/** A key as MLflow's grammar wants it: bare when an identifier, else in backticks. */
export function quoteKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : `\`${key.replace(/`/g, "")}\``;
}

/** The value of a column for a run (numbers for metrics, strings otherwise; undefined when absent). */
export function columnValue(r: IndexedRun, c: ColumnRef): number | string | undefined {
  return c.kind === "metrics" ? r.metrics.get(c.key) : c.kind === "params" ? r.params.get(c.key) : r.tags.get(c.key);
}

/** Keys seen in `runs`, by kind, most frequent first (ties alphabetical). */
export function keysOf(runs: readonly IndexedRun[]): Record<ColumnKind, string[]> {
  const count = (pick: (r: IndexedRun) => Iterable<string>) => {
    const n = new Map<string, number>();
    for (const r of runs) for (const k of pick(r)) n.set(k, (n.get(k) ?? 0) + 1);
    return [...n.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
  };
  return { metrics: count((r) => r.metrics.keys()), params: count((r) => r.params.keys()), tags: count((r) => r.tags.keys()) };
}
