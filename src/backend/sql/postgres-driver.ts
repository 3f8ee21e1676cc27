/**
 * node-postgres (`pg`) behind the async `SqlDriver` surface: a connection pool, transactions on
 * one pooled client, `?` placeholders numbered as `$n`, BIGINT read back as numbers, bulk
 * inserts through `unnest` of typed arrays (one round trip for thousands of rows). A `schema`
 * option puts every table in that schema (created when missing) through the connection's
 * `search_path` — tests use one schema per file. Connections run in pipeline mode: statements
 * issued together on one connection (`connection()`, a transaction) go out without waiting for
 * each other's answers, so a request costs fewer round trips.
 *
 * Every statement runs under a server-side `statement_timeout` (default 30 s; `?statement_timeout=`
 * in ms in the URI, 0 = none), and a read given an `AbortSignal` is cancelled on the server
 * (`pg_cancel_backend`) when the signal fires: a search whose HTTP client went away stops
 * instead of running on. Both end in a `CancelledError`.
 */
import pg from "pg";
import { CancelledError, InvalidInputError, IoError, show } from "../../core/errors.js";
import type { BulkType, QueryOptions, SqlDriver, SqlExecutor, SqlValue, TransactionOptions } from "./driver.js";

export interface PostgresDriverOptions {
  /** `postgres://user:pass@host:port/db` (a `schema` query parameter is taken out and used as `schema`). */
  connectionString: string;
  /** Schema for every table (default: the connection's own, usually `public`). */
  schema?: string;
  /** Pool size (default 10). */
  max?: number;
  /**
   * Longest a statement may run on the server, in ms (default 30,000; 0 = no limit); also
   * `?statement_timeout=` in the connection string.
   */
  statementTimeoutMs?: number;
}

/** Default `statement_timeout`, ms. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

const PG_ARRAY: Record<BulkType, string> = { text: "text[]", bigint: "int8[]", double: "float8[]", int: "int4[]" };

const numberTypes = {
  getTypeParser(oid: number, format?: string): (value: string) => unknown {
    // int8 (20) and numeric (1700) as JS numbers: ids, times and counts stay below 2^53
    if (oid === 20 || oid === 1700) return (v: string) => (v === null ? null : Number(v));
    return (pg.types.getTypeParser as (oid: number, format?: string) => (value: string) => unknown)(oid, format);
  },
};

/**
 * Split Keel's own query parameters (`?schema=`, `?statement_timeout=` in ms) out of a URL;
 * returns the cleaned connection string and their values.
 */
export function splitSchema(uri: string): { connectionString: string; schema?: string; statementTimeoutMs?: number } {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new InvalidInputError(`store URI ${show(redact(uri))} is not a valid PostgreSQL URL`, { path: "store", expected: "postgres://user@host:5432/database" });
  }
  const schema = url.searchParams.get("schema") ?? undefined;
  url.searchParams.delete("schema");
  const timeout = url.searchParams.get("statement_timeout");
  url.searchParams.delete("statement_timeout");
  let statementTimeoutMs: number | undefined;
  if (timeout !== null) {
    statementTimeoutMs = Number(timeout);
    if (!/^\d+$/.test(timeout) || !Number.isSafeInteger(statementTimeoutMs) || statementTimeoutMs > 2_147_483_647) {
      throw new InvalidInputError(`store URI: statement_timeout ${show(timeout)} is not valid: expected a whole number of milliseconds (0 = no limit)`, {
        path: "statement_timeout",
        expected: "an integer from 0 to 2147483647 (ms)",
        received: timeout,
      });
    }
  }
  return { connectionString: url.toString(), schema, ...(statementTimeoutMs !== undefined ? { statementTimeoutMs } : {}) };
}

/** The URI without its password, for messages and `store.uri`. */
export function redact(uri: string): string {
  try {
    const u = new URL(uri);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return uri.replace(/:[^:@/]*@/, ":***@");
  }
}

