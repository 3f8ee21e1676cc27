import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture, keel } from "./run-cli.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "keel-evaluate-"));
const lines = readFileSync(fixture("credit-300.csv"), "utf8").trim().split("\n");
const trainFile = path.join(tmp, "train.csv");
const testFile = path.join(tmp, "test.csv");
writeFileSync(trainFile, [lines[0], ...lines.slice(1, 201)].join("\n") + "\n");
writeFileSync(testFile, [lines[0], ...lines.slice(201)].join("\n") + "\n");
const modelDir = path.join(tmp, "model");
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(() => {
  const r = keel(["train", trainFile, "--target", "Status", "--model", "logistic", "--cv", "2", "--out", modelDir, "--threads", "1"]);
  expect(r.code, r.stderr).toBe(0);
}, 240_000);

describe("keel evaluate", () => {
  it("prints the evaluation as JSON with stable names and writes the HTML report", () => {
    const out = path.join(tmp, "report.html");
    const r = keel(["evaluate", modelDir, testFile, "--protected", "Marital,Age", "--cost", "fp=1,fn=5", "--positive", "bad", "--rounds", "50", "--out", out, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(["model", "rows", "missing_target", "primary", "metrics", "bootstrap", "threshold", "thresholds", "confusion", "curves", "fairness", "slices", "report"]);
    expect(j.model).toMatchObject({ target: "Status", task: "binary", positive: "bad" });
    expect(j.rows).toBe(lines.length - 201);
    expect(Object.keys(j.metrics.roc_auc)).toEqual(["value", "low", "high"]);
    expect(j.threshold.by).toBe("cost");
    expect(Object.keys(j.fairness)).toEqual(["Marital", "Age"]);
    for (const k of ["demographic_parity_difference", "demographic_parity_ratio", "equalized_odds_difference", "equalized_odds_ratio", "disparate_impact", "four_fifths_flag"]) expect(j.fairness.Age).toHaveProperty(k);
    expect(Object.keys(j.fairness.Age.groups[0])).toEqual(["group", "count", "selection_rate", "true_positive_rate", "false_positive_rate", "disparate_impact", "four_fifths_flag", "metrics"]);
    expect(j.slices.correction).toBe("benjamini-hochberg");
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(out, "utf8")).toMatch(/<h2 id="fairness">/);
  }, 240_000);

  it("prints tables without --json", () => {
    const r = keel(["evaluate", modelDir, testFile, "--threshold", "f1", "--rounds", "20"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/threshold [\d.]+ \(f1 = /);
    expect(r.stdout).toMatch(/confusion matrix/);
  }, 240_000);

  it("refuses bad options (exit 2) and bad data (exit 1), naming them", () => {
    const both = keel(["evaluate", modelDir, testFile, "--threshold", "0.3", "--cost", "fp=1,fn=2", "--json"]);
    expect(both.code).toBe(2);
    expect(JSON.parse(both.stdout).error.message).toMatch(/--threshold and --cost/);
    const cost = keel(["evaluate", modelDir, testFile, "--cost", "fp=1"]);
    expect(cost.code).toBe(2);
    expect(cost.stderr).toMatch(/needs both fp and fn/);
    const col = keel(["evaluate", modelDir, testFile, "--protected", "Race", "--json"]);
    expect(col.code).toBe(1);
    expect(JSON.parse(col.stdout).error.message).toMatch(/protected column "Race" is not in the data/);
    const unlabelled = path.join(tmp, "unlabelled.csv");
    writeFileSync(unlabelled, lines.map((l) => l.split(",").slice(1).join(",")).join("\n") + "\n");
    const nolabel = keel(["evaluate", modelDir, unlabelled]);
    expect(nolabel.code).toBe(1);
    expect(nolabel.stderr).toMatch(/no column "Status", the model's target/);
  }, 240_000);
});

describe("keel profile --protected", () => {
  it("adds the pre-training bias report to the JSON, the tables and the HTML", () => {
    const out = path.join(tmp, "profile.html");
    const r = keel(["profile", trainFile, "--target", "Status", "--protected", "Marital", "--positive", "bad", "--out", out, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.bias.outcomes).toEqual(["bad"]);
    expect(j.bias.reference).toBe("rest");
    expect(Object.keys(j.bias.columns[0].groups[0])).toEqual(["group", "count", "representation", "class_imbalance", "label_rate", "dpl"]);
    expect(readFileSync(out, "utf8")).toMatch(/<h2 id="bias">Pre-training bias<\/h2>/);
    const t = keel(["profile", trainFile, "--target", "Status", "--protected", "Marital"]);
    expect(t.stdout).toMatch(/pre-training bias \(each group against the rest/);
  }, 240_000);

  it("needs --target, and a protected column of the data", () => {
    const r = keel(["profile", trainFile, "--protected", "Marital", "--json"]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.message).toMatch(/--protected needs --target/);
    const c = keel(["profile", trainFile, "--target", "Status", "--protected", "Race"]);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/protected column "Race" is not in the data/);
  }, 240_000);
});
