import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { categoricalFromValues, numeric } from "../../../src/data/column.js";
import { Frame } from "../../../src/data/frame.js";
import { leakStops, profile } from "../../../src/data/profile/index.js";

const bc = JSON.parse(readFileSync(new URL("../../fixtures/profile/breast-cancer.json", import.meta.url), "utf8")) as {
  y: number[];
  columns: Record<string, number[]>;
  auc: Record<string, number>;
};

function breastCancer(): Frame {
  const cols: Record<string, ReturnType<typeof numeric> | ReturnType<typeof categoricalFromValues>> = {};
  for (const [name, v] of Object.entries(bc.columns)) cols[name] = numeric(v);
  cols.diagnosis = categoricalFromValues(bc.y.map((v) => (v === 1 ? "malignant" : "benign")));
  return Frame.fromColumns(cols);
}

/** A copy of the target that disagrees on every `every`-th row, as a field recorded after the fact would. */
function noisyCopy(y: number[], every: number): number[] {
  return y.map((v, i) => (i % every === 0 ? 1 - v : v));
}

describe("target leaks at two levels", () => {
  it("the single-feature ROC AUC equals scikit-learn's roc_auc_score (direction-free) on breast-cancer features", () => {
    const p = profile(breastCancer(), { target: "diagnosis" });
    for (const [name, auc] of Object.entries(bc.auc)) {
      const s = p.predictivePower!.scores.find((x) => x.feature === name)!;
      expect(s.auc, name).toBeCloseTo(auc, 12);
    }
  });

  it("strong honest features warn but do not stop (breast cancer: AUC 0.96–0.98)", () => {
    const p = profile(breastCancer(), { target: "diagnosis" });
    const leaks = p.warnings.filter((w) => w.code === "TARGET_LEAK_SUSPECT");
    expect(leaks.map((w) => w.column).sort()).toEqual(["mean concave points", "worst area", "worst concave points", "worst perimeter", "worst radius"]);
    for (const w of leaks) {
      expect(w.level, w.column).toBe("warn");
      expect(w.message).toMatch(/strongly \(predictive power 0\.\d{3}, single-feature ROC AUC 0\.9\d{2}; ≥ 0\.8 or AUC ≥ 0\.95\); a strong honest feature or a leak/);
    }
    for (const s of p.predictivePower!.scores) expect(s.score, s.feature).toBeLessThan(0.9);
    expect(leakStops(p)).toEqual([]);
  });

  it("a column agreeing with the target on 97–98% of rows stops the run, categorical or numeric, unless allowed", () => {
    const frame = breastCancer()
      .withColumn("outcome_code", categoricalFromValues(noisyCopy(bc.y, 33).map((v) => (v ? "M-confirmed" : "B-discharged")))) // agrees on 97%
      .withColumn("followup_score", numeric(noisyCopy(bc.y, 50).map((v, i) => v * 10 + (i % 7) * 0.1))); // 98%
    const p = profile(frame, { target: "diagnosis" });
    const stops = leakStops(p);
    expect(stops.map((w) => w.column).sort()).toEqual(["followup_score", "outcome_code"]);
    for (const w of stops) expect(w.message).toMatch(/almost perfectly \(predictive power 0\.9\d{2}, single-feature ROC AUC 0\.9\d{2}; ≥ 0\.9 or AUC ≥ 0\.98\); check it is known before the outcome, and drop it or list it under allow_leaks/);
    const score = (c: string) => p.predictivePower!.scores.find((s) => s.feature === c)!.score;
    expect(score("outcome_code")).toBeGreaterThanOrEqual(0.9);
    expect(score("outcome_code")).toBeLessThan(0.95); // the old 0.95 bar let it through
    expect(leakStops(p, ["outcome_code"]).map((w) => w.column)).toEqual(["followup_score"]);
  });

  it("an identifier is no leak: its out-of-fold category AUC stays near 0.5", () => {
    const ids = bc.y.map((_, i) => `patient-${i}`);
    const p = profile(breastCancer().withColumn("patient", categoricalFromValues(ids)), { target: "diagnosis" });
    const s = p.predictivePower!.scores.find((x) => x.feature === "patient")!;
    expect(s.auc).toBeLessThan(0.55);
    expect(p.warnings.some((w) => w.code === "TARGET_LEAK_SUSPECT" && w.column === "patient")).toBe(false);
  });
});