const converted = new Map<string, string>();
/** `?` → `$1, $2, ...` outside quoted literals. */
export function numberPlaceholders(sql: string): string {
  let out = converted.get(sql);
  if (out !== undefined) return out;
  let n = 0;
  let quote: string | null = null;
  out = "";
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (quote) {
      if (c === quote) quote = null;
      out += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      out += c;
    } else if (c === "?") {
      out += `$${++n}`;
    } else out += c;
  }
  if (converted.size > 5000) converted.clear();
  converted.set(sql, out);
  return out;
}

function bindable(params: readonly SqlValue[] | undefined): unknown[] {
  if (!params) return [];
  return params.map((v) => (typeof v === "bigint" ? v.toString() : v));
}

/** What an executor needs from its driver: the timeout (for messages) and a way to cancel. */
interface Control {
  statementTimeoutMs: number;
  /** Cancel the statement running on the backend with this process id. */
  cancel(pid: number): Promise<void>;
}

/** PostgreSQL's query_canceled (a statement timeout or a cancel request). */
const QUERY_CANCELED = "57014";

function executor(q: pg.Pool | pg.PoolClient, control: Control): SqlExecutor {
  const pooled = q instanceof pg.Pool;
  const send = async (config: pg.QueryConfig & { rowMode?: "array" }, options: QueryOptions | undefined): Promise<pg.QueryResult> => {
    const signal = options?.signal;
    if (!signal) {
      try {
        return await q.query(config);
      } catch (e) {
        throw translate(e, control, false);
      }
    }
    if (signal.aborted) throw new CancelledError("the query was not started: its caller went away", { path: "query" });
    // the statement runs on one known connection, so that it can be cancelled
    const client = pooled ? await (q as pg.Pool).connect() : (q as pg.PoolClient);
    let cancelling: Promise<void> | undefined;
    const onAbort = () => {
      const pid = (client as unknown as { processID: number | null }).processID;
      if (pid !== null) cancelling = control.cancel(pid).catch(() => undefined);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      return await client.query(config);
    } catch (e) {
      throw translate(e, control, signal.aborted);
    } finally {
      signal.removeEventListener("abort", onAbort);
      if (cancelling) await cancelling;
      // a connection a cancel request was sent to is not reused: the request may land late
      if (pooled) (client as pg.PoolClient).release(cancelling !== undefined);
    }
  };
  const query = (sql: string, params: readonly SqlValue[] | undefined, options?: QueryOptions) => send({ text: numberPlaceholders(sql), values: bindable(params) }, options);
  return {
    dialect: "postgres",
    all: async <T>(sql: string, params?: readonly SqlValue[], options?: QueryOptions) => (await query(sql, params, options)).rows as T[],
    get: async <T>(sql: string, params?: readonly SqlValue[], options?: QueryOptions) => (await query(sql, params, options)).rows[0] as T | undefined,
    rows: async (sql, params) => (await send({ text: numberPlaceholders(sql), values: bindable(params), rowMode: "array" }, undefined)).rows as unknown[][],
    run: async (sql, params) => (await query(sql, params)).rowCount ?? 0,
    insertMany: async (table, names, types, columns, suffix = "") => {
      if (columns.length === 0 || columns[0].length === 0) return;
      const casts = types.map((t) => `?::${PG_ARRAY[t]}`).join(", ");
      await query(`INSERT INTO ${table} (${names.join(", ")}) SELECT * FROM unnest(${casts}) ${suffix}`, columns as unknown as SqlValue[]);
    },
  };
}

/** A cancelled statement as a `CancelledError` saying why; other errors unchanged. */
function translate(e: unknown, control: Control, aborted: boolean): unknown {
  if ((e as { code?: string })?.code !== QUERY_CANCELED) return e;
  if (aborted) return new CancelledError("the query was cancelled: its caller went away", { path: "query", cause: e });
  return new CancelledError(
    `the query ran longer than the store's statement timeout (${control.statementTimeoutMs.toLocaleString("en-US")} ms) and was cancelled: narrow it, or raise ?statement_timeout= (ms) in the store URI`,
    { path: "statement_timeout", expected: `≤ ${control.statementTimeoutMs} ms`, cause: e },
  );
}

export class PostgresDriver implements SqlDriver {
  readonly dialect = "postgres" as const;
  readonly pool: pg.Pool;
  readonly schema?: string;
  private readonly direct: SqlExecutor;

