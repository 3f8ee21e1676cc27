/**
 * `keel run` with `problem.calibration` and `problem.threshold`: the registered model is the
 * calibrated cross-fitted ensemble wrapped with the threshold chosen on out-of-fold predictions of
 * the training rows; `keel predict` and serving label rows at that threshold; bad values in
 * keel.yaml are refused naming the key, the value and what was expected.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { readTable } from "../../src/data/io/index.js";
import { loadModel, predictFrame } from "../../src/estimator/index.js";
import { CalibratedClassifier, ThresholdClassifier } from "../../src/models/calibration/index.js";
import { runProject } from "../../src/pipeline/run-project.js";
import { parseProjectText } from "../../src/project/config.js";
import { startServe } from "../../src/serve/index.js";
import { closeTrackingStores, openStore } from "../../src/track/index.js";
import { keelAsync } from "../cli/run-cli.js";

const fixture = path.resolve(import.meta.dirname, "../fixtures/cli/credit-300.csv");

function project(problemExtra: string, models = "[baseline, logistic]"): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "keel-calibrate-"));
  copyFileSync(fixture, path.join(dir, "credit.csv"));
  writeFileSync(
    path.join(dir, "keel.yaml"),
    `name: credit\nproblem: { task: binary, target: Status, positive: bad, metric: roc_auc${problemExtra} }\ndata: { source: credit.csv }\nsplit: { test: 0.25, stratify: true, seed: 7 }\ncv: { folds: 3 }\nmodels: ${models}\n`,
  );
  return dir;
}

afterAll(() => closeTrackingStores());

describe("keel run: calibration and the decision threshold", () => {
  it("registers the calibrated model with the least-cost threshold from out-of-fold predictions; keel predict and serving label rows at it", async () => {
    const dir = project(", threshold: { by: cost, fp: 1, fn: 5 }, calibration: sigmoid");
    const s = await runProject({ project: dir, threads: 1 });
    const d = s.decision!;
    expect(d.calibration).toBe("sigmoid");
    expect(d.positive).toBe("bad");
    expect(d.threshold).toBeGreaterThan(0);
    // a false negative costs 5 false positives: the line moves well below 0.5
    expect(d.threshold).toBeLessThan(0.5);
    // out-of-fold predictions cover exactly the training rows (3 folds), never the sealed test rows
    expect(d.oof).toMatchObject({ name: "mean_cost", rows: s.data.train.rows });

    const model = loadModel(s.registered!.dir!);
    expect(model).toBeInstanceOf(ThresholdClassifier);
    const wrapped = model as ThresholdClassifier;
    expect(wrapped.threshold).toBe(d.threshold);
    expect(wrapped.base).toBeInstanceOf(CalibratedClassifier);
    expect((wrapped.base as CalibratedClassifier).folds).toHaveLength(3);
    expect((wrapped.base as CalibratedClassifier).method).toBe("sigmoid");

    // keel predict, through the CLI: bad exactly where P(bad) ≥ the threshold
    const csv = path.join(dir, "credit.csv");
    const r = await keelAsync(["predict", s.registered!.dir!, csv, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { predictions: { prediction: string; proba_bad: number; proba_good: number }[] };
    expect(out.predictions).toHaveLength(300);
    let belowHalf = 0;
    for (const p of out.predictions) {
      expect(p.prediction).toBe(p.proba_bad >= d.threshold! ? "bad" : "good");
      if (p.prediction === "bad" && p.proba_bad < 0.5) belowHalf++;
    }
    // rows the more-probable-class rule would call good: the threshold changed their label
    expect(belowHalf).toBeGreaterThan(0);

    // serving answers with the same labels and probabilities, over HTTP on loopback
    const data = (await readTable(csv)).drop(["Status"]);
    const server = await startServe({ models: [{ ref: s.registered!.dir! }], port: 0, predictionLog: false });
    try {
      const res = await fetch(`${server.url}/invocations`, { method: "POST", body: JSON.stringify({ dataframe_records: data.toRows() }), headers: { "content-type": "application/json" } });
      expect(res.status).toBe(200);
      const served = ((await res.json()) as { predictions: { prediction: string; proba_bad: number }[] }).predictions;
      expect(served.map((p) => p.prediction)).toEqual(out.predictions.map((p) => p.prediction));
      expect(served.map((p) => p.proba_bad)).toEqual(out.predictions.map((p) => p.proba_bad));
    } finally {
      await server.close();
    }
    const fromPredict = predictFrame(model, data).frame.column("prediction") as unknown as { codes: Int32Array; categories: string[] };
    expect(Array.from(fromPredict.codes, (k) => fromPredict.categories[k])).toEqual(out.predictions.map((p) => p.prediction));

    // recorded in tracking: the parent run's params and the out-of-fold cost
    const store = await openStore(undefined, { projectDir: dir });
    const run = await store.getRun(s.runId);
    const params = Object.fromEntries(run.data.params.map((p: { key: string; value: string }) => [p.key, p.value]));
    expect(params.calibration).toBe("sigmoid");
    expect(Number(params.decision_threshold)).toBe(d.threshold);
    expect(run.data.metrics.map((m: { key: string }) => m.key)).toContain("oof_threshold_mean_cost");

    // keel evaluate reports the saved threshold and its confusion matrix is taken at it
    const ev = await keelAsync(["evaluate", s.registered!.dir!, csv, "--json"]);
    expect(ev.code, ev.stderr).toBe(0);
    const evaluation = JSON.parse(ev.stdout) as { threshold: { by: string; threshold: number }; confusion: { labels: string[]; matrix: number[][] } };
    expect(evaluation.threshold).toMatchObject({ by: "model", threshold: d.threshold });
    const predictedBad = out.predictions.filter((p) => p.prediction === "bad").length;
    const col = evaluation.confusion.labels.indexOf("bad");
    expect(evaluation.confusion.matrix.reduce((sum, row) => sum + row[col], 0)).toBe(predictedBad);

    // the model card says both
    const card = readFileSync(path.join(s.registered!.dir!, "..", "model_card.md"), "utf8");
    expect(card).toMatch(/Probabilities calibrated \(Platt's sigmoid\)/);
    expect(card).toMatch(/Decision threshold: `Status` = `bad` when P\(bad\) ≥ 0\.18\d* — least mean cost with fp=1, fn=5/);

    // the CLI prints both
    const again = await keelAsync(["run", dir]);
    expect(again.stdout).toMatch(/calibration: sigmoid, cross-fitted on the stratified k=3 shuffled folds of the training rows/);
    expect(again.stdout).toMatch(new RegExp(`decision threshold: Status = bad when P\\(bad\\) ≥ ${d.threshold!.toFixed(4).slice(0, 5)}`));
  }, 240_000);

  it("isotonic calibration and the threshold of best F1: the out-of-fold F1 is the best over the thresholds tried", async () => {
    const s = await runProject({ project: project(", threshold: { by: f1 }, calibration: isotonic", "[baseline, logistic]"), threads: 1 });
    const d = s.decision!;
    expect(d).toMatchObject({ calibration: "isotonic", positive: "bad", oof: { name: "f1", rows: s.data.train.rows } });
    expect(d.oof!.value).toBeGreaterThan(0.4);
    const model = loadModel(s.registered!.dir!) as ThresholdClassifier;
    expect((model.base as CalibratedClassifier).method).toBe("isotonic");
    // the test metrics are those of the labels at the threshold
    expect(s.test.metrics.f1).toBeGreaterThan(0);
  }, 240_000);

  it("group folds and time-ordered folds: calibrated and thresholded on the run's own folds", async () => {
    const rng = new Rng(9);
    const grouped = ["customer,x,y"];
    const timed = ["day,x,y"];
    for (let i = 0; i < 240; i++) {
      const x = rng.float();
      const label = x + rng.float() > 1 ? "yes" : "no";
      grouped.push(`c${i % 40},${x.toFixed(4)},${label}`);
      timed.push(`2024-01-${String(1 + Math.floor(i / 10)).padStart(2, "0")},${x.toFixed(4)},${label}`);
    }
    const dirOf = (rows: string[], extra: string) => {
      const dir = mkdtempSync(path.join(os.tmpdir(), "keel-calibrate-"));
      writeFileSync(path.join(dir, "data.csv"), rows.join("\n") + "\n");
      writeFileSync(path.join(dir, "keel.yaml"), `name: folds\nproblem: { task: binary, target: y, positive: "yes", threshold: { by: cost, fp: 1, fn: 2 }, calibration: sigmoid }\ndata: { source: data.csv${extra} }\ncv: { folds: 3 }\nmodels: [baseline, logistic]\n${extra ? "" : "split: { test: 0.25, seed: 4, group: customer }\n"}`);
      return dir;
    };
    const g = await runProject({ project: dirOf(grouped, ""), threads: 1 });
    expect(g.cv).toBe("group k=3 by customer");
    expect(g.decision).toMatchObject({ calibration: "sigmoid", oof: { name: "mean_cost", rows: g.data.train.rows } });
    expect((loadModel(g.registered!.dir!) as ThresholdClassifier).signature.inputs.map((c) => c.name)).toEqual(["x"]);
    const t = await runProject({ project: dirOf(timed, ", time: day"), threads: 1 });
    expect(t.cv).toMatch(/^time/);
    // time-ordered folds never hold out the earliest rows: fewer out-of-fold rows than training rows
    expect(t.decision!.oof!.rows).toBeLessThan(t.data.train.rows);
    expect(t.decision!.oof!.rows).toBeGreaterThan(0);
  }, 240_000);

  it("multiclass: isotonic calibration one-vs-rest, normalised; no threshold", async () => {
    const rng = new Rng(5);
    const rows = ["a,b,y"];
    for (let i = 0; i < 210; i++) {
      const a = rng.normal();
      const b = rng.normal();
      const z = a + 0.5 * b + 0.7 * rng.normal();
      rows.push(`${a.toFixed(4)},${b.toFixed(4)},${z < -0.5 ? "low" : z < 0.5 ? "mid" : "high"}`);
    }
    const dir = mkdtempSync(path.join(os.tmpdir(), "keel-calibrate-"));
    writeFileSync(path.join(dir, "data.csv"), rows.join("\n") + "\n");
    writeFileSync(path.join(dir, "keel.yaml"), "name: three\nproblem: { task: multiclass, target: y, calibration: isotonic }\ndata: { source: data.csv }\ncv: { folds: 3 }\nmodels: [baseline, naive-bayes]\n");
    const s = await runProject({ project: dir, threads: 1 });
    expect(s.decision).toMatchObject({ calibration: "isotonic", threshold: null, oof: null });
    const model = loadModel(s.registered!.dir!) as CalibratedClassifier;
    expect(model).toBeInstanceOf(CalibratedClassifier);
    expect(model.calibrators).toHaveLength(3 * 3); // 3 folds × one calibrator per class
    const p = model.predictProba((await readTable(path.join(dir, "data.csv"))).drop(["y"]));
    for (let i = 0; i < p.length / 3; i++) expect(p[3 * i] + p[3 * i + 1] + p[3 * i + 2]).toBeCloseTo(1, 12);
  }, 240_000);

  it("a fixed threshold, no calibration: the refitted model wrapped as it is", async () => {
    const s = await runProject({ project: project(", threshold: 0.35", "[baseline, naive-bayes]"), threads: 1 });
    expect(s.decision).toMatchObject({ calibration: "none", threshold: 0.35, positive: "bad", oof: null });
    const model = loadModel(s.registered!.dir!) as ThresholdClassifier;
    expect(model.threshold).toBe(0.35);
    expect(model.base).not.toBeInstanceOf(CalibratedClassifier);
  }, 120_000);

  it("without either key nothing changes: no decision, the model as before", async () => {
    const s = await runProject({ project: project(""), threads: 1 });
    expect(s.decision).toBeNull();
    expect(loadModel(s.registered!.dir!)).not.toBeInstanceOf(ThresholdClassifier);
  }, 120_000);
});

describe("keel.yaml: problem.threshold and problem.calibration", () => {
  const yaml = (extra: string, task = "binary") => `name: x\nproblem: { task: ${task}, target: y${extra} }\ndata: { source: a.csv }\n`;
  const cases: [string, string, string, unknown, RegExp][] = [
    [", threshold: 1.5", "binary", "problem.threshold", 1.5, /expected a number ≥ 0 and ≤ 1/],
    [", threshold: { by: cost, fp: -1, fn: 5 }", "binary", "problem.threshold.fp", -1, /expected a number > 0/],
    [", threshold: { by: precision }", "binary", "problem.threshold", { by: "precision" }, /\{ by: f1 \| balanced_accuracy/],
    [", threshold: { by: cost, fp: 1 }", "binary", "problem.threshold", { by: "cost", fp: 1 }, /\{ by: cost, fp: <cost of a false positive>, fn: <cost of a false negative> \}/],
    [", calibration: platt", "binary", "problem.calibration", "platt", /expected one of sigmoid \| isotonic \| none/],
    [", threshold: 0.3", "multiclass", "problem.threshold", 0.3, /only applies to task: binary \(task is multiclass\)/],
    [", calibration: sigmoid", "regression", "problem.calibration", "sigmoid", /only applies to classification/],
  ];
  for (const [extra, task, at, value, message] of cases) {
    it(`${task}${extra} is refused at ${at}`, () => {
      const { problems, config } = parseProjectText(yaml(extra, task));
      expect(config).toBeUndefined();
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ path: at, received: value, line: 2 });
      expect(problems[0].message).toMatch(message);
      expect(problems[0].message).toMatch(new RegExp(`^keel\\.yaml:2: ${at.replace(/\./g, "\\.")}`));
    });
  }
  it("the forms it accepts", () => {
    expect(parseProjectText(yaml(", threshold: 0.3")).config!.problem.threshold).toEqual({ by: "fixed", value: 0.3 });
    expect(parseProjectText(yaml(", threshold: { by: cost, fp: 1, fn: 5 }")).config!.problem.threshold).toEqual({ by: "cost", fp: 1, fn: 5 });
    expect(parseProjectText(yaml(", threshold: { by: f1 }, calibration: isotonic")).config!.problem).toMatchObject({ threshold: { by: "f1" }, calibration: "isotonic" });
    expect(parseProjectText(yaml("")).config!.problem).toMatchObject({ threshold: null, calibration: "none" });
  });
});
