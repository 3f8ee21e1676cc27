/**
 * A backend: what a store URI opens, once, for every store family to share — a SQL database
 * (one driver: a SQLite connection or a PostgreSQL pool, and the one migration runner) or a
 * remote `keel server` (one HTTP client), each with the artifact store that goes with it.
 */
import type { JsonObject } from "../wire/index.js";
import type { ArtifactStore } from "./artifacts/artifact-store.js";
import { LocalArtifactStore } from "./artifacts/local.js";
import { RemoteArtifactStore } from "./artifacts/remote.js";
import type { HttpClient } from "./http/http-client.js";
import type { Dialect, SqlDriver } from "./sql/driver.js";
import { migrate, type Migration } from "./sql/migrate.js";

/**
 * An embedded SQLite file or a PostgreSQL database (schema).
 * @example
 * ```ts
 * const backend = await openBackend("sqlite:////tmp/keel.db");
 * if (backend instanceof SqlBackend) await backend.migrate("my-family", migrations);
 * ```
 */
export class SqlBackend {
  /** Local artifacts under `artifactRoot`. */
  readonly artifacts: ArtifactStore;
  private closing?: Promise<void>;

  /**
   * @param sql The one driver every store over this backend uses.
   * @param uri The URI (password redacted), for messages and `store.uri`.
   * @param artifactRoot `file://` URI under which new experiments keep their artifacts.
   */
  constructor(
    readonly sql: SqlDriver,
    readonly uri: string,
    readonly artifactRoot: string,
  ) {
    this.artifacts = new LocalArtifactStore(artifactRoot);
  }

  get kind(): Dialect {
    return this.sql.dialect;
  }

  /**
   * Bring a store family's tables up to date: each family calls this with its component name and
   * ordered migrations when it opens (see `sql/migrate.ts`). Returns the versions applied.
   */
  migrate(component: string, migrations: readonly Migration[]): Promise<number[]> {
    return migrate(this.sql, component, migrations);
  }

  /** Close the connection (idempotent); stores opened over it are unusable afterwards. */
  close(): Promise<void> {
    return (this.closing ??= this.sql.close());
  }
}

/**
 * A remote `keel server`, reached over HTTP(S).
 * @example
 * ```ts
 * const backend = await openBackend("http://127.0.0.1:5000");
 * if (backend instanceof HttpBackend) console.log(backend.serverInfo);
 * ```
 */
export class HttpBackend {
  readonly kind = "http" as const;
  /** The server's base URL. */
  readonly uri: string;
  /** The server's URL: runs' artifacts go through its artifact proxy (`artifacts`). */
  readonly artifactRoot: string;
  readonly artifacts: ArtifactStore;

  /**
   * @param http The client every store over this backend uses (base URL, bearer token, errors).
   * @param serverInfo What the server said about itself when the backend opened.
   */
  constructor(
    readonly http: HttpClient,
    readonly serverInfo: JsonObject,
  ) {
    this.uri = http.baseUrl;
    this.artifactRoot = http.baseUrl;
    this.artifacts = new RemoteArtifactStore(http, { serverArtifactRoot: typeof serverInfo.artifact_root === "string" ? serverInfo.artifact_root : undefined });
  }

  /** Nothing to release (requests are independent). */
  async close(): Promise<void> {}
}

/** What `openBackend` gives: every store family opens over one of these. */
export type Backend = SqlBackend | HttpBackend;

/**
 * True when `v` is an open `Backend` (SQL or HTTP) rather than a URI.
 * @example
 * ```ts
 * const target: string | Backend = await openBackend();
 * isBackend(target); // true
 * ```
 */
export function isBackend(v: unknown): v is Backend {
  return v instanceof SqlBackend || v instanceof HttpBackend;
}
