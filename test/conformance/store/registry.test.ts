/**
 * The registry store suite, against every backend in `backends.ts`: models, versions, aliases,
 * stages, tags, search, lineage and the append-only audit log (tampering through raw SQL fails).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getLineage, openRegistry, registerModel, type RegistryStore } from "../../../src/registry/index.js";
import { openStore, type TrackingStore } from "../../../src/track/index.js";
import { code, targets, warnIfNoPostgres, type OpenedBackend } from "./backends.js";

warnIfNoPostgres();

async function rawError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  return "no error";
}

describe.each(targets)("registry store: $name", (target) => {
  let o: OpenedBackend;
  let s: TrackingStore;
  let reg: RegistryStore;
  beforeEach(async () => {
    if (!target.available) return;
    o = await target.open();
    s = await openStore(o.backend);
    reg = await openRegistry(s, { defaultActor: "alice" });
  });
  afterEach(async () => {
    if (!o) return;
    await reg.close();
    await o.cleanup();
  });

  describe.skipIf(!target.available)("models and versions", () => {
    it("creates, gets, updates, renames and deletes registered models", async () => {
      const created = await reg.createRegisteredModel({ name: "churn", description: "who leaves", tags: [{ key: "team", value: "growth" }] });
      expect(created).toMatchObject({ name: "churn", description: "who leaves", tags: [{ key: "team", value: "growth" }], aliases: [], latestVersions: [] });
      expect(await code(reg.createRegisteredModel({ name: "churn" }))).toBe("ALREADY_EXISTS");
      expect(await code(reg.createRegisteredModel({ name: "" }))).toBe("INVALID_INPUT");
      expect(await code(reg.getRegisteredModel("nope"))).toBe("NOT_FOUND");
      const updated = await reg.updateRegisteredModel("churn", { description: "customers who leave" });
      expect(updated.description).toBe("customers who leave");
      expect(updated.lastUpdatedTimestamp).toBeGreaterThanOrEqual(created.lastUpdatedTimestamp);
      const v1 = await reg.createModelVersion({ name: "churn", source: "file:///m/1", runId: "r1", tags: [{ key: "k", value: "v" }] });
      await reg.setRegisteredModelAlias("churn", "champion", v1.version);
      await reg.createRegisteredModel({ name: "other" });
      expect(await code(reg.renameRegisteredModel("churn", "other"))).toBe("ALREADY_EXISTS");
      const renamed = await reg.renameRegisteredModel("churn", "churn-v2");
      expect(renamed).toMatchObject({ name: "churn-v2", tags: [{ key: "team", value: "growth" }], aliases: [{ alias: "champion", version: "1" }] });
      const mv = await reg.getModelVersion("churn-v2", "1");
      expect(mv).toMatchObject({ name: "churn-v2", source: "file:///m/1", tags: [{ key: "k", value: "v" }], aliases: ["champion"] });
      expect(await code(reg.getRegisteredModel("churn"))).toBe("NOT_FOUND");
      await reg.deleteRegisteredModel("churn-v2");
      expect(await code(reg.getRegisteredModel("churn-v2"))).toBe("NOT_FOUND");
      expect(await code(reg.getModelVersion("churn-v2", "1"))).toBe("NOT_FOUND");
      // the name is free again, and numbering restarts for the new model
      await reg.createRegisteredModel({ name: "churn-v2" });
      expect((await reg.createModelVersion({ name: "churn-v2", source: "s" })).version).toBe("1");
    });

    it("numbers versions per model, never reusing a deleted number", async () => {
      await reg.createRegisteredModel({ name: "a" });
      await reg.createRegisteredModel({ name: "b" });
      expect(await code(reg.createModelVersion({ name: "nope", source: "s" }))).toBe("NOT_FOUND");
      expect(await code(reg.createModelVersion({ name: "a", source: "" }))).toBe("INVALID_INPUT");
      const versions = await Promise.all(Array.from({ length: 6 }, (_, i) => reg.createModelVersion({ name: "a", source: `s${i}` })));
      expect(versions.map((v) => v.version).sort()).toEqual(["1", "2", "3", "4", "5", "6"]);
      expect((await reg.createModelVersion({ name: "b", source: "x" })).version).toBe("1");
      const v6 = await reg.getModelVersion("a", "6");
      expect(v6).toMatchObject({ status: "READY", currentStage: "None", userId: "alice", description: "" });
      await reg.deleteModelVersion("a", "6");
      expect(await code(reg.getModelVersion("a", "6"))).toBe("NOT_FOUND");
      expect((await reg.createModelVersion({ name: "a", source: "s7" })).version).toBe("7");
      expect(await code(reg.getModelVersion("a", "x"))).toBe("INVALID_INPUT");
      expect(await reg.getModelVersionDownloadUri("a", "7")).toBe("s7");
      const upd = await reg.updateModelVersion("a", "7", { description: "better" });
      expect(upd.description).toBe("better");
    });

    it("follows MLflow's stage transitions, with archive_existing_versions", async () => {
      await reg.createRegisteredModel({ name: "m" });
      for (let i = 0; i < 4; i++) await reg.createModelVersion({ name: "m", source: `s${i}` });
      await reg.transitionModelVersionStage("m", "1", "production", false);
      await reg.transitionModelVersionStage("m", "2", "Production", false);
      expect((await reg.getLatestVersions("m", ["Production"])).map((v) => v.version)).toEqual(["2"]);
      await reg.transitionModelVersionStage("m", "3", "staging", false);
      const v4 = await reg.transitionModelVersionStage("m", "4", "PRODUCTION", true);
      expect(v4.currentStage).toBe("Production");
      const stages = await Promise.all(["1", "2", "3"].map(async (v) => (await reg.getModelVersion("m", v)).currentStage));
      expect(stages).toEqual(["Archived", "Archived", "Staging"]);
      expect(await code(reg.transitionModelVersionStage("m", "3", "Archived", true))).toBe("INVALID_INPUT");
      expect(await code(reg.transitionModelVersionStage("m", "3", "Live", false))).toBe("INVALID_INPUT");
      const latest = await reg.getLatestVersions("m");
      expect(latest.map((v) => [v.currentStage, v.version])).toEqual([
        ["Staging", "3"],
        ["Production", "4"],
        ["Archived", "2"],
      ]);
      expect((await reg.getRegisteredModel("m")).latestVersions.map((v) => v.version).sort()).toEqual(["2", "3", "4"]);
    });

    it("sets, moves, resolves and deletes aliases", async () => {
      await reg.createRegisteredModel({ name: "m" });
      await reg.createModelVersion({ name: "m", source: "s1" });
      await reg.createModelVersion({ name: "m", source: "s2" });
      await reg.setRegisteredModelAlias("m", "champion", "1");
      await reg.setRegisteredModelAlias("m", "challenger", "2");
      expect((await reg.getModelVersionByAlias("m", "champion")).version).toBe("1");
      await reg.setRegisteredModelAlias("m", "champion", "2"); // moves
      expect((await reg.getModelVersionByAlias("m", "champion")).version).toBe("2");
      expect((await reg.getModelVersion("m", "2")).aliases).toEqual(["challenger", "champion"]);
      expect((await reg.getModelVersion("m", "1")).aliases).toEqual([]);
      expect((await reg.getRegisteredModel("m")).aliases).toEqual([
        { alias: "challenger", version: "2" },
        { alias: "champion", version: "2" },
      ]);
      expect(await code(reg.setRegisteredModelAlias("m", "champion", "9"))).toBe("NOT_FOUND");
      for (const bad of ["latest", "v3", "V12", "has space", "", "x".repeat(256)]) expect(await code(reg.setRegisteredModelAlias("m", bad, "1")), bad).toBe("INVALID_INPUT");
      await reg.deleteRegisteredModelAlias("m", "challenger");
      expect(await code(reg.getModelVersionByAlias("m", "challenger"))).toBe("NOT_FOUND");
      expect(await code(reg.deleteRegisteredModelAlias("m", "challenger"))).toBe("NOT_FOUND");
      // deleting a version drops its aliases
      await reg.deleteModelVersion("m", "2");
      expect(await code(reg.getModelVersionByAlias("m", "champion"))).toBe("NOT_FOUND");
    });

    it("moves an alias only from the expected version (compare-and-set), and one of two racing moves wins", async () => {
      await reg.createRegisteredModel({ name: "m" });
      for (const s of ["s1", "s2", "s3"]) await reg.createModelVersion({ name: "m", source: s });
      expect(await code(reg.setRegisteredModelAlias("m", "champion", "1", { expectedVersion: "2" }))).toBe("CONFLICT");
      await reg.setRegisteredModelAlias("m", "champion", "1", { expectedVersion: null }); // not set yet: allowed
      expect(await code(reg.setRegisteredModelAlias("m", "champion", "2", { expectedVersion: null }))).toBe("CONFLICT");
      expect(await code(reg.setRegisteredModelAlias("m", "champion", "2", { expectedVersion: "3" }))).toBe("CONFLICT");
      expect((await reg.getModelVersionByAlias("m", "champion")).version).toBe("1"); // refused moves changed nothing
      expect((await reg.getAuditLog({ action: "set_alias" })).items.length).toBe(1);
      // two moves that both expect version 1: exactly one wins, the other is told it moved
      const raced = await Promise.allSettled([
        reg.setRegisteredModelAlias("m", "champion", "2", { expectedVersion: "1" }),
        reg.setRegisteredModelAlias("m", "champion", "3", { expectedVersion: "1" }),
      ]);
      expect(raced.filter((r) => r.status === "fulfilled").length).toBe(1);
      const lost = raced.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect((lost.reason as { code?: string }).code).toBe("CONFLICT");
      const winner = (await reg.getModelVersionByAlias("m", "champion")).version;
      expect(["2", "3"]).toContain(winner);
      const moves = (await reg.getAuditLog({ action: "set_alias" })).items.map((e) => [e.from, e.to]);
      expect(moves).toHaveLength(2);
      expect(moves).toContainEqual(["1", winner]);
    });

    it("sets and deletes model and version tags", async () => {
      await reg.createRegisteredModel({ name: "m" });
      await reg.createModelVersion({ name: "m", source: "s" });
      await reg.setRegisteredModelTag("m", "owner", "ann");
      await reg.setRegisteredModelTag("m", "owner", "bob");
      await reg.setModelVersionTag("m", "1", "validated", "yes");
      expect((await reg.getRegisteredModel("m")).tags).toEqual([{ key: "owner", value: "bob" }]);
      expect((await reg.getModelVersion("m", "1")).tags).toEqual([{ key: "validated", value: "yes" }]);
      await reg.deleteRegisteredModelTag("m", "owner");
      await reg.deleteModelVersionTag("m", "1", "validated");
      expect((await reg.getRegisteredModel("m")).tags).toEqual([]);
      expect((await reg.getModelVersion("m", "1")).tags).toEqual([]);
      expect(await code(reg.deleteRegisteredModelTag("m", "owner"))).toBe("NOT_FOUND");
      expect(await code(reg.deleteModelVersionTag("m", "1", "validated"))).toBe("NOT_FOUND");
      expect(await code(reg.setRegisteredModelTag("m", "", "x"))).toBe("INVALID_INPUT");
    });

    it("searches models and versions with filters, order and pages", async () => {
      for (const name of ["churn-a", "churn-b", "Churn-c", "fraud"]) {
        await reg.createRegisteredModel({ name, tags: [{ key: "domain", value: name.toLowerCase().startsWith("churn") ? "retention" : "risk" }] });
      }
      for (let i = 0; i < 3; i++) await reg.createModelVersion({ name: "churn-a", source: `file:///a/${i}`, runId: i === 1 ? "run-x" : "run-y", tags: [{ key: "i", value: String(i) }] });
      await reg.createModelVersion({ name: "fraud", source: "file:///f/0", runId: "run-x" });
      const names = async (q: Parameters<RegistryStore["searchRegisteredModels"]>[0]) => (await reg.searchRegisteredModels(q)).items.map((x) => x.name);
      expect(await names({})).toEqual(["Churn-c", "churn-a", "churn-b", "fraud"]);
      expect(await names({ filter: "name LIKE 'churn%'" })).toEqual(["churn-a", "churn-b"]);
      expect(await names({ filter: "name ILIKE 'churn%'", orderBy: ["name DESC"] })).toEqual(["churn-b", "churn-a", "Churn-c"]);
      expect(await names({ filter: "tags.domain = 'risk'" })).toEqual(["fraud"]);
      const p1 = await reg.searchRegisteredModels({ maxResults: 3 });
      const p2 = await reg.searchRegisteredModels({ maxResults: 3, pageToken: p1.nextPageToken });
      expect([...p1.items, ...p2.items].map((x) => x.name)).toEqual(["Churn-c", "churn-a", "churn-b", "fraud"]);
      expect(p2.nextPageToken).toBeUndefined();
      const vs = async (filter: string, orderBy?: string[]) => (await reg.searchModelVersions({ filter, orderBy })).items.map((v) => `${v.name}/${v.version}`);
      expect(await vs("name = 'churn-a'")).toEqual(["churn-a/3", "churn-a/2", "churn-a/1"]);
      expect(await vs("run_id = 'run-x'")).toEqual(["churn-a/2", "fraud/1"]);
      expect(await vs("name = 'churn-a' and version_number >= 2", ["version_number ASC"])).toEqual(["churn-a/2", "churn-a/3"]);
      expect(await vs("source_path LIKE 'file:///a/%' and tags.i = '0'")).toEqual(["churn-a/1"]);
      expect(await vs("run_id IN ('run-y')")).toEqual(["churn-a/3", "churn-a/1"]);
      expect(await code(reg.searchRegisteredModels({ filter: "metrics.x > 1" }))).toBe("INVALID_INPUT");
      expect(await code(reg.searchModelVersions({ orderBy: ["run_id"] }))).toBe("INVALID_INPUT");
    });
  });

  describe.skipIf(!target.available)("audit log", () => {
    it("records every change: who, when, what, from → to", async () => {
      const t0 = Date.now();
      await reg.createRegisteredModel({ name: "m" });
      await reg.createModelVersion({ name: "m", source: "s1" }, { actor: "ci-bot" });
      await reg.createModelVersion({ name: "m", source: "s2" }, { actor: "ci-bot" });
      await reg.setRegisteredModelAlias("m", "champion", "1", { actor: "bob" });
      await reg.setRegisteredModelAlias("m", "champion", "2", { actor: "bob" });
      await reg.transitionModelVersionStage("m", "2", "Production", false, { actor: "carol" });
      await reg.updateModelVersion("m", "2", { description: "promoted" });
      await reg.deleteRegisteredModelAlias("m", "champion", { actor: "bob" });
      await reg.renameRegisteredModel("m", "m2");
      const log = (await reg.getAuditLog()).items;
      expect(log.map((e) => [e.actor, e.action, e.entity, e.from, e.to])).toEqual([
        ["alice", "create_model", "m", null, null],
        ["ci-bot", "create_version", "m/1", null, "s1"],
        ["ci-bot", "create_version", "m/2", null, "s2"],
        ["bob", "set_alias", "m@champion", null, "1"],
        ["bob", "set_alias", "m@champion", "1", "2"],
        ["carol", "transition_stage", "m/2", "None", "Production"],
        ["alice", "update_version_description", "m/2", "", "promoted"],
        ["bob", "delete_alias", "m@champion", "2", null],
        ["alice", "rename_model", "m", "m", "m2"],
      ]);
      for (let i = 1; i < log.length; i++) expect(log[i].id).toBeGreaterThan(log[i - 1].id);
      for (const e of log) expect(e.timestamp).toBeGreaterThanOrEqual(t0);
      expect((await reg.getAuditLog({ modelName: "m", version: "2" })).items.map((e) => e.action)).toEqual(["create_version", "set_alias", "transition_stage", "update_version_description", "delete_alias"]);
      expect((await reg.getAuditLog({ action: "set_alias" })).items.length).toBe(2);
      const page = await reg.getAuditLog({ maxResults: 4 });
      const rest = await reg.getAuditLog({ maxResults: 4, pageToken: page.nextPageToken });
      expect(rest.items[0].id).toBe(log[4].id);
      // deleting the model keeps its history
      await reg.deleteRegisteredModel("m2");
      const after = (await reg.getAuditLog()).items;
      expect(after.length).toBe(log.length + 1);
      expect(after[after.length - 1]).toMatchObject({ action: "delete_model", modelName: "m2" });
      expect(await code(reg.createRegisteredModel({ name: "x" }, { actor: "" }))).toBe("INVALID_INPUT");
    });

    it("cannot be rewritten, even by SQL run by hand", async () => {
      await reg.createRegisteredModel({ name: "m" });
      await reg.createModelVersion({ name: "m", source: "s" });
      const before = (await reg.getAuditLog()).items;
      expect(before.length).toBe(2);
      const api = reg as unknown as Record<string, unknown>;
      for (const k of ["updateAuditEntry", "deleteAuditEntry", "deleteAuditLog", "clearAuditLog"]) expect(api[k]).toBeUndefined();
      expect(await rawError(o.rawSql("UPDATE registry_audit SET actor = 'mallory'"))).toMatch(/append-only/);
      expect(await rawError(o.rawSql("DELETE FROM registry_audit"))).toMatch(/append-only/);
      if (target.name === "postgres") expect(await rawError(o.rawSql("TRUNCATE registry_audit"))).toMatch(/append-only/);
      expect((await reg.getAuditLog()).items).toEqual(before);
    });
  });

  describe.skipIf(!target.available)("lineage", () => {
    it("traces a registered version back to its run, data and code", async () => {
      const artifacts = o.backend.artifacts;
      const run = await s.createRun({
        hypothesis: "gradient boosting beats the logistic baseline",
        tags: [
          { key: "mlflow.source.git.commit", value: "0123456789abcdef0123456789abcdef01234567" },
          { key: "keel.git.dirty", value: "true" },
          { key: "keel.node.version", value: "v20.0.0" },
          { key: "keel.packages", value: '{"pg":"8.0.0"}' },
        ],
      });
      await s.logBatch(run.info.runId, { params: [{ key: "lr", value: "0.1" }], metrics: [{ key: "auc", value: 0.81, step: 0, timestamp: 1 }] });
      await s.logInputs(run.info.runId, [{ tags: [{ key: "mlflow.data.context", value: "training" }], dataset: { name: "train", digest: "d".repeat(64), sourceType: "local", source: "{}", rows: 1234 } }]);
      expect(await code(registerModel({ registry: reg, tracking: s, artifacts, runId: run.info.runId, name: "churn" }))).toBe("NOT_FOUND"); // no model files yet
      await artifacts.write(run.info.artifactUri, "model/manifest.json", "{}");
      const mv = await registerModel({ registry: reg, tracking: s, artifacts, runId: run.info.runId, name: "churn", description: "first", actor: "ci" });
      expect(mv).toMatchObject({ name: "churn", version: "1", runId: run.info.runId, source: `${run.info.artifactUri}/model`, description: "first", userId: "ci" });
      const mv2 = await registerModel({ registry: reg, tracking: s, runId: run.info.runId, name: "churn" });
      expect(mv2.version).toBe("2");
      const lineage = await getLineage(reg, s, "churn", "1");
      expect(lineage.run?.hypothesis).toBe("gradient boosting beats the logistic baseline");
      expect(lineage.params).toEqual([{ key: "lr", value: "0.1" }]);
      expect(lineage.metrics.map((x) => [x.key, x.value])).toEqual([["auc", 0.81]]);
      expect(lineage.datasets).toEqual([{ name: "train", digest: "d".repeat(64), rows: 1234, context: "training", sourceType: "local", source: "{}" }]);
      expect(lineage.code).toMatchObject({ gitCommit: "0123456789abcdef0123456789abcdef01234567", gitDirty: true, nodeVersion: "v20.0.0", packages: { pg: "8.0.0" } });
      // a version without a run has an empty lineage
      const bare = await reg.createModelVersion({ name: "churn", source: "s3://x" });
      expect((await getLineage(reg, s, "churn", bare.version)).run).toBeNull();
      await s.deleteRun(run.info.runId);
      expect(await code(registerModel({ registry: reg, tracking: s, runId: run.info.runId, name: "churn" }))).toBe("INVALID_INPUT");
    });
  });
});
