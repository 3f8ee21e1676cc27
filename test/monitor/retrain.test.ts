/**
 * The retraining loop end to end over a real SQLite store, real files and a real `keel serve`
 * (for the shadow answers): a champion trained on the credit fixture; fresh data where the world
 * changed (the meaning of Records flipped) → `keel retrain` registers a challenger
 * that beats the champion on the fresh holdout and puts it in shadow; it is promoted only after
 * its shadow answers are in the prediction log; a worse candidate is refused (exit 3); `keel
 * rollback` restores the previous champion; the audit log shows every move. Plus the trigger check
 * and the CronJob in deploy/ run against the real command.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { shouldRetrain } from "../../src/monitor/index.js";
import { retrainProject } from "../../src/pipeline/index.js";
import { openRegistry } from "../../src/registry/index.js";
import { closeTrackingStores, openStore } from "../../src/track/index.js";
import { keelAsync } from "../cli/run-cli.js";
import { championProject, creditRows, type Project, type Row, sendTraffic } from "./live.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const HOUR = 3_600_000;

describe("shouldRetrain", () => {
  const ctx = { metric: "roc_auc", greaterIsBetter: true, championValue: 0.8, lastTrained: 0, now: 10 * HOUR };
  const w = (start: number, drift: number | null, auc?: number) => ({ start, drift_share: drift, result: auc === undefined ? null : { performance: { metrics: { roc_auc: { estimate: auc } } } } });
  const none = { drift_share: null, performance_drop: null, schedule: null };

  it("fires on drift share strictly above the bound, naming the worst window", () => {
    const d = shouldRetrain({ ...none, drift_share: 0.3 }, [w(1, 0.3), w(2, 0.5), w(3, 0.4)], ctx);
    expect(d.retrain).toBe(true);
    expect(d.fired.map((f) => [f.trigger, f.value, f.window])).toEqual([["drift_share", 0.5, 2]]);
    expect(shouldRetrain({ ...none, drift_share: 0.3 }, [w(1, 0.3), w(2, null)], ctx).retrain).toBe(false);
  });

  it("fires on a live metric worse than the champion's test value by more than the bound, either direction of better", () => {
    const d = shouldRetrain({ ...none, performance_drop: 0.05 }, [w(1, 0, 0.76), w(2, 0, 0.7)], ctx);
    expect(d.fired.map((f) => [f.trigger, f.window])).toEqual([["performance_drop", 2]]);
    expect(d.fired[0].value).toBeCloseTo(0.1, 12);
    expect(shouldRetrain({ ...none, performance_drop: 0.05 }, [w(1, 0, 0.76)], ctx).retrain).toBe(false);
    // rmse: lower is better, so a rise is the drop
    const rmse = { ...ctx, metric: "rmse", greaterIsBetter: false, championValue: 10 };
    const r = (start: number, v: number) => ({ start, drift_share: null, result: { performance: { metrics: { rmse: { estimate: v } } } } });
    expect(shouldRetrain({ ...none, performance_drop: 1 }, [r(1, 11.5)], rmse).retrain).toBe(true);
    expect(shouldRetrain({ ...none, performance_drop: 1 }, [r(1, 8)], rmse).retrain).toBe(false);
    // no champion value: the trigger cannot be judged
    expect(shouldRetrain({ ...none, performance_drop: 0.05 }, [w(1, 0, 0.1)], { ...ctx, championValue: null }).retrain).toBe(false);
  });

  it("fires on the schedule from the newest version's age, and always when nothing is registered; never without triggers", () => {
    expect(shouldRetrain({ ...none, schedule: "10h" }, [], ctx).fired.map((f) => f.trigger)).toEqual(["schedule"]);
    expect(shouldRetrain({ ...none, schedule: "11h" }, [], ctx).retrain).toBe(false);
    expect(shouldRetrain({ ...none, schedule: "1d" }, [], { ...ctx, lastTrained: null }).fired.map((f) => f.trigger)).toEqual(["no_model"]);
    expect(shouldRetrain(none, [w(1, 1)], { ...ctx, lastTrained: null }).retrain).toBe(false);
  });
});

/** The fixture as CSV after `change` (each row a copy). */
function csv(rows: readonly Row[], change: (r: Row) => Row): string {
  const names = Object.keys(rows[0]);
  const cell = (v: Row[string]) => (v === null ? "" : typeof v === "string" ? JSON.stringify(v) : String(v));
  return [names.map((n) => JSON.stringify(n)).join(","), ...rows.map((r) => change({ ...r })).map((r) => names.map((n) => cell(r[n])).join(","))].join("\n") + "\n";
}

/**
 * The world changed: the meaning of Records flipped (its share of "yes" moves from about 1 in 5 to
 * 4 in 5), and incomes rose by a fifth — past the range keel.schema.json kept, which a retrain lets
 * through as a warning (it is the drift being retrained on).
 */
const drifted = (r: Row): Row => ({ ...r, Records: r.Records === "yes" ? "no" : "yes", Income: typeof r.Income === "number" ? Math.round(r.Income * 1.2) : r.Income });

