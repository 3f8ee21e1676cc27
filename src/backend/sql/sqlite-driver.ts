/**
 * better-sqlite3 behind the async `SqlDriver` surface. One connection per store; WAL journal
 * (readers never block the writer, other processes can log at the same time), a busy timeout so
 * concurrent writers wait instead of failing, `synchronous = NORMAL` (a killed process never
 * loses a committed transaction), foreign keys on. Statements are prepared once and cached.
 * Calls are queued while a transaction is open, so an async transaction body never interleaves
 * with other work on the same connection.
 */
import Database from "better-sqlite3";
import { CancelledError, IoError, show } from "../../core/index.js";
import type { BulkType, QueryOptions, SqlDriver, SqlExecutor, SqlValue, TransactionOptions } from "./driver.js";

type Statement = Database.Statement;

export interface SqliteDriverOptions {
  /** How long a writer waits for another process's lock, in ms (default 30,000). */
  busyTimeoutMs?: number;
  readonly?: boolean;
}

/** SQLite statements cannot be interrupted: a read whose caller went away is only not started. */
function notAborted(options: QueryOptions | undefined): void {
  if (options?.signal?.aborted) throw new CancelledError("the query was not started: its caller went away", { path: "query" });
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export class SqliteDriver implements SqlDriver {
  readonly dialect = "sqlite" as const;
  readonly db: Database.Database;
  private readonly cache = new Map<string, Statement>();
  private txActive = false;
  private waiters: (() => void)[] = [];
  private readonly direct: SqlExecutor;

  constructor(readonly file: string, options: SqliteDriverOptions = {}) {
    const timeout = options.busyTimeoutMs ?? 30_000;
    try {
      this.db = new Database(file, { timeout, readonly: options.readonly ?? false });
    } catch (e) {
      throw new IoError(`cannot open SQLite store ${show(file)}: ${(e as Error).message}`, { path: file, cause: e });
    }
    if (file !== ":memory:" && !options.readonly) {
      // switching a fresh file to WAL needs a moment alone with it: retry while others hold it
      const deadline = Date.now() + timeout;
      for (;;) {
        try {
          this.db.pragma("journal_mode = WAL");
          break;
        } catch (e) {
          if ((e as { code?: string }).code !== "SQLITE_BUSY" || Date.now() > deadline) throw e;
          sleepSync(5 + Math.floor(Math.random() * 20));
        }
      }
    }
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("foreign_keys = ON");
    this.db.pragma("cache_size = -65536"); // 64 MiB of page cache: searches over 100k runs stay in memory
    // sampled statistics keep ANALYZE to milliseconds; the planner needs them to pick index order
    this.db.pragma("analysis_limit = 1000");
    if (!options.readonly) this.optimize();
    const self = this;
    this.direct = {
      dialect: "sqlite",
      all: async (sql, params) => self.allNow(sql, params) as never,
      get: async (sql, params) => self.allNow(sql, params)[0] as never,
      rows: async (sql, params) => self.rowsNow(sql, params),
      run: async (sql, params) => self.runNow(sql, params),
      insertMany: async (table, names, types, columns, suffix) => self.insertManyNow(table, names, types, columns, suffix),
    };
  }

  private stmt(sql: string): Statement {
    let s = this.cache.get(sql);
    if (!s) {
      if (this.cache.size > 2000) this.cache.clear();
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }

  private allNow(sql: string, params: readonly SqlValue[] = []): Record<string, unknown>[] {
    return this.stmt(sql).all(params as unknown[]) as Record<string, unknown>[];
  }

  private rowsNow(sql: string, params: readonly SqlValue[] = []): unknown[][] {
    let s = this.cache.get("\u0000raw" + sql);
    if (!s) {
      s = this.db.prepare(sql).raw(true);
      this.cache.set("\u0000raw" + sql, s);
    }
    return s.all(params as unknown[]) as unknown[][];
  }

  private runNow(sql: string, params: readonly SqlValue[] = []): number {
    return this.stmt(sql).run(params as unknown[]).changes;
  }

  private insertManyNow(table: string, names: readonly string[], _types: readonly BulkType[], columns: readonly (readonly SqlValue[])[], suffix = ""): void {
    if (columns.length === 0 || columns[0].length === 0) return;
    const s = this.stmt(`INSERT INTO ${table} (${names.join(", ")}) VALUES (${names.map(() => "?").join(", ")}) ${suffix}`);
    const n = columns[0].length;
    const k = columns.length;
    const args = new Array<SqlValue>(k);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < k; j++) args[j] = columns[j][i];
      s.run(args);
    }
  }

  private wait(): Promise<void> {
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  async all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[], options?: QueryOptions): Promise<T[]> {
    // re-checked after every wake-up, in the same microtask as the statement
    while (this.txActive) await this.wait();
    notAborted(options);
    return this.allNow(sql, params) as T[];
  }

  async get<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[], options?: QueryOptions): Promise<T | undefined> {
    // re-checked after every wake-up, in the same microtask as the statement
    while (this.txActive) await this.wait();
    notAborted(options);
    return this.allNow(sql, params)[0] as T | undefined;
  }

  async rows(sql: string, params?: readonly SqlValue[]): Promise<unknown[][]> {
    // re-checked after every wake-up, in the same microtask as the statement
    while (this.txActive) await this.wait();
    return this.rowsNow(sql, params);
  }

  async run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    // re-checked after every wake-up, in the same microtask as the statement
    while (this.txActive) await this.wait();
    return this.runNow(sql, params);
  }

  async insertMany(table: string, names: readonly string[], types: readonly BulkType[], columns: readonly (readonly SqlValue[])[], suffix?: string): Promise<void> {
    await this.transaction((tx) => tx.insertMany(table, names, types, columns, suffix));
  }

  connection<T>(fn: (ex: SqlExecutor) => Promise<T>): Promise<T> {
    return fn(this);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    // the check and the claim happen in one microtask, so two waiters never both start
    while (this.txActive) await this.wait();
    this.txActive = true;
    try {
      this.db.exec(options.exclusive ? "BEGIN EXCLUSIVE" : "BEGIN IMMEDIATE");
      let result: T;
      try {
        result = await fn(this.direct);
      } catch (e) {
        if (this.db.inTransaction) this.db.exec("ROLLBACK");
        throw e;
      }
      this.db.exec("COMMIT");
      return result;
    } finally {
      this.txActive = false;
      const w = this.waiters;
      this.waiters = [];
      for (const wake of w) wake();
    }
  }

  private lastOptimize = 0;

  optimize(): void {
    const t = Date.now();
    if (this.txActive || t - this.lastOptimize < 60_000) return;
    this.lastOptimize = t;
    try {
      this.db.pragma("optimize = 0x10002");
    } catch {
      // busy with another process's write: try again later
    }
  }

  inList(column: string, values: readonly (string | number)[]): { sql: string; param: SqlValue } {
    return { sql: `${column} IN (SELECT value FROM json_each(?))`, param: JSON.stringify(values) };
  }

  async close(): Promise<void> {
    while (this.txActive) await this.wait();
    this.cache.clear();
    if (this.db.open) {
      try {
        this.db.pragma("optimize");
      } catch {
        // statistics are an optimisation only
      }
      this.db.close();
    }
  }
}
