/**
 * A real `keel server` app on loopback for tests: a fresh SQLite backend (or PostgreSQL schema)
 * with the tracking store and the token store over it, `listen({ port: 0 })`, and a `call`
 * helper speaking JSON over fetch.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { FastifyInstance } from "fastify";
import { openBackend } from "../../src/backend/index.js";
import { buildApp, openTokenStore, type AppOptions, type TokenStore } from "../../src/server/index.js";
import { openStore, type TrackingStore } from "../../src/track/index.js";

/** PostgreSQL for tests, from KEEL_TEST_POSTGRES; PostgreSQL cases are skipped (with a message) without it. */
export const PG_URL: string | undefined = process.env.KEEL_TEST_POSTGRES || undefined;

/** Say once per file, visibly, that PostgreSQL cases are skipped. */
export function warnIfNoPostgres(what: string): void {
  if (!PG_URL) console.warn(`KEEL_TEST_POSTGRES is not set: ${what} SKIPPED (set it to e.g. postgres://postgres@127.0.0.1:5432/test to run them)`);
}

export interface Harness {
  app: FastifyInstance;
  store: TrackingStore;
  tokens: TokenStore;
  /** The store URI (a SQLite file or postgres://...?schema=). */
  uri: string;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  dir: string;
  artifactsDir: string;
  /** JSON call: GET puts `body` in the query string. */
  call(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

function query(body: unknown): string {
  if (!body || typeof body !== "object") return "";
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) q.append(k, String(x));
    else q.append(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

export async function startHarness(options: { postgres?: boolean; app?: AppOptions } = {}): Promise<Harness> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "keel-server-test-"));
  const artifactsDir = path.join(dir, "artifacts");
  let uri: string;
  let schema: string | undefined;
  if (options.postgres) {
    schema = `keel_srv_${randomBytes(6).toString("hex")}`;
    const u = new URL(PG_URL!);
    u.searchParams.set("schema", schema);
    uri = u.toString();
  } else {
    uri = path.join(dir, "keel.db");
  }
  const backend = await openBackend(uri, { artifactRoot: artifactsDir });
  const store = await openStore(backend);
  const tokens = await openTokenStore(backend);
  const app = await buildApp({ store, tokens }, options.app);
  await app.listen({ host: "127.0.0.1", port: 0 });
  const addr = app.server.address();
  const url = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
  return {
    app,
    store,
    tokens,
    uri,
    url,
    dir,
    artifactsDir,
    async call(method, p, body, token) {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      let target = url + p;
      let payload: string | undefined;
      if (method === "GET") target += query(body);
      else if (body !== undefined) {
        payload = typeof body === "string" ? body : JSON.stringify(body);
        headers["content-type"] = "application/json";
      }
      const res = await fetch(target, { method, headers, body: payload });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text === "" ? undefined : JSON.parse(text);
      } catch {
        // not JSON: leave the text
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async close() {
      await app.close();
      await backend.close();
      if (schema) {
        const c = new pg.Client({ connectionString: PG_URL! });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await c.end();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const API = "/api/2.0/mlflow";
export const KEEL_API = "/api/2.0/keel";
