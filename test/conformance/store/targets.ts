/**
 * The stores the shared suite runs against. SQLite always (a fresh file per store); PostgreSQL
 * when KEEL_TEST_POSTGRES holds a URL (a fresh schema per store, dropped on cleanup, so test
 * files running in parallel never collide). A new store implementation is added here, not given
 * test files of its own for the same things.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { PostgresStore, SqliteStore, type SqlTrackingStore } from "../../../src/track/index.js";

export const PG_URL = process.env.KEEL_TEST_POSTGRES;

let warned = false;
/** Say once per file, visibly, that the PostgreSQL cases are skipped. */
export function warnIfNoPostgres(): void {
  if (!PG_URL && !warned) {
    warned = true;
    console.warn("KEEL_TEST_POSTGRES is not set: the PostgreSQL store cases are SKIPPED (set it to e.g. postgres://postgres@127.0.0.1:5432/test to run them)");
  }
}

export interface OpenedStore {
  store: SqlTrackingStore;
  /** A URI other processes can open the same store with. */
  uri: string;
  /** Folder for artifacts and scratch files, removed on cleanup. */
  dir: string;
  /** Run SQL straight on the database, outside Keel (for tamper tests). */
  rawSql(sql: string): Promise<void>;
  cleanup(): Promise<void>;
}

export interface StoreTarget {
  name: "sqlite" | "postgres";
  available: boolean;
  /** A fresh, empty, migrated store. */
  open(): Promise<OpenedStore>;
  /** A URI for a fresh store that nothing has opened yet (for multi-process tests), and its cleanup. */
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

export async function dropPgSchema(schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await c.end();
  }
}

export async function pgRaw(schema: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export const sqliteTarget: StoreTarget = {
  name: "sqlite",
  available: true,
  async open() {
    const dir = tempDir();
    const file = path.join(dir, "keel.db");
    const store = await SqliteStore.open(file, { artifactRoot: path.join(dir, "artifacts") });
    return {
      store,
      uri: file,
      dir,
      async rawSql(sql: string) {
        const Database = (await import("better-sqlite3")).default;
        const db = new Database(file);
        try {
          db.exec(sql);
        } finally {
          db.close();
        }
      },
      async cleanup() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  freshUri() {
    const dir = tempDir();
    return { uri: path.join(dir, "keel.db"), dir, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

export const postgresTarget: StoreTarget = {
  name: "postgres",
  available: PG_URL !== undefined && PG_URL !== "",
  async open() {
    const dir = tempDir();
    const schema = pgSchemaName();
    const store = await PostgresStore.open(pgUri(schema), { artifactRoot: path.join(dir, "artifacts"), dropSchemaOnClose: true, max: 4 });
    return {
      store,
      uri: pgUri(schema),
      dir,
      rawSql: (sql: string) => pgRaw(schema, sql),
      async cleanup() {
        await store.close();
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

export const targets: StoreTarget[] = [sqliteTarget, postgresTarget];
