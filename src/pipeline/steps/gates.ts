/**
 * The promotion gates for `keel run`'s chosen model (`registry/gates*.ts`), evaluated on the
 * sealed test rows against the current `@champion`, so the run says what `keel promote` would
 * decide. Reported, never acted on (and never cached: it reads the registry's current champion).
 */
import type { Fitted } from "../../estimator/types.js";
import type { ProjectConfig } from "../../project/config.js";
import type { GatesReport } from "../../registry/index.js";
import type { TrackingStore } from "../../track/index.js";
import type { SealedFrame } from "../sealed.js";

/** The gates report for the chosen model, with the champion it was compared with (null: none). */
export async function gatesForRun(c: ProjectConfig, store: TrackingStore, fitted: Fitted, dir: string | null, test: SealedFrame, exclude: string[] | undefined, version: string | null): Promise<GatesReport & { champion: string | null }> {
  const { openRegistry, gatesAgainstChampion } = await import("../../registry/index.js");
  const unsealed = test.unsealed ? test.read() : test.unseal("gates");
  const rows = exclude?.length ? unsealed.drop(exclude) : unsealed;
  const registry = await openRegistry(store);
  try {
    const p = c.problem;
    const problem = { target: p.target, task: p.task, positive: p.positive, metric: p.metric, good_enough: p.good_enough, protected: p.protected, seed: c.split.seed, gates: c.gates };
    const { report, champion } = await gatesAgainstChampion({ registry, tracking: store, name: c.name, candidate: fitted, candidateDir: dir, version, rows, problem });
    return { ...report, champion };
  } finally {
    await registry.close();
  }
}
