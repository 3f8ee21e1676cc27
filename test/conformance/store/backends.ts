/**
 * The backends every store family's suite runs against: SQLite always (a fresh file each time),
 * PostgreSQL when KEEL_TEST_POSTGRES holds a URL (a fresh schema each time, dropped on cleanup,
 * so test files running in parallel never collide), and HTTP — a real `keel server` on loopback
 * over a fresh SQLite backend. A family's suite opens its store over `o.backend`; a new backend
 * kind is added here, and a new store family gets one suite that iterates this list.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { type Backend, openBackend } from "../../../src/backend/index.js";
import { buildApp, openTokenStore } from "../../../src/server/index.js";
import { openStore } from "../../../src/track/index.js";

export const PG_URL = process.env.KEEL_TEST_POSTGRES;

/** The Keel error code `p` rejects with ("no error" when it resolves) — for compact assertions. */
export async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as { code?: string }).code ?? `non-Keel error: ${(e as Error).message}`;
  }
  return "no error";
}

let warned = false;
/** Say once per file, visibly, that the PostgreSQL cases are skipped. */
export function warnIfNoPostgres(): void {
  if (!PG_URL && !warned) {
    warned = true;
    console.warn("KEEL_TEST_POSTGRES is not set: the PostgreSQL backend cases are SKIPPED (set it to e.g. postgres://postgres@127.0.0.1:5432/test to run them)");
  }
}

export interface OpenedBackend {
  backend: Backend;
  /** A URI other processes can open the same backend with. */
  uri: string;
  /** Folder for artifacts and scratch files, removed on cleanup. */
  dir: string;
  /** Run SQL straight on the database (for HTTP: the server's), outside Keel — for tamper tests. */
  rawSql(sql: string): Promise<void>;
  /** Read rows straight from the database (for HTTP: the server's), outside Keel. */
  rawQuery(sql: string): Promise<Record<string, unknown>[]>;
  /** Names of valid API tokens the target made for itself (the HTTP client's admin token with `auth`). */
  ownTokens: string[];
  cleanup(): Promise<void>;
}

export interface BackendTarget {
  name: "sqlite" | "postgres" | "http";
  available: boolean;
  /**
   * A fresh, empty backend. With `auth`, a `keel server` behind it requires tokens and the
   * client holds an admin one (for the token family); without, the server runs open on loopback.
   */
  open(options?: { auth?: boolean }): Promise<OpenedBackend>;
}

/** A SQL backend target can also name a store nothing has opened yet (for multi-process tests). */
export interface SqlBackendTarget extends BackendTarget {
  name: "sqlite" | "postgres";
  freshUri(): { uri: string; dir: string; cleanup(): Promise<void> };
}

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), "keel-store-test-"));
}

export function pgSchemaName(): string {
  return `keel_test_${randomBytes(6).toString("hex")}`;
}

/** `postgres://...?schema=<name>` for the test server. */
export function pgUri(schema: string): string {
  const u = new URL(PG_URL!);
  u.searchParams.set("schema", schema);
  return u.toString();
}

async function pgClient<T>(schema: string | undefined, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_URL, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export function dropPgSchema(schema: string): Promise<void> {
  return pgClient(undefined, async (c) => void (await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)));
}

function sqliteRaw(file: string) {
  const withDb = <T>(fn: (db: Database.Database) => T): T => {
    const db = new Database(file);
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };
  return {
    rawSql: async (sql: string) => withDb((db) => void db.exec(sql)),
    rawQuery: async (sql: string) => withDb((db) => db.prepare(sql).all() as Record<string, unknown>[]),
  };
}

export const sqliteTarget: SqlBackendTarget = {
  name: "sqlite",
  available: true,
  async open() {
    const dir = tempDir();
    const file = path.join(dir, "keel.db");
    const backend = await openBackend(file, { artifactRoot: path.join(dir, "artifacts") });
    return {
      backend,
      uri: file,
      dir,
      ...sqliteRaw(file),
      ownTokens: [],
      async cleanup() {
        await backend.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  freshUri() {
    const dir = tempDir();
    return { uri: path.join(dir, "keel.db"), dir, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

export const postgresTarget: SqlBackendTarget = {
  name: "postgres",
  available: PG_URL !== undefined && PG_URL !== "",
  async open() {
    const dir = tempDir();
    const schema = pgSchemaName();
    const backend = await openBackend(pgUri(schema), { artifactRoot: path.join(dir, "artifacts"), poolSize: 4 });
    return {
      backend,
      uri: pgUri(schema),
      dir,
      rawSql: (sql: string) => pgClient(schema, async (c) => void (await c.query(sql))),
      rawQuery: (sql: string) => pgClient(schema, async (c) => (await c.query(sql)).rows),
      ownTokens: [],
      async cleanup() {
        await backend.close();
        await dropPgSchema(schema);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  freshUri() {
    const dir = tempDir();
    const schema = pgSchemaName();
    return {
      uri: pgUri(schema),
      dir,
      cleanup: async () => {
        await dropPgSchema(schema);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

/** A real `keel server` on loopback over a fresh SQLite backend; the client backend talks to it over HTTP. */
export const httpTarget: BackendTarget = {
  name: "http",
  available: true,
  async open(options = {}) {
    const dir = tempDir();
    const file = path.join(dir, "keel.db");
    const server = await openBackend(file, { artifactRoot: path.join(dir, "artifacts") });
    const tokens = await openTokenStore(server);
    const admin = options.auth ? (await tokens.create({ role: "admin", name: "conformance-admin" })).token : "";
    const app = await buildApp({ store: await openStore(server), tokens });
    await app.listen({ host: "127.0.0.1", port: 0 });
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const backend = await openBackend(url, { token: admin });
    return {
      backend,
      uri: url,
      dir,
      ...sqliteRaw(file),
      ownTokens: options.auth ? ["conformance-admin"] : [],
      async cleanup() {
        await backend.close();
        await app.close();
        await server.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export const sqlTargets: SqlBackendTarget[] = [sqliteTarget, postgresTarget];
export const targets: BackendTarget[] = [...sqlTargets, httpTarget];
