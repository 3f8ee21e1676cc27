/**
 * PostgreSQL statements are bounded: a server-side statement timeout on every query (default
 * 30 s, `?statement_timeout=` in ms), and a read whose caller went away (an AbortSignal — the
 * HTTP client of `runs/search` disconnecting) is cancelled on the server, not left running.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBackend, SqlBackend } from "../../src/backend/index.js";
import { buildApp, openTokenStore } from "../../src/server/index.js";
import { openStore } from "../../src/track/index.js";
import { PG_URL, dropPgSchema, pgSchemaName, pgUri, warnIfNoPostgres } from "../conformance/store/backends.js";

warnIfNoPostgres();

/** Statements of this schema's test that are running now, as PostgreSQL sees them. */
async function running(marker: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    const rows = (await c.query("SELECT query FROM pg_stat_activity WHERE state <> 'idle' AND query LIKE $1 AND pid <> pg_backend_pid()", [`%${marker}%`])).rows;
    return rows.map((r) => r.query as string);
  } finally {
    await c.end();
  }
}

async function until(what: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await what()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return what();
}

/**
 * A `keel server` over a fresh PostgreSQL store holding one run, and another session holding its
 * runs table locked: a search then waits on the lock, a genuinely slow query. `waiting()` says
 * whether a statement waits for that lock now; `close()` ends the lock session, server and store.
 */
async function serverWithLockedRuns(uri: string) {
  const backend = await openBackend(uri, { artifactRoot: "/tmp/keel-unused" });
  const store = await openStore(backend);
  const app = await buildApp({ store, tokens: await openTokenStore(backend) });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const schema = new URL(uri).searchParams.get("schema")!;
  const locker = new pg.Client({ connectionString: PG_URL });
  await locker.connect();
  await store.createRun({ runName: "r" });
  await locker.query("BEGIN");
  await locker.query(`LOCK TABLE "${schema}".runs IN ACCESS EXCLUSIVE MODE`);
  const waiting = async () => Number((await locker.query(`SELECT COUNT(*) AS n FROM pg_locks WHERE relation = '"${schema}".runs'::regclass AND NOT granted`)).rows[0].n) === 1;
  const close = async () => {
    await locker.end();
    await app.close();
    await backend.close();
  };
  return { url, locker, waiting, close };
}

describe.skipIf(!PG_URL)("PostgreSQL statement bounds", () => {
  const schemas: string[] = [];
  const fresh = (query = "") => {
    const schema = pgSchemaName();
    schemas.push(schema);
    return pgUri(schema) + query;
  };
  afterAll(async () => {
    for (const s of schemas) await dropPgSchema(s);
  });

  it("sets a 30 s statement timeout by default and takes ?statement_timeout= in ms", async () => {
    const b = (await openBackend(fresh(), { artifactRoot: "/tmp/keel-unused" })) as SqlBackend;
    try {
      expect(await b.sql.get("SHOW statement_timeout")).toEqual({ statement_timeout: "30s" });
    } finally {
      await b.close();
    }
    const short = (await openBackend(fresh("&statement_timeout=300"), { artifactRoot: "/tmp/keel-unused" })) as SqlBackend;
    try {
      expect(await short.sql.get("SHOW statement_timeout")).toEqual({ statement_timeout: "300ms" });
      const t0 = Date.now();
      const e = await short.sql.get("SELECT pg_sleep(5)").catch((x: unknown) => x);
      expect(Date.now() - t0).toBeLessThan(4000);
      expect(e).toMatchObject({ code: "CANCELLED", path: "statement_timeout" });
      expect((e as Error).message).toMatch(/longer than the store's statement timeout \(300 ms\)/);
      expect(await short.sql.get("SELECT 1 AS one")).toEqual({ one: 1 }); // the pool still works
    } finally {
      await short.close();
    }
    const none = (await openBackend(fresh("&statement_timeout=0"), { artifactRoot: "/tmp/keel-unused" })) as SqlBackend;
    try {
      expect(await none.sql.get("SHOW statement_timeout")).toEqual({ statement_timeout: "0" });
    } finally {
      await none.close();
    }
    for (const bad of ["abc", "-1", "1.5", "99999999999"]) {
      await expect(openBackend(fresh(`&statement_timeout=${bad}`), { artifactRoot: "/tmp/keel-unused" }), bad).rejects.toMatchObject({ code: "INVALID_INPUT", path: "statement_timeout" });
    }
  });

  it("cancels a read on the server when its signal fires", async () => {
    const b = (await openBackend(fresh(), { artifactRoot: "/tmp/keel-unused", poolSize: 2 })) as SqlBackend;
    try {
      const marker = `keel_cancel_${Date.now()}`;
      const controller = new AbortController();
      const t0 = Date.now();
      const p = b.sql.all(`SELECT pg_sleep(20) AS ${marker}`, [], { signal: controller.signal });
      expect(await until(async () => (await running(marker)).length === 1, 5000)).toBe(true);
      controller.abort();
      const e = await p.catch((x: unknown) => x);
      expect(e).toMatchObject({ code: "CANCELLED" });
      expect((e as Error).message).toMatch(/caller went away/);
      expect(Date.now() - t0).toBeLessThan(10_000);
      expect(await running(marker)).toEqual([]);
      // the pool keeps serving, and an already-aborted signal never starts a statement
      expect(await b.sql.get("SELECT 2 AS two")).toEqual({ two: 2 });
      await expect(b.sql.all(`SELECT 1 AS ${marker}`, [], { signal: controller.signal })).rejects.toMatchObject({ code: "CANCELLED" });
    } finally {
      await b.close();
    }
  });

  it("cancels a runs/search whose HTTP client went away", async () => {
    const { url, locker, waiting, close } = await serverWithLockedRuns(fresh());
    try {
      const controller = new AbortController();
      const req = fetch(`${url}/api/2.0/mlflow/runs/search`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ filter: "tags.owner IS NULL" }),
        signal: controller.signal,
      }).catch((x: Error) => x);
      expect(await until(waiting, 5000)).toBe(true);
      controller.abort();
      expect(await req).toBeInstanceOf(Error);
      // cancelled on the server while the lock is still held
      expect(await until(async () => !(await waiting()), 5000)).toBe(true);
      await locker.query("ROLLBACK");
      // the server keeps answering
      const ok = await fetch(`${url}/api/2.0/mlflow/runs/search`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { runs: unknown[] }).runs).toHaveLength(1);
    } finally {
      await close();
    }
  });

  it("passes a search's signal through Keel's HTTP client: the server sees its client go away and cancels the query", async () => {
    const { url, locker, waiting, close } = await serverWithLockedRuns(fresh());
    const remote = await openStore(url);
    try {
      const controller = new AbortController();
      const search = remote.searchRuns({ filter: "tags.owner IS NULL", signal: controller.signal }).catch((x: unknown) => x);
      expect(await until(waiting, 5000)).toBe(true);
      controller.abort();
      const e = await search;
      expect(e).toMatchObject({ code: "CANCELLED" });
      expect((e as Error).message).toMatch(/caller went away/);
      expect(await until(async () => !(await waiting()), 5000)).toBe(true);
      await locker.query("ROLLBACK");
      // an aborted signal sends nothing; the client keeps working
      await expect(remote.searchRuns({ signal: controller.signal })).rejects.toMatchObject({ code: "CANCELLED" });
      expect((await remote.searchRuns({})).items).toHaveLength(1);
    } finally {
      await remote.close();
      await close();
    }
  });
});
