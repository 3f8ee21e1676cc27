/**
 * The retraining trigger firing from real stored windows: a champion served by `keel serve` on
 * loopback gets traffic where the meaning of Records flipped; `keel monitor drift --model` stores the
 * per-window results; `keel retrain --if-triggered` reads them, fires on the drift share (naming the
 * window and its value), retrains on the fresh data and registers a challenger in shadow. Then
 * `keel monitor watch --once` runs the same step after its rules: the challenger waits in shadow
 * until it has answered, and the next check promotes it; later drift against the new champion makes
 * a watch tick fire the trigger, train and register a new challenger by itself.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTrackingStores } from "../../src/track/index.js";
import { keelAsync } from "../cli/run-cli.js";
import { championProject, creditRows, type Project, type Row, sendTraffic } from "./live.js";

/** The world changed: the meaning of Records flipped (its share of "yes" moves from about 1 in 5 to 4 in 5). */
const flipped = (r: Row): Row => ({ ...r, Records: r.Records === "yes" ? "no" : "yes" });

function csv(rows: readonly Row[]): string {
  const names = Object.keys(rows[0]);
  const cell = (v: Row[string]) => (v === null ? "" : typeof v === "string" ? JSON.stringify(v) : String(v));
  return [names.map((n) => JSON.stringify(n)).join(","), ...rows.map((r) => names.map((n) => cell(r[n])).join(","))].join("\n") + "\n";
}

let project: Project;
let logDir: string;
/** The run `keel retrain --if-triggered` trained version 2 in. */
let trainedRun: string;

beforeAll(async () => {
  project = await championProject();
  writeFileSync(path.join(project.dir, "fresh.csv"), csv(creditRows().map(flipped)));
  writeFileSync(
    path.join(project.dir, "keel.yaml"),
    readFileSync(path.join(project.dir, "keel.yaml"), "utf8") +
      "retrain:\n  triggers: { drift_share: 0.05, since: 1d }\n  data: fresh.csv\n  shadow: { requests: 20 }\nmonitor:\n  since: 2h\n  rules:\n    - { measure: error_rate, above: 0.5 }\n",
  );
  logDir = path.join(project.dir, ".keel", "predictions");
  const traffic = await sendTraffic(project, creditRows().slice(0, 80).map(flipped), { logDir, prefix: "d" });
  if (!traffic.statuses.every((s) => s === 200)) throw new Error(`traffic refused: ${traffic.statuses.join(",")}`);
}, 180_000);

afterAll(async () => {
  await closeTrackingStores();
});

