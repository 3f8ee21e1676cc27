import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { keel } from "./run-cli.js";

const dir = mkdtempSync(path.join(tmpdir(), "keel-monitor-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A CSV with a numeric column (optionally shifted), a category column (optionally with a new category). */
function csv(name: string, n: number, seed: number, opts: { shift?: number; newCategory?: boolean; drop?: string } = {}): string {
  let s = seed;
  const u = () => (s = (48271 * s) % 2147483647) / 2147483647;
  const cols = ["amount", "city", "score"].filter((c) => c !== opts.drop);
  const lines = [cols.join(",")];
  for (let i = 0; i < n; i++) {
    const amount = (u() + u() + u() - 1.5 + (opts.shift ?? 0)).toFixed(4);
    const r = u();
    const city = opts.newCategory && r < 0.1 ? "atlantis" : r < 0.5 ? "paris" : r < 0.8 ? "lyon" : "nice";
    const score = u().toFixed(3);
    const row: Record<string, string> = { amount, city, score };
    lines.push(cols.map((c) => row[c]).join(","));
  }
  const file = path.join(dir, name);
  writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

describe("keel monitor drift", () => {
  const ref = csv("ref.csv", 3000, 1);
  const same = csv("same.csv", 2000, 2);
  const drifted = csv("drifted.csv", 2000, 3, { shift: 0.5, newCategory: true, drop: "score" });

  it("exits 0 without dataset drift and prints the table", () => {
    const r = keel(["monitor", "drift", ref, same]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/no dataset drift: 0 of 3 columns drifted/);
    expect(r.stdout).toMatch(/amount\s+numeric\s+wasserstein_norm/);
    expect(r.stdout).toMatch(/data quality: no findings/);
  });

  it("exits 1 on dataset drift; --json carries drift and quality; --out writes the HTML report", () => {
    const out = path.join(dir, "report.html");
    const r = keel(["monitor", "drift", ref, drifted, "--json", "--out", out]);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.drift.dataset_drift).toBe(true);
    expect(json.drift.columns.map((c: { column: string; drifted: boolean }) => [c.column, c.drifted])).toEqual([
      ["amount", true],
      ["city", true],
    ]);
    expect(json.drift.skipped).toEqual([{ column: "score", reason: "missing from the current data" }]);
    const codes = json.quality.findings.map((f: { code: string; check?: string; column: string }) => `${f.check ?? f.code}:${f.column}`);
    expect(codes).toContain("NEW_CATEGORY:city");
    expect(codes).toContain("COLUMN_MISSING:score");
    expect(codes).toContain("OUT_OF_RANGE:amount");
    const html = readFileSync(out, "utf8");
    expect(html).toContain("Dataset drift detected");
    expect(html).toContain("atlantis");
  });

  it("--project takes per-column drift tests from keel.yaml's monitor.columns; a bad test is refused with its line", () => {
    const project = path.join(dir, "override-project");
    const yaml = (test: string) =>
      ["name: m", "problem: { target: y, task: binary }", "data: { source: d.csv }", "monitor:", "  rules: [{ measure: drift_share, above: 0.5 }]", "  columns:", `    amount: { test: ${test}, threshold: 0.3 }`, ""].join("\n");
    rmSync(project, { recursive: true, force: true });
    mkdirSync(project);
    writeFileSync(path.join(project, "d.csv"), "x,y\n1,a\n");
    writeFileSync(path.join(project, "keel.yaml"), yaml("psi"));
    const r = keel(["monitor", "drift", ref, drifted, "--project", project, "--json"]);
    const amount = JSON.parse(r.stdout).drift.columns.find((c: { column: string }) => c.column === "amount");
    expect(amount).toMatchObject({ test: "psi", threshold: 0.3 });
    expect(amount.drifted).toBe(amount.statistic > 0.3);
    const plain = JSON.parse(keel(["monitor", "drift", ref, drifted, "--json"]).stdout).drift.columns.find((c: { column: string }) => c.column === "amount");
    expect(plain.test).not.toBe("psi");
    writeFileSync(path.join(project, "keel.yaml"), yaml("magic"));
    const bad = keel(["monitor", "drift", ref, drifted, "--project", project, "--json"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout + bad.stderr).toMatch(/keel\.yaml:7.*monitor\.columns\.amount\.test|monitor\.columns\.amount\.test.*ks \| chi2/s);
  });

  it("--model with two tables: the model predicts both and its prediction drift is reported beside its inputs'", () => {
    const model = path.join(dir, "score-model");
    const t = keel(["train", ref, "--target", "score", "--model", "ridge", "--cv", "2", "--out", model]);
    expect(t.code, t.stderr).toBe(0);
    const r = keel(["monitor", "drift", ref, drifted, "--model", model, "--json"]);
    const out = JSON.parse(r.stdout);
    expect(out.prediction_drift).toMatchObject({ column: "prediction", drifted: true });
    expect(r.code).toBe(1);
    const quiet = keel(["monitor", "drift", ref, same, "--model", model, "--json"]);
    expect(JSON.parse(quiet.stdout).prediction_drift.drifted).toBe(false);
    expect(quiet.code).toBe(0);
    const text = keel(["monitor", "drift", ref, same, "--model", model]);
    expect(text.stdout).toMatch(/prediction drift \(.*score-model\): no drift/);
  });

  it("--columns limits the comparison; --profile compares against a stored reference profile", () => {
    const r = keel(["monitor", "drift", ref, drifted, "--columns", "city", "--json"]);
    expect(JSON.parse(r.stdout).drift.columns.map((c: { column: string }) => c.column)).toEqual(["city"]);
    const profile = path.join(dir, "ref.profile.json");
    const p = keel(["monitor", "profile", ref, "--out", profile, "--seed", "3"]);
    expect(p.code).toBe(0);
    expect(p.stdout).toMatch(/3,000 rows, 3 columns, sample of 3,000 rows/);
    const viaProfile = keel(["monitor", "drift", profile, drifted, "--profile", "--json"]);
    const direct = keel(["monitor", "drift", ref, drifted, "--json"]);
    expect(viaProfile.code).toBe(1);
    expect(JSON.parse(viaProfile.stdout)).toEqual(JSON.parse(direct.stdout));
  });

  it("names the problem on bad input: a missing file, an unknown column, a bad share, a damaged profile", () => {
    const missing = keel(["monitor", "drift", ref, path.join(dir, "nope.csv")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.csv/);
    const col = keel(["monitor", "drift", ref, same, "--columns", "height"]);
    expect(col.code).toBe(1);
    expect(col.stderr).toMatch(/column "height" is not in the reference data/);
    const colJson = keel(["monitor", "drift", ref, same, "--columns", "height", "--json"]);
    expect(colJson.code).toBe(1);
    expect(JSON.parse(colJson.stdout).error).toMatchObject({ code: "NOT_FOUND", message: expect.stringMatching(/"height"/) });
    const share = keel(["monitor", "drift", ref, same, "--drift-share", "1.5"]);
    expect(share.code).toBe(2);
    expect(share.stderr).toMatch(/--drift-share must be a share in \(0, 1\], got "1.5"/);
    const bad = path.join(dir, "bad.profile.json");
    writeFileSync(bad, JSON.stringify({ version: 1, rows: 3, sample_rows: 3, columns: { amount: { kind: "numeric", rows: 3, missing: 0, count: 3, edges: [1, 2], bin_counts: [3], sample: [2, 1] } } }));
    const prof = keel(["monitor", "drift", bad, same, "--profile"]);
    expect(prof.code).toBe(1);
    expect(prof.stderr).toMatch(/columns\.amount\.sample must be ascending numbers/);
  });
});
