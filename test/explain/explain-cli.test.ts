/**
 * `keel explain` end to end on a model `keel train` saved: the JSON in SHAP's names adds up to the
 * model's own log-odds (from `keel predict`) row by row, permutation importance and partial
 * dependence are present when the file has the target, the HTML report is self-contained with
 * inline SVG, and a bad `--rows` is a usage error (exit 2) as JSON.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture, keel } from "../cli/run-cli.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "keel-explain-cli-"));
const csv = fixture("credit-300.csv");
const modelDir = path.join(tmp, "model");
const env = { KEEL_HOME: path.join(tmp, "home"), KEEL_STORE: path.join(tmp, "store.db") };
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(() => {
  const r = keel(["train", csv, "--target", "Status", "--model", "logistic", "--cv", "2", "--out", modelDir, "--threads", "1", "--json"], { env });
  expect(r.code, r.stderr + r.stdout).toBe(0);
}, 120_000);

describe("keel explain", () => {
  it("--json: SHAP's names; base + Σ values = the log-odds of keel predict's probability, per row", () => {
    const r = keel(["explain", modelDir, csv, "--rows", "0-3,10", "--per-feature", "--repeats", "2", "--pdp", "Income", "--grid", "5", "--json"], { env });
    expect(r.code, r.stderr).toBe(0);
    const e = JSON.parse(r.stdout);
    expect(e.method).toBe("linear");
    expect(e.link).toBe("logit");
    expect(e.output_names).toEqual(["good"]);
    expect(e.rows).toEqual([0, 1, 2, 3, 10]);
    expect(e.feature_names).toContain("Home");
    expect(e.values).toHaveLength(5);
    expect(e.data[0]).toHaveLength(e.feature_names.length);
    const p = keel(["predict", modelDir, csv, "--json"], { env });
    const preds = JSON.parse(p.stdout).predictions as { proba_good: number }[];
    e.rows.forEach((row: number, i: number) => {
      const sum = e.base_values[i] + (e.values[i] as number[]).reduce((s, v) => s + v, 0);
      const q = preds[row].proba_good;
      expect(Math.abs(sum - Math.log(q / (1 - q)))).toBeLessThan(1e-6);
      const perFeature = e.per_feature.base_values[i] + (e.per_feature.values[i] as number[]).reduce((s: number, v: number) => s + v, 0);
      expect(Math.abs(perFeature - sum)).toBeLessThan(1e-9);
    });
    expect(e.per_feature.sources.filter((s: string) => s === "Home").length).toBeGreaterThan(1);
    expect(Object.keys(e.permutation_importance.scores)).toEqual(["accuracy"]);
    expect(e.permutation_importance.scores.accuracy.importances[0]).toHaveLength(2);
    expect(e.partial_dependence).toHaveLength(1);
    expect(e.partial_dependence[0].grid).toHaveLength(5);
    expect(e.partial_dependence[0].individual[0]).toHaveLength(5);
  });

  it("--out: a self-contained HTML report, summary first, charts as inline SVG", () => {
    const out = path.join(tmp, "explain.html");
    const r = keel(["explain", modelDir, csv, "--rows", "0-49", "--repeats", "2", "--grid", "10", "--out", out], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("mean |SHAP|");
    const html = readFileSync(out, "utf8");
    expect(html.indexOf('class="summary"')).toBeLessThan(html.indexOf("<svg"));
    expect((html.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(6);
    expect(html).not.toMatch(/<script|src="http/);
    for (const h of ["Global importance", "SHAP values per row", "Row 0", "Permutation importance", "Partial dependence"]) expect(html).toContain(h);
  });

  it("a row out of range is a usage error naming the row, as JSON with --json", () => {
    const r = keel(["explain", modelDir, csv, "--rows", "299-300", "--json"], { env });
    expect(r.code).toBe(2);
    const err = JSON.parse(r.stdout).error;
    expect(err.code).toBe("USAGE");
    expect(err.message).toMatch(/row 300 is out of range: the file has 300 rows/);
  });
});
