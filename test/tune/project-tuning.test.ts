/**
 * Tuning inside cross-validation: crossValidate's per-fold callback, the CV objective (its value
 * is the CV mean of the training rows for the trial's parameters, to the last bit; pruned trials
 * stop after a fold), keel.yaml's `tune:` block and its errors, and `keel tune` / `keel run` on a
 * project: the study logged under the run, and the tuned parameters refitted.
 */
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readTable } from "../../src/data/io/index.js";
import { classTarget } from "../../src/estimator/input.js";
import { crossValidate } from "../../src/evaluate/cv/index.js";
import { runProject, tuneProject } from "../../src/pipeline/run-project.js";
import { splitData } from "../../src/pipeline/steps/split.js";
import { trainingSpec } from "../../src/project/catalog.js";
import { loadProject, parseProjectText } from "../../src/project/config.js";
import { closeTrackingStores, openStore } from "../../src/track/index.js";
import { createStudy, cvObjective, spaceDistributions } from "../../src/tune/index.js";

const fixture = path.resolve(import.meta.dirname, "../fixtures/cli/credit-300.csv");

const YAML = `name: credit
problem: { task: binary, target: Status, positive: bad, metric: roc_auc }
data: { source: credit.csv }
split: { test: 0.25, stratify: true, seed: 7 }
cv: { folds: 3 }
models: [baseline, { gbdt: { maxIter: 20 } }]
tune:
  gbdt:
    space:
      learningRate: { float: [0.02, 0.5], log: true }
      maxLeaves: { int: [4, 32], log: true }
      minSamplesLeaf: { int: [5, 40] }
    sampler: { name: tpe, seed: 3, nStartupTrials: 3 }
    pruner: { name: median, nStartupTrials: 2 }
    trials: 6
`;

function project(yaml = YAML): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "keel-tune-"));
  copyFileSync(fixture, path.join(dir, "credit.csv"));
  writeFileSync(path.join(dir, "keel.yaml"), yaml);
  return dir;
}

afterAll(() => closeTrackingStores());

describe("crossValidate's onFold", () => {
  it("is called in fold order, and throwing from it stops the folds that have not started", async () => {
    const frame = await readTable(fixture);
    const seen: number[] = [];
    const all = await crossValidate(trainingSpec("logistic", "classification"), frame, { target: "Status", cv: 4, metrics: ["roc_auc"], threads: 1, rng: 1, onFold: (f) => seen.push(f.fold) });
    expect(seen).toEqual([0, 1, 2, 3]);
    const stop = new Error("enough");
    const stopped: { fold: number; auc: number }[] = [];
    await expect(
      crossValidate(trainingSpec("logistic", "classification"), frame, {
        target: "Status",
        cv: 4,
        metrics: ["roc_auc"],
        threads: 1,
        rng: 1,
        onFold: (f) => {
          stopped.push({ fold: f.fold, auc: f.metrics.roc_auc });
          if (f.fold === 1) throw stop;
        },
      }),
    ).rejects.toBe(stop);
    expect(stopped).toEqual(all.folds.slice(0, 2).map((f) => ({ fold: f.fold, auc: f.metrics.roc_auc })));
  });
});

describe("cvObjective", () => {
  it("scores a trial by the CV mean of its parameters and reports the running mean after each fold", async () => {
    const frame = await readTable(fixture);
    const space = spaceDistributions({ learningRate: { float: [0.02, 0.5], log: true }, maxLeaves: { int: [4, 32], log: true } });
    const specFor = (p: Record<string, unknown>) => trainingSpec("gbdt", "classification", { maxIter: 15, ...p });
    const study = await createStudy({ direction: "maximize", sampler: { name: "random", seed: 2 }, pruner: { name: "median", nStartupTrials: 2 } });
    await study.optimize(cvObjective({ space, specFor, frame, target: "Status", cv: 3, metric: "roc_auc", positive: "bad", seed: 5, threads: 1 }), { nTrials: 8 });
    const complete = study.trials.filter((t) => t.state === "complete");
    expect(complete.length).toBeGreaterThanOrEqual(2);
    for (const t of study.trials) {
      if (t.state === "pruned") expect(Object.keys(t.intermediateValues).length).toBeLessThan(3);
      else expect(t.state).toBe("complete");
    }
    for (const t of complete.slice(0, 2)) {
      const cv = await crossValidate(specFor(t.params), frame, { target: "Status", cv: 3, metrics: ["roc_auc"], positive: "bad", rng: 5, threads: 1 });
      expect(t.value).toBe(cv.mean.roc_auc);
      const running = cv.folds.map((_, k) => cv.folds.slice(0, k + 1).reduce((s, f) => s + f.metrics.roc_auc, 0) / (k + 1));
      expect(t.intermediateValues).toEqual({ 0: running[0], 1: running[1], 2: running[2] });
    }
  }, 120_000);
});

