/**
 * The backend layer: a store URI parsed once and opened once (`openBackend`), giving the SQL
 * driver (SQLite or PostgreSQL: one connection or pool, one migration runner) or the HTTP client
 * of a remote `keel server`, plus the artifact store. Every store family — tracking, registry,
 * tokens, and those to come — opens over a `Backend`. The default store (`KEEL_STORE`,
 * `MLFLOW_TRACKING_URI`, `KEEL_HOME`) is decided here and nowhere else.
 */
export { SqlBackend, HttpBackend, isBackend, type Backend } from "./backend.js";
export { openBackend, openOver, artifactRootUri, type OpenBackendOptions } from "./open-backend.js";
export { defaultStoreUri, resolveStoreUri, keelHome, findProjectDir, type DefaultStoreOptions } from "./default-store.js";
export { parseStoreUri, sqlitePath, type StoreLocation } from "./store-uri.js";
export type { SqlDriver, SqlExecutor, SqlValue, Dialect, BulkType, TransactionOptions } from "./sql/driver.js";
export { isUniqueViolation } from "./sql/driver.js";
export { DDL, type Migration, type DdlTypes } from "./sql/migrate.js";
export { HttpClient, type HttpClientOptions, type HttpMethod } from "./http/http-client.js";
export type { ArtifactEntry, ArtifactStore } from "./artifacts/artifact-store.js";
export { LocalArtifactStore, type LocalArtifactStoreOptions } from "./artifacts/local.js";
export { RemoteArtifactStore } from "./artifacts/remote.js";
export { artifactSegments } from "./artifacts/safe-path.js";
