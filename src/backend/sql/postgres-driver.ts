/**
 * node-postgres (`pg`) behind the async `SqlDriver` surface: a connection pool, transactions on
 * one pooled client, `?` placeholders numbered as `$n`, BIGINT read back as numbers, bulk
 * inserts through `unnest` of typed arrays (one round trip for thousands of rows). A `schema`
 * option puts every table in that schema (created when missing) through the connection's
 * `search_path` — tests use one schema per file.
 */
import pg from "pg";
import { InvalidInputError, IoError, show } from "../../core/errors.js";
import type { BulkType, SqlDriver, SqlExecutor, SqlValue, TransactionOptions } from "./driver.js";

export interface PostgresDriverOptions {
  /** `postgres://user:pass@host:port/db` (a `schema` query parameter is taken out and used as `schema`). */
  connectionString: string;
  /** Schema for every table (default: the connection's own, usually `public`). */
  schema?: string;
  /** Pool size (default 10). */
  max?: number;
}

const PG_ARRAY: Record<BulkType, string> = { text: "text[]", bigint: "int8[]", double: "float8[]", int: "int4[]" };

const numberTypes = {
  getTypeParser(oid: number, format?: string): (value: string) => unknown {
    // int8 (20) and numeric (1700) as JS numbers: ids, times and counts stay below 2^53
    if (oid === 20 || oid === 1700) return (v: string) => (v === null ? null : Number(v));
    return (pg.types.getTypeParser as (oid: number, format?: string) => (value: string) => unknown)(oid, format);
  },
};

/** Split `?schema=` out of a URL; returns the cleaned connection string and the schema. */
export function splitSchema(uri: string): { connectionString: string; schema?: string } {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new InvalidInputError(`store URI ${show(redact(uri))} is not a valid PostgreSQL URL`, { path: "store", expected: "postgres://user@host:5432/database" });
  }
  const schema = url.searchParams.get("schema") ?? undefined;
  url.searchParams.delete("schema");
  return { connectionString: url.toString(), schema };
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

function executor(q: pg.Pool | pg.PoolClient): SqlExecutor {
  const query = async (sql: string, params?: readonly SqlValue[]) => q.query(numberPlaceholders(sql), bindable(params));
  return {
    dialect: "postgres",
    all: async <T>(sql: string, params?: readonly SqlValue[]) => (await query(sql, params)).rows as T[],
    get: async <T>(sql: string, params?: readonly SqlValue[]) => (await query(sql, params)).rows[0] as T | undefined,
    rows: async (sql, params) => (await q.query({ text: numberPlaceholders(sql), values: bindable(params), rowMode: "array" })).rows as unknown[][],
    run: async (sql, params) => (await query(sql, params)).rowCount ?? 0,
    insertMany: async (table, names, types, columns, suffix = "") => {
      if (columns.length === 0 || columns[0].length === 0) return;
      const casts = types.map((t) => `?::${PG_ARRAY[t]}`).join(", ");
      await query(`INSERT INTO ${table} (${names.join(", ")}) SELECT * FROM unnest(${casts}) ${suffix}`, columns as unknown as SqlValue[]);
    },
  };
}

export class PostgresDriver implements SqlDriver {
  readonly dialect = "postgres" as const;
  readonly pool: pg.Pool;
  readonly schema?: string;
  private readonly direct: SqlExecutor;

  private constructor(pool: pg.Pool, schema: string | undefined) {
    this.pool = pool;
    this.schema = schema;
    this.direct = executor(pool);
  }

  /** Connect (checking the server answers) and create the schema when one is named. */
  static async open(options: PostgresDriverOptions): Promise<PostgresDriver> {
    const split = splitSchema(options.connectionString);
    const schema = options.schema ?? split.schema;
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
      ...(schema !== undefined ? { options: `-c search_path="${schema}"` } : {}),
    });
    pool.on("error", () => undefined); // an idle client's socket error must not crash the process
    try {
      await pool.query("SELECT 1");
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw new IoError(`cannot connect to PostgreSQL at ${redact(split.connectionString)}: ${(e as Error).message}`, { path: "store", cause: e });
    }
    return new PostgresDriver(pool, schema);
  }

  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.direct.all<T>(sql, params);
  }
  get<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.direct.get<T>(sql, params);
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

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, _options: TransactionOptions = {}): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      try {
        const result = await fn(executor(client));
        await client.query("COMMIT");
        return result;
      } catch (e) {
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
