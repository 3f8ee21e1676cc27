/**
 * The monitoring commands as a user runs them, over a registered champion and its real traffic
 * through `keel serve`: `keel monitor drift --model` (per-window results stored for charts).
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openMonitoringStore } from "../../src/monitor/index.js";
import { closeTrackingStores } from "../../src/track/index.js";
import { keel } from "../cli/run-cli.js";
import { championProject, creditRows, type Project, sendTraffic } from "./live.js";

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
