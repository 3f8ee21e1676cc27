/**
 * `openBackend(uri)`: the one place a store URI becomes a connection (DESIGN: the idea of
 * MLflow's store registry and Optuna's storages). Store families open over the result:
 * `openStore(backend)`, `openRegistry(backend)`, `openTokenStore(backend)`, and `openOver` gives
 * each family its by-URI form.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { type Backend, HttpBackend, isBackend, SqlBackend } from "./backend.js";
import { type DefaultStoreOptions, keelHome, resolveStoreUri } from "./default-store.js";
import { HttpClient } from "./http/http-client.js";
import { SqliteDriver } from "./sql/sqlite-driver.js";
import { parseStoreUri } from "./store-uri.js";

/** Options of `openBackend` and of every store opener. */
export interface OpenBackendOptions extends DefaultStoreOptions {
  /**
   * Artifact root for new experiments, a path or URI (SQL backends). Default: `artifacts/` beside
   * the SQLite file; for PostgreSQL, `artifacts/` in Keel's local folder (`keelHome()`).
   */
  artifactRoot?: string;
  /** Bearer token for a `keel server` (default `$KEEL_TOKEN`). */
  token?: string;
  /** PostgreSQL connection pool size (default 10). */
  poolSize?: number;
}

/**
 * A plain path becomes a `file://` URI (absolute); URIs pass through.
 * @example
 * ```ts
 * artifactRootUri("artifacts"); // "file:///<cwd>/artifacts"
 * artifactRootUri("s3://bucket/keel"); // unchanged
 * ```
 */
export function artifactRootUri(root: string): string {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(root) && !/^[a-zA-Z]:[\\/]/.test(root)) return root.replace(/\/+$/, "");
  return pathToFileURL(path.resolve(root)).href.replace(/\/+$/, "");
}

/** SQLite: create the file and its folder when missing. `:memory:` is a private in-memory database. */
function openSqlite(file: string, options: OpenBackendOptions): SqlBackend {
  const memory = file === ":memory:";
  const abs = memory ? file : path.resolve(file);
  if (!memory) mkdirSync(path.dirname(abs), { recursive: true });
  const root = options.artifactRoot ?? (memory ? path.resolve(".keel", "artifacts") : path.join(path.dirname(abs), "artifacts"));
  return new SqlBackend(new SqliteDriver(abs), memory ? "sqlite::memory:" : `sqlite:${abs}`, artifactRootUri(root));
}

async function openPostgres(uri: string, options: OpenBackendOptions): Promise<SqlBackend> {
  // loaded only for PostgreSQL: importing pg costs ~100-200 ms (on Node 20 it loads undici), which every CLI start would pay
  const { PostgresDriver, redact } = await import("./sql/postgres-driver.js");
  const driver = await PostgresDriver.open({ connectionString: uri, max: options.poolSize });
  return new SqlBackend(driver, redact(uri), artifactRootUri(options.artifactRoot ?? path.join(keelHome(options), "artifacts")));
}

/** Connect to a `keel server`: checks it answers (and accepts the token) before returning. */
async function openHttp(url: string, options: OpenBackendOptions): Promise<HttpBackend> {
  const http = new HttpClient(url, { token: options.token });
  return new HttpBackend(http, await http.call("GET", "/api/2.0/keel/server-info"));
}

/**
 * Open the backend a store URI names (default: `defaultStoreUri()`). The caller closes it;
 * stores opened over it share its connection and leave it open.
 *
 * @example
 * const backend = await openBackend("postgres://keel@db/keel?schema=ml");
 * const store = await openStore(backend);
 * const registry = await openRegistry(backend);
 * // ...
 * await backend.close();
 */
export async function openBackend(uri?: string, options: OpenBackendOptions = {}): Promise<Backend> {
  const where = parseStoreUri(resolveStoreUri(uri, options));
  if (where.kind === "sqlite") return openSqlite(where.file, options);
  if (where.kind === "postgres") return openPostgres(where.uri, options);
  return openHttp(where.url, options);
}

/**
 * Open a store over `target` with the family's `open`. A `Backend` stays the caller's: the store
 * shares it. A URI (or nothing: the default store) gets a backend of its own, which closing the
 * store closes. Each family's `open<Family>(target?)` is this plus its own constructor.
 * @example
 * ```ts
 * const store = await openOver("sqlite:////tmp/keel.db", {}, async (backend) => ({ backend, close: async () => {} }));
 * ```
 */
export async function openOver<S extends { close(): Promise<void> }>(target: string | Backend | undefined, options: OpenBackendOptions, open: (backend: Backend) => Promise<S>): Promise<S> {
  if (isBackend(target)) return open(target);
  const backend = await openBackend(target, options);
  let store: S;
  try {
    store = await open(backend);
  } catch (e) {
    await backend.close();
    throw e;
  }
  const closeStore = store.close.bind(store);
  store.close = async () => {
    try {
      await closeStore();
    } finally {
      await backend.close();
    }
  };
  return store;
}
