/**
 * Step "gates": keel.yaml's promotion gates (`registry/gates*.ts`) for `keel run`'s chosen model,
 * evaluated on the sealed test rows against the current `@champion`, so the run says what
 * `keel promote` would decide. Reported, never acted on. Cached by the model's and the test rows'
 * content hashes, the gates and problem settings, the candidate's registered version and the
 * champion it meets (its version and run, read from the registry before the look-up), so an
 * unchanged run loads no model for it, and a new champion recomputes it. A latency gate's
 * measurement is kept with the rest: it was taken on the same model bytes.
 */
import type { Json } from "../../core/index.js";
import type { ProjectConfig } from "../../project/index.js";
import type { GatesReport } from "../../registry/index.js";
import type { TrackingStore } from "../../track/index.js";
import type { SealedFrame } from "../sealed.js";
import { step } from "../step.js";
import type { FitOutput } from "./fit.js";

export interface GatesInputs {
  config: ProjectConfig;
  store: TrackingStore;
  /** The chosen model (refitted, calibrated when asked). */
  model: FitOutput;
  /** Its files (the registered version's, else the cache entry's); null when not on disk. */
  dir: string | null;
  test: SealedFrame;
  exclude: string[] | undefined;
  /** The candidate's registered version, when it was registered. */
  version: string | null;
  /** The `@champion` now, from `currentChampion` (null: none). */
  champion: { version: string; runId: string } | null;
}

export type GatesOutput = GatesReport & { champion: string | null };

/** The version `@champion` points at now, and the run that produced it; null when there is none. */
export async function currentChampion(store: TrackingStore, name: string): Promise<{ version: string; runId: string } | null> {
  const { CHAMPION, openRegistry } = await import("../../registry/index.js");
  const { NotFoundError } = await import("../../core/index.js");
  const registry = await openRegistry(store);
  try {
    const v = await registry.getModelVersionByAlias(name, CHAMPION);
    return { version: v.version, runId: v.runId };
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  } finally {
    await registry.close();
  }
}

function problemOf(c: ProjectConfig) {
  const p = c.problem;
  return { target: p.target, task: p.task, positive: p.positive, metric: p.metric, good_enough: p.good_enough, protected: p.protected, seed: c.split.seed, gates: c.gates };
}

export const gatesStep = step<GatesInputs, GatesOutput>({
  name: "gates",
  label: () => "check the promotion gates",
  key: (i) => (i.model.hash === null ? undefined : { model: i.model.hash, test: i.test.hash, exclude: i.exclude ?? null, problem: problemOf(i.config) as unknown as Json, name: i.config.name, version: i.version, champion: i.champion }),
  async run(i) {
    const { openRegistry, gatesAgainstChampion } = await import("../../registry/index.js");
    const unsealed = i.test.unsealed ? i.test.read() : i.test.unseal("gates");
    const rows = i.exclude?.length ? unsealed.drop(i.exclude) : unsealed;
    const registry = await openRegistry(i.store);
    try {
      const { report, champion } = await gatesAgainstChampion({ registry, tracking: i.store, name: i.config.name, candidate: await i.model.fitted(), candidateDir: i.dir, version: i.version, rows, problem: problemOf(i.config) });
      return { ...report, champion };
    } finally {
      await registry.close();
    }
  },
});
