/**
 * The small SQL surface the SQLite and PostgreSQL stores share. Statements are written once
 * with `?` placeholders; the PostgreSQL driver numbers them (`$1`, `$2`, ...). Values are always
 * bound, never spliced into SQL text. A SQL backend holds one driver (one connection or pool)
 * that every store family opened over it shares; code above the stores never uses it.
 */

export type SqlValue = string | number | bigint | null | Uint8Array;
/** The SQL dialects a `SqlDriver` speaks. */
export type Dialect = "sqlite" | "postgres";

/** Column types for bulk inserts (PostgreSQL needs them to cast its arrays). */
export type BulkType = "text" | "bigint" | "double" | "int";

/** Options of one read. */
export interface QueryOptions {
  /**
   * Abort the statement (PostgreSQL cancels it on the server) when this fires — e.g. when the
   * HTTP client that asked went away; the call then rejects with a `CancelledError`. SQLite's
   * statements cannot be interrupted: it checks the signal before it starts only.
   */
  signal?: AbortSignal;
}

/** Runs SQL with `?` placeholders in either dialect (rewritten to `$n` for PostgreSQL). */
export interface SqlExecutor {
  readonly dialect: Dialect;
  /** Rows as objects keyed by column name. */
  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[], options?: QueryOptions): Promise<T[]>;
  /** The first row, or undefined. */
  get<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[], options?: QueryOptions): Promise<T | undefined>;
  /** Rows as arrays (column order of the SELECT): for large reads. */
  rows(sql: string, params?: readonly SqlValue[]): Promise<unknown[][]>;
  /** Run a statement; returns the number of rows changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * Insert many rows, column-major (`columns[i]` holds every row's value of column i). One
   * prepared statement per row in SQLite (inside the caller's transaction), one `unnest` in
   * PostgreSQL. `suffix` is appended (e.g. `ON CONFLICT DO NOTHING`).
   */
  insertMany(table: string, names: readonly string[], types: readonly BulkType[], columns: readonly (readonly SqlValue[])[], suffix?: string): Promise<void>;
}

/** Options of `SqlDriver.transaction`. */
export interface TransactionOptions {
  /** SQLite: BEGIN EXCLUSIVE instead of BEGIN IMMEDIATE (migrations). Ignored in PostgreSQL. */
  exclusive?: boolean;
}

/** A connection (SQLite) or pool (PostgreSQL) with transactions; what a `SqlBackend` holds. */
export interface SqlDriver extends SqlExecutor {
  /** Run `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Run several reads on one connection, outside a transaction: PostgreSQL pipelines the
   * statements `fn` issues without awaiting each other (one round trip for all of them, one
   * pool checkout). SQLite runs them in turn.
   */
  connection<T>(fn: (ex: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * SQL fragment testing `column` against a list bound as ONE parameter (no placeholder
   * limits): `column IN (SELECT value FROM json_each(?))` / `column = ANY(?::bigint[])`, and
   * the parameter value to bind for `values`.
   */
  inList(column: string, values: readonly (string | number)[], type: "text" | "bigint"): { sql: string; param: SqlValue };
  /**
   * Refresh the planner's statistics when they may be stale (SQLite's `PRAGMA optimize`,
   * rate-limited; PostgreSQL's autovacuum does this itself). Cheap when nothing changed.
   */
  optimize?(): void;
  close(): Promise<void>;
}

/**
 * True for errors a unique or primary-key constraint raised.
 * @example
 * ```ts
 * try { await sql.run("INSERT INTO t (id) VALUES (?)", [1]); } catch (e) { if (!isUniqueViolation(e)) throw e; }
 * ```
 */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err?.code === "23505" || err?.code === "SQLITE_CONSTRAINT_UNIQUE" || err?.code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