describe("keel.yaml tune:", () => {
  it("names the line of a model it cannot tune, a bad range, a bad sampler", () => {
    const bad = YAML.replace("  gbdt:\n    space:", "  forest:\n    space:").replace("learningRate: { float: [0.02, 0.5], log: true }", "learningRate: { float: [0.5, 0.02] }");
    const { problems } = parseProjectText(bad);
    expect(problems.map((p) => [p.path, p.line])).toEqual([["tune.forest", 8]]);
    const range = parseProjectText(YAML.replace("[0.02, 0.5], log: true", "[0.5, 0.02]")).problems;
    expect(range.map((p) => [p.path, p.line])).toEqual([["tune.gbdt.space.learningRate", 10]]);
    expect(range[0].message).toMatch(/low ≤ high/);
    const sampler = parseProjectText(YAML.replace("name: tpe, seed: 3", "name: bayes, seed: 3")).problems;
    expect(sampler.map((p) => p.path)).toEqual(["tune.gbdt.sampler"]);
    const shape = parseProjectText(YAML.replace("minSamplesLeaf: { int: [5, 40] }", "minSamplesLeaf: { between: [5, 40] }")).problems;
    expect(shape[0].path).toBe("tune.gbdt.space.minSamplesLeaf");
    expect(shape[0].message).toMatch(/\{ float: \[low, high\] \}/);
  });
});

describe("keel tune and keel run with a tune: block", () => {
  it("tunes inside CV on the training rows, logs the study under the run, and keel run refits the best parameters", async () => {
    const dir = project();
    const t = await tuneProject({ project: dir, threads: 1 });
    expect(t.studies).toHaveLength(1);
    const s = t.studies[0];
    expect(s.trials).toBe(6);
    expect(Object.keys(s.bestParams).sort()).toEqual(["learningRate", "maxLeaves", "minSamplesLeaf"]);
    expect((s.states.complete ?? 0) + (s.states.pruned ?? 0)).toBe(6);

    // the best value is the CV mean on the training rows (never the sealed test rows) for those parameters
    const p = loadProject(dir);
    const frame = await readTable(path.join(dir, "credit.csv"));
    const split = await splitData(frame, p.config, classTarget(frame, "Status", ["good", "bad"]).y);
    const cv = await crossValidate(trainingSpec("gbdt", "classification", { maxIter: 20, ...s.bestParams }), split.train, { target: "Status", cv: { k: 3, shuffle: true, repeats: 1 }, metrics: ["roc_auc"], positive: "bad", rng: 7, threads: 1 });
    expect(s.bestValue).toBe(cv.mean.roc_auc);

    // the study is a run under the tune step's run, under the walk's run; each trial a child run of the study
    const store = await openStore(undefined, { projectDir: dir });
    const studyRun = await store.getRun(s.studyRunId!);
    const stepRun = await store.getRun(studyRun.data.tags.find((x) => x.key === "mlflow.parentRunId")!.value);
    expect(stepRun.data.tags.find((x) => x.key === "mlflow.parentRunId")!.value).toBe(t.runId);
    const trials = await store.searchRuns({ experimentIds: [studyRun.info.experimentId], filter: `tags.\`mlflow.parentRunId\` = '${s.studyRunId}'` });
    expect(trials.items).toHaveLength(6);

    // keel run: the tune step comes from the cache, and the gbdt candidate is cross-validated and refitted with the best parameters
    const r = await runProject({ project: dir, threads: 1, registerFailing: false });
    const gbdt = r.candidates.find((c) => c.kind.startsWith("gbdt"))!;
    expect(gbdt.params).toEqual({ maxIter: 20, ...s.bestParams });
    expect(gbdt.cv.mean).toBe(s.bestValue);
  }, 300_000);

  it("refuses a project that tunes nothing", async () => {
    const dir = project(YAML.slice(0, YAML.indexOf("tune:")));
    await expect(tuneProject({ project: dir, threads: 1 })).rejects.toThrow(/tunes no candidate/);
  });
});
