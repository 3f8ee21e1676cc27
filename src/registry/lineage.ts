/**
 * Lineage of a model version: the run that produced it (with its hypothesis, params and final
 * metrics), the datasets the run used (name, content hash, rows, context) and the code it ran
 * (git commit and whether the tree was dirty, Node and package versions).
 */
import { TAG, type TrackingStore } from "../track/index.js";
import type { Lineage } from "../wire/index.js";
import type { RegistryStore } from "./store.js";

/**
 * Trace `name`/`version` back to its run, data and code.
 * @example
 * ```ts
 * const lineage = await getLineage(await openRegistry(), await openStore(), "credit", "3");
 * ```
 */
export async function getLineage(registry: RegistryStore, tracking: TrackingStore, name: string, version: string): Promise<Lineage> {
  const modelVersion = await registry.getModelVersion(name, version);
  const empty: Lineage = {
    modelVersion,
    run: null,
    params: [],
    metrics: [],
    datasets: [],
    code: { gitCommit: null, gitDirty: null, gitBranch: null, nodeVersion: null, keelVersion: null, packages: null },
  };
  if (!modelVersion.runId) return empty;
  let run;
  try {
    run = await tracking.getRun(modelVersion.runId);
  } catch (e) {
    if ((e as { code?: string }).code === "NOT_FOUND") return empty;
    throw e;
  }
  const tags = new Map(run.data.tags.map((t) => [t.key, t.value]));
  let packages: Record<string, string> | null = null;
  try {
    packages = tags.has(TAG.packages) ? (JSON.parse(tags.get(TAG.packages)!) as Record<string, string>) : null;
  } catch {
    packages = null;
  }
  const dirty = tags.get(TAG.gitDirty);
  return {
    modelVersion,
    run: run.info,
    params: run.data.params,
    metrics: run.data.metrics,
    datasets: run.inputs.datasetInputs.map((d) => ({
      name: d.dataset.name,
      digest: d.dataset.digest,
      rows: d.dataset.rows ?? null,
      context: d.tags.find((t) => t.key === TAG.datasetContext)?.value ?? null,
      sourceType: d.dataset.sourceType,
      source: d.dataset.source,
    })),
    code: {
      gitCommit: tags.get(TAG.gitCommit) ?? null,
      gitDirty: dirty === undefined ? null : dirty === "true",
      gitBranch: tags.get(TAG.gitBranch) ?? null,
      nodeVersion: tags.get(TAG.nodeVersion) ?? null,
      keelVersion: tags.get(TAG.keelVersion) ?? null,
      packages,
    },
  };
}
