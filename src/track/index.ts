/**
 * Experiment tracking: the `TrackingStore` contract, its implementations over a SQL backend
 * (`SqlTrackingStore`) and a `keel server` (`RemoteStore`), opened with `openStore`; the
 * library API (`startRun`, `withRun`) with autologging; garbage collection of deleted runs. The
 * tracking entities (runs, experiments, metrics, ...) are defined with their wire format in
 * `wire/` and re-exported here.
 */
export type { RunStatus, LifecycleStage, ViewType, ExperimentTag, Experiment, RunInfo, Metric, Param, RunTag, RunData, Dataset, InputTag, DatasetInput, RunInputs, Run, Page } from "../wire/index.js";
export { RUN_STATUSES } from "../wire/index.js";
export * from "./store.js";
export { TAG } from "./system-tags.js";
export { parseFilter, parseOrderBy, SEARCH_LIMITS, type Clause, type Comparator, type Entity, type OrderTerm } from "./search/filter.js";
export { encodePageToken, decodePageToken } from "./search/page-token.js";
export { lttbIndices } from "./downsample.js";
export { SqlTrackingStore } from "./sql/tracking-store.js";
export { RemoteStore, REMOTE_LOG_METRICS_CHUNK } from "./remote-store.js";
export { compare as compareClause, likeToGlob, and as andFragments, clauseName, type Fragment } from "./sql/clauses.js";
export { openStore } from "./open-store.js";
export { gcDeletedRuns, reapStaleRuns, STALE_TEMP_MS, type GcOptions, type GcResult } from "./gc.js";
export { environmentTags, gitInfo, keelVersion, packageVersions, type GitInfo } from "./environment.js";
export { frameDigest, datasetFromFrame, type FrameDatasetOptions } from "./dataset.js";
export { startRun, withRun, activeRun, closeTrackingStores, paramString, ActiveRun, type StartRunOptions } from "./run.js";
export { autologObserver, lossKey, type AutologOptions, type AutologSink } from "./autolog.js";
export { randomRunName } from "./run-names.js";
export { checkMaxResults, checkKey } from "./validation.js";
