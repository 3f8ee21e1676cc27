/**
 * One DuckDB instance per process, created on first use and shared by every read and write.
 * Each operation takes its own connection (temporary tables are per connection, so concurrent
 * reads never see each other's) and releases it when done. `closeDuckDb()` drops the instance;
 * the next use creates a new one. An open instance does not keep Node's event loop alive, and
 * returns the memory of finished queries to the system (`allocator_background_threads`).
 */
import type { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";

let instance: Promise<DuckDBInstance> | null = null;

function getInstance(): Promise<DuckDBInstance> {
  if (!instance) {
    // loaded on first use: commands that read no file never pay for DuckDB's binding
    // the allocator's background thread hands memory a finished query freed back to the system:
    // without it a 500,000 × 31 CSV read left ~90 MB cached in the process for the rest of its life
    const p = import("@duckdb/node-api").then(({ DuckDBInstance: Instance }) => Instance.create(":memory:", { allocator_background_threads: "true" }));
    // a failed creation must not poison later attempts
    p.catch(() => {
      if (instance === p) instance = null;
    });
    instance = p;
  }
  return instance;
}

/** Run `fn` with a fresh connection to the shared in-memory instance; always disconnects. */
export async function withConnection<T>(fn: (con: DuckDBConnection) => Promise<T>): Promise<T> {
  const db = await getInstance();
  const con = await db.connect();
  try {
    return await fn(con);
  } finally {
    con.disconnectSync();
  }
}

/**
 * Close the shared DuckDB instance (if one was created); call it when no read or write is in
 * progress. Safe to call more than once; a later
 * `readTable`/`writeTable` opens a new instance.
 * @example
 * ```ts
 * const frame = await readTable("flights.parquet");
 * await closeDuckDb();
 * ```
 */
export async function closeDuckDb(): Promise<void> {
  const p = instance;
  instance = null;
  if (!p) return;
  try {
    (await p).closeSync();
  } catch {
    // creation failed: nothing to close
  }
}

/** An SQL identifier, double-quoted. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** An SQL string literal, single-quoted. */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** The first line of an error's message (DuckDB messages carry hints and a caret on later lines). */
export function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split("\n")[0].trim();
}
