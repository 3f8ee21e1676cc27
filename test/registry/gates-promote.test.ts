/**
 * `keel promote` / `keel rollback` end to end, as a user runs them: two `keel run`s register a
 * good model (version 1) and a weak one (version 2); the gates are read from keel.yaml at promote
 * time and evaluated on each version's sealed test set (logged by keel run).
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProject } from "../../src/pipeline/index.js";
import { loadProject } from "../../src/project/config.js";
import { openRegistry, type RegistryStore } from "../../src/registry/index.js";
import { promote as promoteVersion } from "../../src/registry/gates-promote.js";
import { openStore } from "../../src/track/index.js";
import { keel } from "../cli/run-cli.js";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const dir = mkdtempSync(path.join(os.tmpdir(), "keel-promote-"));
const db = path.join(dir, ".keel", "keel.db");
const env = { KEEL_STORE: "", KEEL_HOME: "", MLFLOW_TRACKING_URI: "", KEEL_THREADS: "1" };

function project(models: string, gates = ""): void {
  writeFileSync(
    path.join(dir, "keel.yaml"),
    `name: credit\nproblem: { task: binary, target: Status, positive: bad, metric: roc_auc, good_enough: 0.6, protected: [Marital] }\ndata: { source: credit_data.csv }\nsplit: { test: 0.2, seed: 42 }\ncv: { folds: 2 }\nmodels: ${models}\n${gates}`,
  );
}

const promote = (version: string, ...extra: string[]) => {
  const r = keel(["promote", "credit", version, "--to", "champion", "--project", dir, "--json", ...extra], { env });
  return { code: r.code, body: JSON.parse(r.stdout || "{}"), stderr: r.stderr };
};

let registry: RegistryStore;

/** The library call `keel promote` makes, in this process (cheaper than a CLI start for each gate case). */
async function promoteHere(version: string) {
  const c = loadProject(dir).config;
  const tracking = await openStore(db);
  try {
    const problem = { target: c.problem.target, task: c.problem.task, positive: c.problem.positive, metric: c.problem.metric, good_enough: c.problem.good_enough, protected: c.problem.protected, seed: c.split.seed, gates: c.gates };
    return await promoteVersion({ registry, tracking, name: "credit", version, problem });
  } finally {
    await tracking.close();
  }
}

beforeAll(async () => {
  copyFileSync(path.join(root, "examples/credit/credit_data.csv"), path.join(dir, "credit_data.csv"));
  project("[baseline, logistic]");
  await runProject({ project: dir, store: db, threads: 1 });
  project("[{ gbdt: { maxIter: 2, maxLeaves: 2 } }]");
  await runProject({ project: dir, store: db, threads: 1 });
  registry = await openRegistry(db);
}, 240_000);

afterAll(async () => {
  await registry?.close();
});

