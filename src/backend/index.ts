/**
 * The backend layer: a store URI parsed once and opened once (`openBackend`), giving the SQL
 * driver (SQLite or PostgreSQL: one connection or pool, one migration runner) or the HTTP client
 * of a remote `keel server`, plus the artifact store. Every store family — tracking, registry,
 * tokens, and those to come — opens over a `Backend`. The default store (`KEEL_STORE`,
 * `MLFLOW_TRACKING_URI`, `KEEL_HOME`) is decided here and nowhere else.
 *
 * Adding a store family (tuning studies, the prediction log, monitoring results, ...):
 * 1. its contract in its own module: `interface StudyStore { readonly backend: Backend; ...; close(): Promise<void> }`;
 * 2. the SQL implementation: `static async open(backend: SqlBackend)` calls
 *    `backend.migrate("studies", STUDY_MIGRATIONS)` (ordered `Migration`s, DDL written once with
 *    `DDL` types), then writes SQL once, with `?` placeholders, through `backend.sql`;
 * 3. the HTTP implementation over `HttpBackend` (`backend.http.call(...)`), its entities and JSON
 *    codec in `wire/`, its routes in `server/` encoding with the same codec;
 * 4. one opener, `openStudyStore(target?: string | Backend, options)`, which is
 *    `openOver(target, options, async (b) => (b.kind === "http" ? new RemoteStudyStore(b) : SqlStudyStore.open(b)))`;
 * 5. one suite, `test/conformance/store/studies.test.ts`, iterating the backends of
 *    `test/conformance/store/backends.ts` — SQLite, PostgreSQL and HTTP alike.
 */
export { SqlBackend, HttpBackend, isBackend, type Backend } from "./backend.js";
export { openBackend, openOver, artifactRootUri, type OpenBackendOptions } from "./open-backend.js";
export { defaultStoreUri, resolveStoreUri, keelHome, findProjectDir, type DefaultStoreOptions } from "./default-store.js";
export { parseStoreUri, sqlitePath, type StoreLocation } from "./store-uri.js";
export type { SqlDriver, SqlExecutor, SqlValue, Dialect, BulkType, TransactionOptions, QueryOptions } from "./sql/driver.js";
export { isUniqueViolation } from "./sql/driver.js";
export { postgresConnection, type PostgresConnection } from "./postgres-connection.js";
export { DDL, type Migration, type DdlTypes } from "./sql/migrate.js";
export { HttpClient, type HttpClientOptions, type HttpMethod } from "./http/http-client.js";
export { ConnectionDrain } from "./http/connection-drain.js";
export type { ArtifactEntry, ArtifactStore } from "./artifacts/artifact-store.js";
export { LocalArtifactStore, type LocalArtifactStoreOptions } from "./artifacts/local.js";
export { RemoteArtifactStore } from "./artifacts/remote.js";
export { artifactSegments } from "./artifacts/safe-path.js";
