/**
 * The whole path a model takes: trained inside a run (with its data and hypothesis), saved as
 * the run's artifact, registered, given the champion alias, resolved by alias and loaded back
 * from the version's source, and traced to its run, data and code.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Frame } from "../../src/data/frame.js";
import { readArtifact } from "../../src/estimator/artifact.js";
import type { ModelArtifact } from "../../src/estimator/types.js";
import { getLineage, openRegistry, registerModel, type RegistryStore } from "../../src/registry/index.js";
import { frameDigest, openStore, withRun, type TrackingStore } from "../../src/track/index.js";

let dir: string;
let store: TrackingStore;
let registry: RegistryStore;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "keel-flow-"));
  store = await openStore(path.join(dir, "keel.db"));
  registry = await openRegistry(store, { defaultActor: "ci" });
});
afterAll(async () => {
  await registry.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("from run to champion", () => {
  it("registers a run's model, promotes it by alias, loads it back and traces its lineage", async () => {
    const train = Frame.fromColumns({ x: [1, 2, 3, 4], y: [2, 4, 6, 8] });
    const model: ModelArtifact = { kind: "test-linear", params: { fitIntercept: true }, signature: { inputs: [{ name: "x", kind: "numeric" }], output: { type: "regression", target: "y" } }, state: { intercept: 0 }, buffers: { coef: new Float64Array([2]) } };
    const versions: string[] = [];
    for (const attempt of ["baseline", "tuned"]) {
      const runId = await withRun({ store, experiment: "churn", name: attempt, hypothesis: `${attempt}: slope 2 fits y = 2x` }, async (run) => {
        await run.logParams({ fitIntercept: true });
        run.logMetric("rmse", attempt === "baseline" ? 0.5 : 0.1);
        await run.logInput({ frame: train, name: "train", context: "training" });
        await run.logModel(model);
        return run.runId;
      });
      const mv = await registerModel({ registry, tracking: store, artifacts: store.backend.artifacts, runId, name: "churn-model", actor: "ann" });
      versions.push(mv.version);
    }
    expect(versions).toEqual(["1", "2"]);
    await registry.setRegisteredModelAlias("churn-model", "champion", "1", { actor: "ann" });
    await registry.setRegisteredModelAlias("churn-model", "challenger", "2", { actor: "ann" });
    // the challenger wins: promote it
    await registry.setRegisteredModelAlias("churn-model", "champion", "2", { actor: "bob" });
    await registry.deleteRegisteredModelAlias("churn-model", "challenger", { actor: "bob" });
    const champion = await registry.getModelVersionByAlias("churn-model", "champion");
    expect(champion.version).toBe("2");
    const loaded = readArtifact(fileURLToPath(champion.source));
    expect(loaded.artifact.kind).toBe("test-linear");
    expect(Array.from(loaded.artifact.buffers.coef as Float64Array)).toEqual([2]);
    expect(loaded.manifest.meta.runId).toBe(champion.runId);
    const lineage = await getLineage(registry, store, "churn-model", champion.version);
    expect(lineage.run).toMatchObject({ runName: "tuned", hypothesis: "tuned: slope 2 fits y = 2x", status: "FINISHED" });
    expect(lineage.metrics).toEqual([expect.objectContaining({ key: "rmse", value: 0.1 })]);
    expect(lineage.datasets).toEqual([expect.objectContaining({ name: "train", digest: frameDigest(train), rows: 4, context: "training" })]);
    expect(lineage.code.gitCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(typeof lineage.code.gitDirty).toBe("boolean");
    expect(lineage.code.nodeVersion).toBe(process.version);
    const audit = (await registry.getAuditLog({ modelName: "churn-model" })).items.map((e) => `${e.actor} ${e.action} ${e.entity} ${e.from ?? "∅"}→${e.to ?? "∅"}`);
    expect(audit).toEqual([
      "ann create_model churn-model ∅→∅",
      `ann create_version churn-model/1 ∅→${(await registry.getModelVersion("churn-model", "1")).source}`,
      `ann create_version churn-model/2 ∅→${champion.source}`,
      "ann set_alias churn-model@champion ∅→1",
      "ann set_alias churn-model@challenger ∅→2",
      "bob set_alias churn-model@champion 1→2",
      "bob delete_alias churn-model@challenger 2→∅",
    ]);
  });
});
