/**
 * Experiment tracking: the `TrackingStore` contract and its SQLite and PostgreSQL
 * implementations, chosen by URI (`openStore`); local artifacts; the library API (`startRun`,
 * `withRun`) with autologging; garbage collection of deleted runs.
 */
export * from "./types.js";
export * from "./store.js";
export { TAG } from "./system-tags.js";
export { parseFilter, parseOrderBy, type Clause, type Comparator, type Entity, type OrderTerm } from "./search/filter.js";
export { encodePageToken, decodePageToken } from "./search/page-token.js";
export { lttbIndices } from "./downsample.js";
export { SqliteStore, artifactRootUri, type SqliteStoreOptions } from "./sqlite-store.js";
export { PostgresStore, type PostgresStoreOptions } from "./postgres-store.js";
export { SqlTrackingStore } from "./sql/tracking-store.js";
export type { SqlDriver, SqlExecutor, SqlValue, Dialect, BulkType } from "./sql/driver.js";
export { isUniqueViolation } from "./sql/driver.js";
export { migrate, DDL, type Migration, type DdlTypes } from "./sql/migrate.js";
export { compare as compareClause, likeToGlob, and as andFragments, clauseName, type Fragment } from "./sql/clauses.js";
export { openStore, registerStoreScheme, defaultStoreUri, keelHome, findProjectDir, sqlitePath, type OpenStoreOptions, type StoreFactory } from "./open-store.js";
export type { ArtifactEntry, ArtifactStore } from "./artifacts/artifact-store.js";
export { LocalArtifactStore, type LocalArtifactStoreOptions } from "./artifacts/local.js";
export { openArtifactStore, registerArtifactScheme, type ArtifactStoreFactory } from "./artifacts/open-artifacts.js";
export { artifactSegments } from "./artifacts/safe-path.js";
export { gcDeletedRuns, type GcOptions, type GcResult } from "./gc.js";
export { environmentTags, gitInfo, keelVersion, packageVersions, type GitInfo } from "./environment.js";
export { frameDigest, datasetFromFrame, type FrameDatasetOptions } from "./dataset.js";
export { startRun, withRun, activeRun, closeTrackingStores, paramString, ActiveRun, type StartRunOptions } from "./run.js";
export { autologObserver, lossKey, type AutologOptions, type AutologSink } from "./autolog.js";
export { randomRunName } from "./run-names.js";
export { checkMaxResults, checkKey } from "./validation.js";
export { RemoteStore, RemoteArtifactStore, type RemoteStoreOptions } from "./remote/index.js";