describe("keel retrain, end to end", () => {
  let project: Project;
  let fresh: string;

  beforeAll(async () => {
    project = await championProject();
    writeFileSync(path.join(project.dir, "keel.yaml"), readFileSync(path.join(project.dir, "keel.yaml"), "utf8") + "retrain:\n  triggers: { drift_share: 0.3 }\n  shadow: { requests: 20 }\n");
    fresh = path.join(project.dir, "fresh.csv");
    writeFileSync(fresh, csv(creditRows(), drifted));
  }, 180_000);

  afterAll(async () => {
    await closeTrackingStores();
  });

  const aliases = async () => {
    const tracking = await openStore(project.store);
    try {
      const registry = await openRegistry(tracking);
      const model = await registry.getRegisteredModel("credit");
      const audit = (await registry.getAuditLog({ modelName: "credit", maxResults: 1000 })).items;
      return { aliases: Object.fromEntries(model.aliases.map((a) => [a.alias, a.version])), audit };
    } finally {
      await tracking.backend.close();
    }
  };

  it("on drifted data registers a challenger that beats the champion on the fresh holdout and puts it in shadow", async () => {
    const r = await retrainProject({ project: project.dir, data: fresh, threads: 1 });
    expect(r.outcome, r.message).toBe("shadow");
    expect(r.version).toBe("2");
    expect(r.champion).toBe("1");
    expect(r.run!.dataSource).toBe(fresh);
    expect(r.run!.warnings).toContainEqual(expect.objectContaining({ code: "OUT_OF_RANGE", column: "Income" }));
    // compared on the same fresh holdout: the new run's sealed test rows
    expect(r.gates!.rows).toBe(r.run!.testRows);
    const beats = r.gates!.gates.find((g) => g.gate === "beats_champion")!;
    expect(beats.passed).toBe(true);
    expect(r.gates!.comparison!.candidate).toBeGreaterThan(r.gates!.comparison!.champion);
    expect((await aliases()).aliases).toEqual({ champion: "1", challenger: "2" });
  }, 180_000);

  it("keeps @champion until the challenger has given its shadow answers, then promotes it through the gates", async () => {
    const early = await keelAsync(["retrain", project.dir, "--promote", "--json"]);
    expect(early.stderr).toBe("");
    expect(early.code).toBe(0);
    const wait = JSON.parse(early.stdout);
    expect(wait.outcome).toBe("shadow_pending");
    expect(wait.shadow.answered).toBe(0);
    expect((await aliases()).aliases.champion).toBe("1");

    const logDir = path.join(project.dir, ".keel", "predictions");
    const traffic = await sendTraffic(project, creditRows().slice(0, 25).map(drifted), { logDir, prefix: "s", shadow: "models:/credit@challenger" });
    expect(traffic.statuses.every((s) => s === 200)).toBe(true);

    const done = await keelAsync(["retrain", project.dir, "--promote", "--json"]);
    expect(done.stderr).toBe("");
    const r = JSON.parse(done.stdout);
    expect(done.code, done.stdout).toBe(0);
    expect(r.outcome).toBe("promoted");
    expect(r.shadow.answered).toBe(25);
    expect(r.shadow.failed).toBe(0);
    expect(r.promotion.previous).toBe("1");
    expect((await aliases()).aliases.champion).toBe("2");
  }, 180_000);

  it("refuses a candidate that does not beat the champion (exit 3), leaving @champion where it was", async () => {
    // the same fresh data, but only a depth-2 tree (and the dummy baseline) this time
    const yaml = readFileSync(path.join(project.dir, "keel.yaml"), "utf8");
    writeFileSync(path.join(project.dir, "keel.yaml"), yaml.replace("models: [baseline, { gbdt: { maxIter: 20 } }]", "models: [dummy, { tree: { maxDepth: 2 } }]"));
    try {
      const r = await keelAsync(["retrain", project.dir, "--data", fresh, "--json", "--threads", "1"]);
      expect(r.stderr).toBe("");
      const out = JSON.parse(r.stdout);
      expect(r.code, `${out.message} ${JSON.stringify(out.run)}`).toBe(3);
      expect(out.outcome).toBe("rejected");
      expect(out.gates.failing).toContain("beats_champion");
      const state = await aliases();
      expect(state.aliases.champion).toBe("2");
      expect(state.aliases.challenger).toBeUndefined();
    } finally {
      writeFileSync(path.join(project.dir, "keel.yaml"), yaml);
    }
  }, 180_000);

  it("keel rollback restores the previous champion; the audit log shows the promotion and the rollback", async () => {
    const r = await keelAsync(["rollback", "credit", "--store", project.store, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ from: "2", to: "1" });
    const { aliases: now, audit } = await aliases();
    expect(now.champion).toBe("1");
    const moves = audit.filter((e) => e.entity === "credit@champion" && e.action === "set_alias").map((e) => [e.actor, e.from, e.to]);
    expect(moves.slice(-2)).toEqual([
      ["keel retrain", "1", "2"],
      ["keel rollback", "2", "1"],
    ]);
    const tags = audit.filter((e) => e.actor === "keel retrain" && e.entity.startsWith("credit/2#keel.retrain.state")).map((e) => e.to);
    expect(tags).toEqual(["candidate", "shadow", "promoted"]);
  }, 60_000);

  it("the CronJob in deploy/ runs the real command with its flags (no stored window drifted: not triggered, exit 0)", async () => {
    const job = parse(readFileSync(path.join(root, "deploy/kubernetes/retrain-cronjob.yaml"), "utf8"));
    expect(job.kind).toBe("CronJob");
    const container = job.spec.jobTemplate.spec.template.spec.containers[0];
    expect(container.command).toEqual(["node", "bin/keel.js"]);
    expect(existsSync(path.join(root, container.command[1]))).toBe(true);
    expect(container.args[0]).toBe("retrain");
    expect(container.args).toContain("--if-triggered");
    const mount = container.volumeMounts[0].mountPath;
    const args = (container.args as string[]).map((a) => (a === mount ? project.dir : a === "$(KEEL_STORE)" ? project.store : a));
    const r = await keelAsync(args);
    expect(r.stderr).toBe("");
    expect(r.code, r.stdout).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: "not_triggered", trigger: { retrain: false } });
  }, 60_000);
});
