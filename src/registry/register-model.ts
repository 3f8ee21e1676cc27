/**
 * Registering a run's model: checks the run exists (and, given an artifact store, that the
 * model's files are there), creates the registered model when it is new, and adds a version
 * whose source is the run's artifact URI + path and whose run id links it back (lineage).
 */
import { InvalidInputError, NotFoundError, show } from "../core/index.js";
import { artifactSegments, type ArtifactStore } from "../backend/index.js";
import type { TrackingStore } from "../track/index.js";
import type { ActorOptions, RegistryStore } from "./store.js";
import type { ModelVersion } from "../wire/index.js";

/** Options of `registerModel`. */
export interface RegisterModelOptions extends ActorOptions {
  registry: RegistryStore;
  tracking: TrackingStore;
  /** The run that logged the model. */
  runId: string;
  /** Registered model name. */
  name: string;
  /** Where the run stored the model (default "model", as `ActiveRun.logModel`). */
  artifactPath?: string;
  /** When given, the model's files must exist there. */
  artifacts?: ArtifactStore;
  description?: string;
  tags?: Record<string, string>;
}

/**
 * Register the model a run logged (default artifact path `model`) as a new version of `name`, creating the registered model when needed; the version's source points at the run's artifact.
 * @example
 * ```ts
 * const version = await registerModel({ registry: await openRegistry(), tracking: await openStore(), runId: run.info.runId, name: "credit" });
 * ```
 */
export async function registerModel(options: RegisterModelOptions): Promise<ModelVersion> {
  const { registry, tracking, runId, name } = options;
  const artifactPath = artifactSegments(options.artifactPath ?? "model").join("/");
  const run = await tracking.getRun(runId);
  if (run.info.lifecycleStage !== "active") throw new InvalidInputError(`run ${show(runId)} is deleted: restore it before registering its model`, { path: "run_id", received: runId });
  if (options.artifacts) {
    const files = await options.artifacts.list(run.info.artifactUri, artifactPath);
    if (files.length === 0) throw new NotFoundError(`run ${show(runId)} has no model at ${show(artifactPath)}`, { path: "artifact_path", received: artifactPath });
  }
  try {
    await registry.getRegisteredModel(name);
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
    try {
      await registry.createRegisteredModel({ name }, { actor: options.actor });
    } catch (e2) {
      if ((e2 as { code?: string }).code !== "ALREADY_EXISTS") throw e2; // registered meanwhile
    }
  }
  return registry.createModelVersion(
    {
      name,
      source: `${run.info.artifactUri}/${artifactPath}`,
      runId,
      description: options.description,
      tags: Object.entries(options.tags ?? {}).map(([key, value]) => ({ key, value })),
    },
    { actor: options.actor },
  );
}