  readonly statementTimeoutMs: number;
  private readonly control: Control;

  private constructor(
    pool: pg.Pool,
    schema: string | undefined,
    statementTimeoutMs: number,
    /** The server's URL without Keel's own query parameters (for a client of its own, e.g. the tuning queue). */
    readonly connectionString: string,
  ) {
    this.pool = pool;
    this.schema = schema;
    this.statementTimeoutMs = statementTimeoutMs;
    this.control = {
      statementTimeoutMs,
      // a separate short-lived connection: the pool's may all be busy
      cancel: async (pid) => {
        const c = new pg.Client({ connectionString });
        c.on("error", () => undefined);
        try {
          await c.connect();
          await c.query("SELECT pg_cancel_backend($1)", [pid]);
        } finally {
          await c.end().catch(() => undefined);
        }
      },
    };
    this.direct = executor(pool, this.control);
  }

  /** Connect (checking the server answers) and create the schema when one is named. */
  static async open(options: PostgresDriverOptions): Promise<PostgresDriver> {
    const split = splitSchema(options.connectionString);
    const schema = options.schema ?? split.schema;
    const statementTimeoutMs = options.statementTimeoutMs ?? split.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
    if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
      throw new InvalidInputError(`PostgreSQL schema ${show(schema)} is not valid: expected letters, digits and _`, { path: "schema", received: schema });
    }
    if (schema !== undefined) {
      const setup = new pg.Client({ connectionString: split.connectionString });
      try {
        await setup.connect();
        await setup.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`).catch((e: { code?: string }) => {
          if (e.code !== "23505" && e.code !== "42P06") throw e; // created by a concurrent opener
        });
      } catch (e) {
        throw new IoError(`cannot connect to PostgreSQL at ${redact(split.connectionString)}: ${(e as Error).message}`, { path: "store", cause: e });
      } finally {
        await setup.end().catch(() => undefined);
      }
    }
    const pool = new pg.Pool({
      connectionString: split.connectionString,
      max: options.max ?? 10,
      allowExitOnIdle: true,
      types: numberTypes as never,
      pipeline: true,
      ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs } : {}),
      ...(schema !== undefined ? { options: `-c search_path="${schema}"` } : {}),
    });
    pool.on("error", () => undefined); // an idle client's socket error must not crash the process
    try {
      await pool.query("SELECT 1");
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw new IoError(`cannot connect to PostgreSQL at ${redact(split.connectionString)}: ${(e as Error).message}`, { path: "store", cause: e });
    }
    return new PostgresDriver(pool, schema, statementTimeoutMs, split.connectionString);
  }

  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[], options?: QueryOptions): Promise<T[]> {
    return this.direct.all<T>(sql, params, options);
  }
  get<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[], options?: QueryOptions): Promise<T | undefined> {
    return this.direct.get<T>(sql, params, options);
  }
  rows(sql: string, params?: readonly SqlValue[]): Promise<unknown[][]> {
    return this.direct.rows(sql, params);
  }
  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.direct.run(sql, params);
  }
  insertMany(table: string, names: readonly string[], types: readonly BulkType[], columns: readonly (readonly SqlValue[])[], suffix?: string): Promise<void> {
    return this.direct.insertMany(table, names, types, columns, suffix);
  }

  async connection<T>(fn: (ex: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await fn(executor(client, this.control));
    } finally {
      client.release();
    }
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, _options: TransactionOptions = {}): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      // pipelined: BEGIN goes out with the transaction's first statement
      const begin = client.query("BEGIN");
      try {
        const result = await fn(executor(client, this.control));
        await begin;
        await client.query("COMMIT");
        return result;
      } catch (e) {
        await begin.catch(() => undefined);
        await client.query("ROLLBACK").catch((re: Error) => {
          broken = re;
        });
        throw e;
      }
    } finally {
      client.release(broken);
    }
  }

  inList(column: string, values: readonly (string | number)[], type: "text" | "bigint"): { sql: string; param: SqlValue } {
    return { sql: `${column} = ANY(?::${type === "text" ? "text[]" : "int8[]"})`, param: values as unknown as SqlValue };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
