/**
 * The monitoring commands as a user runs them, over a registered champion and its real traffic
 * through `keel serve`: `keel monitor drift --model` (per-window results stored for charts).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { abTest, armOutcomes, JsonlLogReader, openMonitoringStore } from "../../src/monitor/index.js";
import { closeTrackingStores } from "../../src/track/index.js";
import { keel } from "../cli/run-cli.js";
import { challengerVersion, championProject, creditRows, type Project, sendTraffic } from "./live.js";

let project: Project;
let logDir: string;
const rows = creditRows();

beforeAll(async () => {
  project = await championProject();
  logDir = mkdtempSync(path.join(os.tmpdir(), "keel-monitor-cli-"));
  // half the traffic as trained, half with Income shifted far up
  await sendTraffic(project, rows.slice(0, 100), { logDir, prefix: "a" });
  await sendTraffic(project, rows.slice(100, 200).map((r) => ({ ...r, Income: (r.Income as number) * 4 + 200 })), { logDir, prefix: "b" });
}, 180_000);

afterAll(() => closeTrackingStores());

describe("keel monitor drift --model", () => {
  it("reads the version's traffic from the log, compares each window with the stored profile, stores the windows and exits 1 on drift", async () => {
    const r = keel(["monitor", "drift", "--model", "models:/credit@champion", "--since", "2h", "--store", project.store, "--log-dir", logDir, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ model: "credit", version: "1", window: "hour", log: logDir });
    expect(out.overall.serving.requests).toBe(200);
    expect(out.windows.reduce((s: number, w: { serving: { requests: number } }) => s + w.serving.requests, 0)).toBe(200);
    const income = out.overall.drift.columns.find((c: { column: string }) => c.column === "Income");
    expect(income.drifted).toBe(true);
    expect(out.stored).toBe(out.windows.length);
    const store = await openMonitoringStore(project.store);
    try {
      const stored = await store.listWindows({ model: "credit", version: "1", window: "hour" });
      expect(stored.map((w) => new Date(w.start).toISOString())).toEqual(out.windows.map((w: { start: string }) => w.start));
      expect(stored.reduce((s, w) => s + w.requests, 0)).toBe(200);
    } finally {
      await store.close();
    }
    const text = keel(["monitor", "drift", "--model", "models:/credit@champion", "--since", "2h", "--store", project.store, "--log-dir", logDir, "--window", "day", "--no-save"]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/credit version 1: 200 requests/);
    expect(text.stdout).toMatch(/Income/);
  });

  it("a period with no traffic is no drift; wrong command lines are usage errors (exit 2)", () => {
    const quiet = keel(["monitor", "drift", "--model", "models:/credit@champion", "--since", "2h", "--until", "1h", "--store", project.store, "--log-dir", logDir, "--json"]);
    expect(quiet.code).toBe(0);
    expect(JSON.parse(quiet.stdout).windows).toEqual([]);
    for (const args of [["--model", "models:/credit@champion", "a.csv"], ["--model", "models:/credit@champion", "--window", "week"], ["--model", "models:/credit@champion", "--since", "soon"], []]) {
      const r = keel(["monitor", "drift", ...args, "--store", project.store, "--log-dir", logDir, "--json"]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(JSON.parse(r.stdout).error.code).toBe("USAGE");
    }
    const missing = keel(["monitor", "drift", "--model", "models:/nope@champion", "--store", project.store, "--log-dir", logDir, "--json"]);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout).error.code).toBe("NOT_FOUND");
  });
});

describe("keel doctor", () => {
  /** Traffic of one scenario in a log folder of its own. */
  async function scenario(name: string, sent: ReturnType<typeof creditRows>): Promise<string> {
    const dir = mkdtempSync(path.join(os.tmpdir(), `keel-doctor-${name}-`));
    await sendTraffic(project, sent, { logDir: dir, prefix: name });
    return dir;
  }
  const doctor = (dir: string, json = true) => keel(["doctor", "models:/credit@champion", "--since", "1h", "--store", project.store, "--log-dir", dir, ...(json ? ["--json"] : [])]);
  const healthy = rows.slice(0, 120);

  it("names the right cause first on planted problems: a renamed column, a new category, a shifted numeric column, labels gone bad; healthy traffic passes", async () => {
    const dirs = {
      healthy: await scenario("healthy", healthy),
      renamed: await scenario("renamed", healthy.map(({ Income, ...r }) => ({ ...r, Incomes: Income }))),
      category: await scenario("category", healthy.map((r, i) => ({ ...r, Home: i % 3 === 0 ? "castle" : r.Home }))),
      shifted: await scenario("shifted", healthy.map((r) => ({ ...r, Income: (r.Income as number) + 100 }))),
      labels: await scenario("labels", healthy),
    };
    // delayed labels, each the opposite of the truth: the model now looks far worse than on its test set
    writeFileSync(path.join(dirs.labels, `feedback-${new Date().toISOString().slice(0, 10)}.jsonl`), healthy.map((r, i) => JSON.stringify({ id: `labels-${i}`, model: "credit", label: r.Status === "good" ? "bad" : "good", time: new Date().toISOString() })).join("\n") + "\n");

    const ok = doctor(dirs.healthy);
    expect(ok.stderr).toBe("");
    const okReport = JSON.parse(ok.stdout);
    expect(okReport.cause, JSON.stringify(okReport.checks, null, 1)).toBeNull();
    expect(ok.code).toBe(0);
    expect(okReport.checks.map((c: { check: string }) => c.check)).toEqual(["serving", "schema", "quality", "feature_drift", "prediction_drift", "performance"]);
    expect(okReport.requests).toBe(120);

    const cause = (dir: string) => {
      const r = doctor(dir);
      expect(r.code).toBe(1);
      return JSON.parse(r.stdout).cause as { check: string; columns: string[]; summary: string };
    };
    const renamed = cause(dirs.renamed);
    expect(renamed.check).toBe("schema");
    expect(renamed.columns).toContain("Income");
    const category = cause(dirs.category);
    expect(category.check).toBe("quality");
    expect(category.columns).toEqual(["Home"]);
    expect(category.summary).toMatch(/castle/);
    const shifted = cause(dirs.shifted);
    expect(shifted.check).toBe("feature_drift");
    expect(shifted.columns[0]).toBe("Income");
    const labels = cause(dirs.labels);
    expect(labels.check).toBe("performance");

    const text = doctor(dirs.shifted, false);
    expect(text.stdout).toMatch(/FAIL\s+feature_drift/);
    expect(text.stdout).toMatch(/columns to look at: Income/);
    expect(text.stdout).toMatch(/next: .*keel rollback credit/);
  }, 240_000);
});

