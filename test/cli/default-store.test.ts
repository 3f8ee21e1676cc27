/**
 * Every command finds the default store the same way (src/backend/default-store.ts): with
 * KEEL_HOME set, `keel run` tracks and registers into `$KEEL_HOME/keel.db` and `keel runs list`
 * / `keel models list` read the same file — they used to disagree (`keel run` ignored KEEL_HOME).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fixture, keel } from "./run-cli.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "keel-cli-home-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the default store", () => {
  it("is the same for keel run, keel runs list and keel models list when KEEL_HOME is set", () => {
    const project = path.join(dir, "proj");
    const home = path.join(dir, "home");
    mkdirSync(project);
    copyFileSync(fixture("credit-300.csv"), path.join(project, "credit.csv"));
    writeFileSync(
      path.join(project, "keel.yaml"),
      "name: credit\nproblem: { task: binary, target: Status, positive: bad, metric: roc_auc }\ndata: { source: credit.csv }\nsplit: { test: 0.25, stratify: true, seed: 7 }\ncv: { folds: 2 }\nmodels: [baseline, logistic]\n",
    );
    const env = { KEEL_HOME: home, KEEL_STORE: "", MLFLOW_TRACKING_URI: "" };
    const run = keel(["run", project, "--json"], { env });
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { runId: string; registered: { name: string; version: string } };
    expect(existsSync(path.join(home, "keel.db"))).toBe(true);
    expect(existsSync(path.join(project, ".keel", "keel.db"))).toBe(false);
    const runs = keel(["runs", "list", "--experiment", "credit", "--json"], { env });
    expect(runs.code, runs.stderr).toBe(0);
    const ids = (JSON.parse(runs.stdout) as { info: { runId: string } }[]).map((r) => r.info.runId);
    expect(ids).toContain(summary.runId);
    expect(ids).toHaveLength(3); // the parent run and one child per model
    const models = keel(["models", "list", "--json"], { env });
    expect(models.code, models.stderr).toBe(0);
    expect((JSON.parse(models.stdout) as { name: string }[]).map((m) => m.name)).toEqual([summary.registered.name]);
  });
});
