/**
 * Garbage collection of deleted runs: their artifacts are removed, then the runs themselves
 * (params, metrics, tags, inputs), so storage shrinks when runs are deleted — a common MLflow
 * complaint is that it never does. Also: runs whose process died (their heartbeat stopped) are
 * marked FAILED, and temporary files of interrupted writes are removed.
 */
import type { ArtifactStore } from "../backend/index.js";
import type { RunInfo } from "../wire/index.js";
import type { TrackingStore } from "./store.js";

/** Temporary files older than this are left over by a dead writer whatever their run: 1 hour. */
export const STALE_TEMP_MS = 3_600_000;

/** Which deleted runs `gcDeletedRuns` purges: deleted at least `olderThanMs` ago, or the ones named. */
export interface GcOptions {
  /** Only runs deleted at least this many milliseconds ago (default: all deleted runs). */
  olderThanMs?: number;
  /** Only these runs (each must be in the deleted state). */
  runIds?: string[];
}

/** The runs purged and those that failed (with the error). */
export interface GcResult {
  /** Runs removed for good. */
  purged: string[];
  /** Runs whose artifacts could not be removed (left in the store, to retry). */
  failed: { runId: string; error: string }[];
}

/**
 * Purge runs in the deleted state: artifacts first (so a failure leaves the run to retry),
 * then the run's rows. Active runs are never touched.
 * @example
 * ```ts
 * const backend = await openBackend();
 * const store = await openStore(backend);
 * const { purged } = await gcDeletedRuns(store, backend.artifacts, { olderThanMs: 30 * 86_400_000 });
 * ```
 */
export async function gcDeletedRuns(store: TrackingStore, artifacts: ArtifactStore, options: GcOptions = {}): Promise<GcResult> {
  const runs = await store.listDeletedRuns({ olderThanMs: options.olderThanMs, runIds: options.runIds });
  const purged: string[] = [];
  const failed: { runId: string; error: string }[] = [];
  for (const run of runs) {
    try {
      await artifacts.deleteAll(run.artifactUri);
    } catch (e) {
      failed.push({ runId: run.runId, error: (e as Error).message });
      continue;
    }
    await store.purgeRun(run.runId);
    purged.push(run.runId);
  }
  return { purged, failed };
}

/**
 * Mark FAILED the runs whose heartbeat stopped (their process died) and remove the temporary
 * files their interrupted writes left in their artifact folders. The next `keel run` and
 * `keel gc` call it; safe to call from many processes at once. Returns the runs marked.
 * @example
 * ```ts
 * const backend = await openBackend();
 * const failed = await reapStaleRuns(await openStore(backend), backend.artifacts);
 * ```
 */
export async function reapStaleRuns(store: TrackingStore, artifacts: ArtifactStore): Promise<RunInfo[]> {
  const runs = await store.failStaleRuns();
  for (const run of runs) await artifacts.removeTemporaryFiles(run.artifactUri).catch(() => 0);
  return runs;
}
