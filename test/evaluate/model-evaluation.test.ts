import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { Frame } from "../../src/data/frame.js";
import { chooseThreshold } from "../../src/evaluate/threshold.js";
import { evaluateModel, metricsOfTask } from "../../src/evaluate/model-evaluation.js";
import { evaluationToHtml } from "../../src/evaluate/report-html.js";
import { expectedCalibrationError, brierScore } from "../../src/metrics/index.js";
import { linearRegression, logistic, withDecisionThreshold } from "../../src/models/index.js";

const rng = new Rng(7);
const n = 1200;
const x1 = Float64Array.from({ length: n }, () => rng.normal());
const x2 = Float64Array.from({ length: n }, () => rng.normal());
const group = Array.from({ length: n }, (_, i) => (x1[i] + 0.5 * rng.normal() > 0.3 ? "A" : "B"));
const label = Array.from({ length: n }, (_, i) => (rng.float() < 1 / (1 + Math.exp(-(1.5 * x1[i] - x2[i]))) ? "yes" : "no"));
const data = Frame.fromColumns({ x1, x2, group, label });
const train = data.take(Int32Array.from({ length: 800 }, (_, i) => i));
const test = data.take(Int32Array.from({ length: n - 800 }, (_, i) => 800 + i));

describe("evaluateModel", () => {
  it("binary: metrics with intervals, the threshold's confusion matrix, curves, fairness, slices", async () => {
    const model = await logistic().fit(train.drop(["group"]), { target: "label" });
    const ev = evaluateModel(model, test, { protected: ["group"], threshold: { by: "cost", fp: 1, fn: 4 }, rounds: 200 });
    expect(ev.model).toMatchObject({ target: "label", task: "binary", classes: ["no", "yes"], positive: "yes" });
    expect(Object.keys(ev.metrics)).toEqual(metricsOfTask("binary"));
    for (const [name, m] of Object.entries(ev.metrics)) {
      expect(Number.isFinite(m.value), name).toBe(true);
      expect(m.low <= m.value + 1e-12 && m.value <= m.high + 1e-12, `${name}: ${m.low} ≤ ${m.value} ≤ ${m.high}`).toBe(true);
    }
    // decisions at the chosen threshold, recomputed from the model's probabilities
    const proba = model.predictProba(test.drop(["label", "group"]));
    const yes = model.classes.indexOf("yes");
    const scores = Float64Array.from({ length: test.nRows }, (_, i) => proba[i * 2 + yes]);
    const y = Int32Array.from(test.column("label").kind === "categorical" ? (test.toRows() as { label: string }[]).map((r) => (r.label === "yes" ? 1 : 0)) : []);
    const chosen = chooseThreshold(y, scores, { by: "cost", fp: 1, fn: 4 });
    expect(ev.threshold).toMatchObject({ by: "cost", threshold: chosen.threshold, tp: chosen.tp, fp: chosen.fp });
    expect(ev.confusion).toEqual({ labels: ["no", "yes"], matrix: [[chosen.tn, chosen.fp], [chosen.fn, chosen.tp]] });
    expect(ev.metrics.recall.value).toBe(chosen.recall);
    expect(ev.curves!.calibration.ece).toBe(expectedCalibrationError(y, scores));
    expect(ev.curves!.calibration.brier).toBe(brierScore(y, scores));
    const f = ev.fairness.group as any;
    expect(f.groups.map((g: any) => g.count).reduce((a: number, b: number) => a + b, 0)).toBe(test.nRows);
    const selA = test.toRows().map((r, i) => [r.group, scores[i] >= chosen.threshold ? 1 : 0] as const).filter(([g]) => g === "A");
    expect(f.groups.find((g: any) => g.group === "A").selection_rate).toBe(selA.reduce((s, [, d]) => s + d, 0) / selA.length);
    expect(ev.slices!.loss).toBe("error");
    const html = evaluationToHtml(ev);
    expect(html.indexOf("Findings")).toBeLessThan(html.indexOf("Metrics"));
    expect(html).toContain("<svg");
    expect(html).not.toMatch(/<script/);
  });

  it("without a rule the decisions are the model's own", async () => {
    const model = await logistic().fit(train.drop(["group"]), { target: "label" });
    const ev = evaluateModel(model, test, { rounds: 50, slices: false, positive: "no" });
    expect(ev.threshold).toMatchObject({ by: "model" });
    expect(ev.model.positive).toBe("no");
    expect(ev.slices).toBeUndefined();
    const labels = model.predict(test.drop(["label", "group"]));
    let right = 0;
    const rows = test.toRows();
    for (let i = 0; i < test.nRows; i++) right += labels.categories[labels.codes[i]] === rows[i].label ? 1 : 0;
    expect(ev.metrics.accuracy.value).toBe(right / test.nRows);
  });

  it("regression: residuals by predicted decile and by feature", async () => {
    const yv = Float64Array.from({ length: n }, (_, i) => 2 * x1[i] + x1[i] * x1[i] + 0.3 * rng.normal());
    const reg = Frame.fromColumns({ x1, x2, group, y: yv });
    const model = await linearRegression().fit(reg.take(Int32Array.from({ length: 800 }, (_, i) => i)).drop(["group"]), { target: "y" });
    const t = reg.take(Int32Array.from({ length: 400 }, (_, i) => 800 + i));
    const ev = evaluateModel(model, t, { protected: ["group"], rounds: 50 });
    expect(ev.model.task).toBe("regression");
    expect(Object.keys(ev.metrics)).toEqual(metricsOfTask("regression"));
    const r = ev.residuals!;
    expect(r.by_prediction.length).toBe(10);
    expect(r.by_prediction.reduce((s, g) => s + g.count, 0)).toBe(400);
    const pred = model.predict(t.drop(["y", "group"]));
    const byGroup = r.by_feature.group.find((g) => g.group === "A")!;
    let sum = 0;
    let cnt = 0;
    t.toRows().forEach((row, i) => {
      if (row.group === "A") {
        sum += (row.y as number) - pred[i];
        cnt++;
      }
    });
    expect(byGroup.count).toBe(cnt);
    expect(Math.abs(byGroup.mean_residual - sum / cnt)).toBeLessThan(1e-12);
    expect(Object.keys((ev.fairness.group as any).groups).sort()).toEqual(["A", "B"]);
  });

  it("a model with a saved decision threshold: its threshold and positive class are the defaults", async () => {
    const base = await logistic().fit(train.drop(["group"]), { target: "label" });
    const model = withDecisionThreshold(base, 0.3, "no");
    const ev = evaluateModel(model, test, { rounds: 30, slices: false });
    expect(ev.model.positive).toBe("no");
    expect(ev.threshold).toMatchObject({ by: "model", threshold: 0.3 });
    const proba = base.predictProba(test.drop(["label", "group"]));
    const no = base.classes.indexOf("no");
    const rows = test.toRows();
    let tp = 0;
    let fp = 0;
    rows.forEach((r, i) => {
      if (proba[i * 2 + no] >= 0.3) (r.label === "no" ? tp++ : fp++);
    });
    expect(ev.confusion!.labels).toEqual(["yes", "no"]);
    expect([ev.confusion!.matrix[1][1], ev.confusion!.matrix[0][1]]).toEqual([tp, fp]);
  });

  it("multiclass: every metric, the confusion matrix, per-group metrics; no threshold", async () => {
    const k3 = Array.from({ length: n }, (_, i) => (x1[i] > 0.5 ? "hi" : x1[i] < -0.5 ? "lo" : "mid"));
    const mc = Frame.fromColumns({ x1, x2, group, k: k3 });
    const model = await logistic().fit(mc.take(Int32Array.from({ length: 800 }, (_, i) => i)).drop(["group"]), { target: "k" });
    const t = mc.take(Int32Array.from({ length: 400 }, (_, i) => 800 + i));
    const ev = evaluateModel(model, t, { protected: ["group"], rounds: 30 });
    expect(ev.model.task).toBe("multiclass");
    expect(Object.keys(ev.metrics)).toEqual(metricsOfTask("multiclass"));
    expect(ev.confusion!.matrix.flat().reduce((a, b) => a + b, 0)).toBe(400);
    expect(ev.threshold).toBeUndefined();
    expect(ev.curves).toBeUndefined();
    expect(Object.keys((ev.fairness.group as any).groups).sort()).toEqual(["A", "B"]);
    expect(() => evaluateModel(model, t, { threshold: 0.5 })).toThrow(/a threshold is for binary models; this one is multiclass/);
  });

  it("refuses what it cannot evaluate, naming the field", async () => {
    const model = await logistic().fit(train.drop(["group"]), { target: "label" });
    expect(() => evaluateModel(model, test.drop(["label"]))).toThrow(/no column "label", the model's target/);
    expect(() => evaluateModel(model, test, { protected: ["race"] })).toThrow(/protected column "race" is not in the data/);
    expect(() => evaluateModel(model, test, { metric: "rmse" })).toThrow(/metric "rmse" is not a binary metric/);
    expect(() => evaluateModel(model, test, { positive: "maybe" })).toThrow(/positive class "maybe"/);
  });
});