describe("keel promote and keel rollback", () => {
  it("logs each version's sealed test set on its run, hashing to the version's keel.test_hash", async () => {
    const v = await registry.getModelVersion("credit", "1");
    expect(v.tags.find((t) => t.key === "keel.test_hash")?.value).toMatch(/^[0-9a-f]{64}$/);
    const first = promote("1");
    expect(first.code, first.stderr).toBe(0);
    expect(first.body.rows.hash).toBe(v.tags.find((t) => t.key === "keel.test_hash")!.value);
    expect(first.body.rows.count).toBe(891);
    // no champion yet: promoted on the gates alone
    expect(first.body).toMatchObject({ promoted: true, forced: false, previous: null });
    expect(first.body.report.gates.map((g: { gate: string }) => g.gate)).toEqual(["good_enough"]);
    expect((await registry.getModelVersionByAlias("credit", "champion")).version).toBe("1");
  }, 120_000);

  it("refuses a candidate worse than the champion (exit 1), listing the champion gate; nothing moves", async () => {
    const r = promote("2");
    expect(r.code).toBe(1);
    expect(r.body.promoted).toBe(false);
    expect(r.body.report.failing).toEqual(["champion"]);
    expect(r.body.report.comparison.test).toBe("delong");
    expect((await registry.getModelVersionByAlias("credit", "champion")).version).toBe("1");
    const text = keel(["promote", "credit", "2", "--to", "champion", "--project", dir], { env });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/refused: credit version 2 fails 1 gate: champion/);
  }, 120_000);

  it("refuses an unfair one and a slow one, each naming its gate, with every failing gate listed", async () => {
    project("[baseline]", "gates:\n  champion: null\n  fairness: [{ metric: demographic_parity_ratio, min: 0.95 }]\n");
    const unfair = await promoteHere("2");
    expect(unfair.promoted).toBe(false);
    expect(unfair.report.failing).toEqual(["fairness:demographic_parity_ratio:Marital"]);
    project("[baseline]", "gates:\n  champion: null\n  latency: { p99_ms: 0.000001, repeats: 3, requests: 20 }\n");
    const slow = await promoteHere("2");
    expect(slow.promoted).toBe(false);
    expect(slow.report.failing).toEqual(["latency"]);
    project("[baseline]", "gates:\n  fairness: [{ metric: demographic_parity_ratio, min: 0.95 }]\n  latency: { p99_ms: 0.000001, repeats: 3, requests: 20 }\n");
    expect((await promoteHere("2")).report.failing).toEqual(["champion", "fairness:demographic_parity_ratio:Marital", "latency"]);
    expect((await registry.getModelVersionByAlias("credit", "champion")).version).toBe("1");
  }, 120_000);

  it("--force --reason promotes anyway and the reason is in the audit log; rollback restores the previous version, and the log shows both moves", async () => {
    project("[baseline]");
    expect(keel(["promote", "credit", "2", "--to", "champion", "--project", dir, "--force"], { env }).code).toBe(2);
    const forced = promote("2", "--force", "--reason", "hotfix for the pricing change");
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.body).toMatchObject({ promoted: true, forced: true, previous: "1", reason: "hotfix for the pricing change" });
    expect((await registry.getModelVersionByAlias("credit", "champion")).version).toBe("2");

    const back = keel(["rollback", "credit", "--store", db, "--json"], { env });
    expect(back.code, back.stdout).toBe(0);
    expect(JSON.parse(back.stdout)).toMatchObject({ from: "2", to: "1" });
    expect((await registry.getModelVersionByAlias("credit", "champion")).version).toBe("1");

    const log = (await registry.getAuditLog({ modelName: "credit" })).items;
    const reason = log.find((e) => e.entity === "credit/2#keel.promotion.forced_reason");
    expect(reason).toMatchObject({ action: "set_version_tag", to: "hotfix for the pricing change", actor: "keel promote" });
    const moves = log.filter((e) => e.entity === "credit@champion").map((e) => [e.from, e.to, e.actor]);
    expect(moves).toEqual([
      [null, "1", "keel promote"],
      ["1", "2", "keel promote"],
      ["2", "1", "keel rollback"],
    ]);
    // the move is a compare-and-set on @champion, written first; the reason follows it
    expect(reason!.id).toBeGreaterThan(log.find((e) => e.entity === "credit@champion" && e.to === "2")!.id);
    // nothing earlier than version 1 to go back to
    const none = keel(["rollback", "credit", "--store", db, "--json"], { env });
    expect(none.code).toBe(1);
    expect(JSON.parse(none.stdout).error.code).toBe("CONFLICT");
  }, 120_000);

  it("a promotion whose @champion moved while its gates ran is refused with CONFLICT and writes nothing", async () => {
    project("[baseline]", "gates: { champion: null }\n");
    const before = await registry.getModelVersionByAlias("credit", "champion").then((v) => v.version, () => null);
    if (before) await registry.deleteRegisteredModelAlias("credit", "champion", { actor: "test" });
    const entries = (await registry.getAuditLog({ modelName: "credit" })).items.length;
    // this promotion reads "no @champion"; another one sets it to version 1 before this one moves it
    let moved = false;
    const racing = Object.create(registry) as RegistryStore;
    racing.getModelVersionByAlias = async (name, alias) => {
      try {
        return await registry.getModelVersionByAlias(name, alias);
      } finally {
        if (!moved) {
          moved = true;
          await registry.setRegisteredModelAlias("credit", "champion", "1", { actor: "elsewhere" });
        }
      }
    };
    const c = loadProject(dir).config;
    const tracking = await openStore(db);
    try {
      const problem = { target: c.problem.target, task: c.problem.task, positive: c.problem.positive, metric: c.problem.metric, good_enough: null, protected: [], seed: c.split.seed, gates: c.gates };
      const err = await promoteVersion({ registry: racing, tracking, name: "credit", version: "2", problem, force: { reason: "race" } }).then(
        (r) => r,
        (e: unknown) => e,
      );
      expect((err as { code?: string }).code, JSON.stringify(err).slice(0, 300)).toBe("CONFLICT");
      expect((err as Error).message).toMatch(/moved meanwhile/);
    } finally {
      await tracking.close();
    }
    const after = (await registry.getAuditLog({ modelName: "credit" })).items;
    // only the other promotion's move was written: no move, no tag from the refused one
    expect(after.length).toBe(entries + 1);
    expect(after[after.length - 1]).toMatchObject({ actor: "elsewhere", action: "set_alias", to: "1" });
    if (before) await registry.setRegisteredModelAlias("credit", "champion", before, { actor: "test" });
  }, 120_000);

  it("evaluates on --data instead, with keel.schema.json's data checks as a gate", () => {
    project("[baseline]", "gates: { champion: null }\n");
    const file = path.join(dir, "fresh.csv");
    const lines = readFileSync(path.join(dir, "credit_data.csv"), "utf8").split("\n");
    writeFileSync(file, lines.slice(0, 400).join("\n") + "\n");
    const r = promote("1", "--data", file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.body.rows).toMatchObject({ source: file, count: 399 });
    expect(r.body.report.gates.map((g: { gate: string }) => g.gate)).toEqual(["good_enough", "data_checks"]);
    expect(r.body.alreadyChampion).toBe(true);
  }, 120_000);
});
