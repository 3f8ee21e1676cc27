/**
 * Commands that take a model accept a folder and a registered version (`models:/name@alias`,
 * `models:/name/version`) looked up in `--store`; `keel run` and `keel models show` say where the
 * model lives; predicting an unseen category warns.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProject, type RunSummary } from "../../src/pipeline/index.js";
import { closeTrackingStores } from "../../src/track/index.js";
import { fixture, keel } from "./run-cli.js";

let dir: string;
let db: string;
let summary: RunSummary;
let rows: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "keel-cli-refs-"));
  copyFileSync(fixture("credit-300.csv"), path.join(dir, "credit.csv"));
  writeFileSync(
    path.join(dir, "keel.yaml"),
    `name: credit
problem: { task: binary, target: Status, positive: bad, metric: roc_auc, guards: [], good_enough: null }
data: { source: credit.csv }
split: { test: 0.25, stratify: true, seed: 3 }
cv: { folds: 3 }
models: [baseline]
`,
  );
  summary = await runProject({ project: dir, threads: 1 });
  db = path.join(dir, ".keel", "keel.db");
  const lines = readFileSync(fixture("credit-300.csv"), "utf8").trim().split("\n");
  rows = path.join(dir, "rows.csv");
  writeFileSync(rows, [lines[0], ...lines.slice(1, 11)].join("\n") + "\n");
}, 120_000);
afterAll(() => closeTrackingStores());

describe("models:/ references", () => {
  it("predict the same as the model's folder, which keel run reports", () => {
    expect(summary.registered!.dir).not.toBeNull();
    expect(existsSync(path.join(summary.registered!.dir!, "manifest.json"))).toBe(true);
    const byFolder = keel(["predict", summary.registered!.dir!, rows]);
    expect(byFolder.stderr).toBe("");
    expect(byFolder.code).toBe(0);
    for (const ref of ["models:/credit@challenger", "models:/credit/1", "models:/credit/latest"]) {
      const r = keel(["predict", ref, rows, "--store", db]);
      expect(r.stderr, ref).toBe("");
      expect(r.stdout, ref).toBe(byFolder.stdout);
    }
    expect(byFolder.stdout.trim().split("\n")).toHaveLength(11);
  });

  it("name what is not there, and how a reference is written", () => {
    const missing = keel(["predict", "models:/credit@champion", rows, "--store", db]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/champion/);
    const bad = keel(["predict", "models:/credit", rows, "--store", db]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/model reference "models:\/credit" is not valid: expected models:\/<name>@<alias>, models:\/<name>\/<version>/);
  });

  it("warns, per column, about categories the model never saw, and still predicts every row", () => {
    const lines = readFileSync(rows, "utf8").trim().split("\n");
    lines[2] = lines[2].replace('"rent"', '"boat"');
    lines[3] = lines[3].replace(/"(rent|owner|parents|other|priv|ignore)"/, '"boat"');
    const odd = path.join(dir, "odd.csv");
    writeFileSync(odd, lines.join("\n") + "\n");
    const r = keel(["predict", "models:/credit@challenger", odd, "--store", db]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('warning: column "Home": 2 rows with categories not seen in training ("boat")\n');
    expect(r.stdout.trim().split("\n")).toHaveLength(11);
  });

  it("keel models show says where each version lives and names the model card's data hash", async () => {
    const r = keel(["models", "show", "credit", "--store", db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`v1 folder: ${summary.registered!.dir}`);
    expect(r.stdout).toContain(`@${summary.data.hash.slice(0, 12)}`);
    const json = JSON.parse(keel(["models", "show", "credit", "--store", db, "--json"]).stdout);
    expect(json.versions[0].folder).toBe(summary.registered!.dir);
    expect(json.versions[0].lineage.datasets.map((d: { digest: string }) => d.digest)).toEqual([summary.data.hash]);
    // the model card, logged on the run, names the same hash
    const card = readFileSync(path.join(path.dirname(summary.registered!.dir!), "model_card.md"), "utf8");
    expect(card).toContain(`- Data hash: \`${summary.data.hash}\``);
    expect(card).toContain(`content hash \`${summary.data.hash.slice(0, 12)}\``);
  });
});