describe("keel monitor ab", () => {
  it("compares the champion with a shadowed challenger on the same labelled requests: both arms, the tests, a verdict", async () => {
    const v2 = await challengerVersion(project);
    const dir = mkdtempSync(path.join(os.tmpdir(), "keel-ab-"));
    const sent = rows.slice(0, 150);
    await sendTraffic(project, sent, { logDir: dir, prefix: "ab", shadow: "models:/credit@challenger" });
    writeFileSync(path.join(dir, `feedback-${new Date().toISOString().slice(0, 10)}.jsonl`), sent.map((r, i) => JSON.stringify({ id: `ab-${i}`, model: "credit", label: r.Status, time: new Date().toISOString() })).join("\n") + "\n");
    const r = keel(["monitor", "ab", "credit", "--a", "champion", "--b", "challenger", "--store", project.store, "--log-dir", dir, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ model: "credit", outcome: "correct", a: { version: "1", requests: 150, labelled: 150 }, b: { version: v2, requests: 150, labelled: 150 } });
    expect(["better", "worse", "not yet"]).toContain(out.verdict);
    // the same test on the outcomes read straight from the log
    const reader = new JsonlLogReader(dir);
    const records = await reader.predictions({ model: "credit" });
    const labels = await reader.feedback({ model: "credit" });
    const expected = abTest(armOutcomes(records, labels, "1").outcomes, armOutcomes(records, labels, v2).outcomes, { mde: 0.02 });
    expect(out.result).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(out.result.sequential.method).toMatch(/always valid/);
    const text = keel(["monitor", "ab", "credit", "--store", project.store, "--log-dir", dir]);
    expect(text.stdout).toMatch(/verdict: B is /);
    expect(text.stdout).toMatch(/per arm needed for power 0.8/);
    const same = keel(["monitor", "ab", "credit", "--a", "champion", "--b", "1", "--store", project.store, "--log-dir", dir, "--json"]);
    expect(same.code).toBe(2);
    expect(keel(["monitor", "ab", "credit", "--alpha", "2", "--store", project.store, "--json"]).code).toBe(2);
  }, 240_000);
});