describe("the retrain trigger on stored monitoring windows", () => {
  it("keel retrain --if-triggered does not fire before any window is stored", async () => {
    const r = await keelAsync(["retrain", project.dir, "--if-triggered", "--store", project.store, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code, r.stdout).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: "not_triggered", trigger: { retrain: false, fired: [] }, run: null });
  }, 60_000);

  it("after keel monitor drift --model stores the windows, fires on the drift share and registers a challenger in shadow", async () => {
    const drift = await keelAsync(["monitor", "drift", "--model", "models:/credit@champion", "--since", "2h", "--store", project.store, "--log-dir", logDir, "--json"]);
    expect(drift.stderr).toBe("");
    const report = JSON.parse(drift.stdout);
    expect(report.stored).toBe(report.windows.length);
    expect(report.stored).toBeGreaterThanOrEqual(1);
    // the windows as stored: only Records drifted
    type StoredDrift = { drift_share: number; number_of_columns: number; columns: { column: string; drifted: boolean }[] };
    const windows = (report.windows as { start: string; drift: StoredDrift }[]).map((w) => ({ start: Date.parse(w.start), share: w.drift.drift_share, of: w.drift.number_of_columns, drifted: w.drift.columns.filter((c) => c.drifted).map((c) => c.column) }));
    const worst = windows.reduce((a, b) => (b.share > a.share ? b : a));
    expect(worst.drifted).toEqual(["Records"]);

    const r = await keelAsync(["retrain", project.dir, "--if-triggered", "--store", project.store, "--threads", "1", "--json"]);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout);
    expect(r.code, out.message).toBe(0);
    expect(out.trigger.retrain).toBe(true);
    expect(out.trigger.fired).toHaveLength(1);
    const fired = out.trigger.fired[0];
    expect(fired.trigger).toBe("drift_share");
    expect(fired.bound).toBe(0.05);
    // the evidence: the stored window with the largest drift share, its value (1 column of 13: Records)
    expect(fired.window).toBe(worst.start);
    expect(fired.value).toBe(worst.share);
    expect(fired.value).toBeCloseTo(1 / worst.of, 12);
    expect(fired.message).toMatch(/drift/);
    expect(out.run.dataSource).toBe(path.join(project.dir, "fresh.csv"));
    expect(out).toMatchObject({ outcome: "shadow", version: "2", champion: "1" });
    trainedRun = out.run.runId;
    expect(out.gates.gates.find((g: { gate: string }) => g.gate === "beats_champion").passed).toBe(true);
  }, 180_000);

  it("keel monitor watch --once runs the same step after its rules: the challenger waits in shadow, then is promoted once it has answered", async () => {
    const early = await keelAsync(["monitor", "watch", project.dir, "--once", "--store", project.store, "--json"]);
    expect(early.stderr).toBe("");
    expect(early.code, early.stdout).toBe(0);
    const first = JSON.parse(early.stdout.trim());
    expect(first.alerts).toEqual([]);
    expect(first.retrain).toMatchObject({ outcome: "shadow_pending", version: "2", champion: "1", shadow: { answered: 0 } });

    const shadowTraffic = await sendTraffic(project, creditRows().slice(80, 105).map(flipped), { logDir, prefix: "s", shadow: "models:/credit@challenger" });
    expect(shadowTraffic.statuses.every((s) => s === 200)).toBe(true);

    const done = await keelAsync(["monitor", "watch", project.dir, "--once", "--store", project.store, "--json"]);
    expect(done.stderr).toBe("");
    expect(done.code, done.stdout).toBe(0);
    const second = JSON.parse(done.stdout.trim());
    expect(second.retrain).toMatchObject({ outcome: "promoted", version: "2", champion: "2", shadow: { answered: 25, failed: 0 } });

    const text = await keelAsync(["monitor", "watch", project.dir, "--once", "--store", project.store]);
    expect(text.code, text.stdout + text.stderr).toBe(0);
    expect(text.stdout).toMatch(/retrain (not_triggered|nothing_pending|no trigger fired)/);
  }, 240_000);

  it("keel monitor watch --once fires the trigger itself: it stores the windows of the new champion's drifted traffic, then retrains", async () => {
    // the old world comes back: drift against version 2 (trained on the flipped data); retrain.data now holds the old world's rows
    const traffic = await sendTraffic(project, creditRows().slice(0, 80), { logDir, prefix: "b" });
    writeFileSync(path.join(project.dir, "keel.yaml"), readFileSync(path.join(project.dir, "keel.yaml"), "utf8").replace("data: fresh.csv", "data: back.csv"));
    writeFileSync(path.join(project.dir, "back.csv"), csv(creditRows()));
    expect(traffic.statuses.every((s) => s === 200)).toBe(true);
    const r = await keelAsync(["monitor", "watch", project.dir, "--once", "--store", project.store, "--json"]);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout.trim());
    expect(out).toMatchObject({ model: "credit", version: "2", alerts: [] });
    expect(out.stored).toBeGreaterThanOrEqual(1);
    expect(out.retrain.trigger.retrain).toBe(true);
    expect(out.retrain.trigger.fired.map((f: { trigger: string }) => f.trigger)).toEqual(["drift_share"]);
    expect(out.retrain.trigger.fired[0].value).toBeGreaterThan(0.05);

    expect(r.code, out.retrain.message).toBe(0);
    // trained on the old world's rows, the candidate beats version 2 on that fresh holdout: a new challenger in shadow
    expect(out.retrain.run.dataSource).toBe(path.join(project.dir, "back.csv"));
    expect(out.retrain.run.runId).not.toBe(trainedRun);
    expect(out.retrain).toMatchObject({ outcome: "shadow", version: "3", champion: "2" });
    expect(out.retrain.gates.gates.find((g: { gate: string }) => g.gate === "beats_champion").passed).toBe(true);
  }, 240_000);
});
