import { describe, expect, it } from "vitest";
import { KeelError } from "../../../src/core/errors.js";
import { type KeelEvent, withObserver } from "../../../src/core/observe.js";
import { Rng } from "../../../src/core/rng.js";
import { categoricalFromValues, numeric, text } from "../../../src/data/column.js";
import { Frame } from "../../../src/data/frame.js";
import { holdout, kFold, stratifiedKFold } from "../../../src/data/split/index.js";
import { dummyRegressor, linearRegression } from "../../../src/models/index.js";
import { classTarget } from "../../../src/estimator/input.js";
import { WORKER_START_SECONDS, crossValidate, meanStd } from "../../../src/evaluate/cv/index.js";
import { accuracy, logLoss, r2, rocAuc, rootMeanSquaredError } from "../../../src/metrics/index.js";
import { registerEstimators } from "../../../src/estimator/registry.js";
import { centroid, estimators, line } from "./tiny-estimators.js";

const TINY = new URL("./tiny-estimators.ts", import.meta.url);
// this test file is the entry point of its process: it registers the kinds it defines (workers get them through workerImports)
registerEstimators(estimators);

function classification(n: number, seed: number, classes = ["a", "b", "c"]): Frame {
  const rng = new Rng(seed);
  const x1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const label: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = rng.int(classes.length);
    label.push(classes[k]);
    x1[i] = k + rng.normal() * 0.9;
    x2[i] = (k % 2) - rng.normal() * 0.9;
  }
  return Frame.fromColumns({ x1: numeric(x1), x2: numeric(x2), y: categoricalFromValues(label) });
}

describe("crossValidate", () => {
  it("fits on each training fold only and scores its validation fold (checked by hand)", async () => {
    const frame = classification(150, 1);
    const res = await crossValidate(centroid(), frame, { target: "y", cv: { k: 5, shuffle: false }, metrics: ["accuracy", "log_loss", "roc_auc_ovr"], threads: 1 });
    expect(res.task).toBe("multiclass");
    expect(res.classes).toEqual(["a", "b", "c"]);
    expect(res.cv).toBe("stratified k=5");
    const { y } = classTarget(frame, "y");
    const splits = stratifiedKFold(y, { k: 5 });
    expect(res.folds).toHaveLength(5);
    for (const [f, s] of splits.entries()) {
      const model = await centroid().fit(frame.take(s.train), { target: "y" });
      const test = frame.take(s.test);
      const yt = y.filter((_, i) => s.test.includes(i));
      const pred = Int32Array.from(model.predict(test).codes);
      const proba = model.predictProba(test);
      const fold = res.folds[f];
      expect(fold.trainRows).toBe(s.train.length);
      expect(fold.testRows).toBe(s.test.length);
      expect(fold.metrics.accuracy).toBe(accuracy(yt, pred));
      expect(fold.metrics.log_loss).toBe(logLoss(yt, proba));
      expect(fold.metrics.roc_auc_ovr).toBe(rocAuc(yt, proba));
      expect(fold.fitSeconds).toBeGreaterThanOrEqual(0);
      expect(fold.scoreSeconds).toBeGreaterThanOrEqual(0);
    }
    const acc = res.folds.map((f) => f.metrics.accuracy);
    const m = acc.reduce((a, b) => a + b) / 5;
    expect(res.mean.accuracy).toBeCloseTo(m, 14);
    expect(res.std.accuracy).toBeCloseTo(Math.sqrt(acc.reduce((a, b) => a + (b - m) ** 2, 0) / 5), 14); // ddof = 0
    expect(res.mean.accuracy).toBeGreaterThan(0.6);
  });

  it("defaults to shuffled stratified 5-fold and the task's metrics for classification, shuffled 5-fold for regression", async () => {
    const frame = classification(100, 2, ["no", "yes"]);
    const res = await crossValidate(centroid(), frame, { target: "y", threads: 1 });
    expect(res.task).toBe("binary");
    expect(res.cv).toBe("stratified k=5 shuffled");
    expect(res.metrics).toContain("roc_auc");
    expect(Object.keys(res.mean)).toEqual(res.metrics);
    const rng = new Rng(3);
    const x = Float64Array.from({ length: 60 }, () => rng.normal());
    const reg = Frame.fromColumns({ x: numeric(x), y: numeric(x.map((v) => 2 * v + 1 + rng.normal() * 0.1)) });
    const rr = await crossValidate(line(), reg, { target: "y", threads: 1 });
    expect(rr.task).toBe("regression");
    expect(rr.cv).toBe("kfold k=5 shuffled");
    expect(rr.metrics).toEqual(["rmse", "mae", "r2", "median_absolute_error"]);
    // the folds are shuffled by a generator forked from the caller's (seed 0 by default)
    const splits = kFold(60, { k: 5, shuffle: true, rng: new Rng(0).fork() });
    for (const [f, s] of splits.entries()) {
      const model = await line().fit(reg.take(s.train), { target: "y" });
      const yt = (reg.column("y") as { values: Float64Array }).values.filter((_, i) => s.test.includes(i));
      const pred = model.predict(reg.take(s.test));
      expect(rr.folds[f].metrics.rmse).toBe(rootMeanSquaredError(yt, pred));
      expect(rr.folds[f].metrics.r2).toBe(r2(yt, pred));
    }
    expect(rr.mean.r2).toBeGreaterThan(0.99);
  });

  it("on a file sorted by its target, shuffled CV agrees with the test score (unshuffled folds do not)", async () => {
    const rng = new Rng(21);
    const n = 800;
    const cols = { x1: new Float64Array(n), x2: new Float64Array(n), y: new Float64Array(n) };
    for (let i = 0; i < n; i++) {
      cols.x1[i] = rng.normal();
      cols.x2[i] = rng.normal();
      cols.y[i] = 3 * cols.x1[i] - 2 * cols.x2[i] + 0.8 * rng.normal();
    }
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => cols.y[a] - cols.y[b]);
    const sorted = Frame.fromColumns({ x1: numeric(order.map((i) => cols.x1[i])), x2: numeric(order.map((i) => cols.x2[i])), y: numeric(order.map((i) => cols.y[i])) });
    const split = holdout(sorted, { testSize: 0.25, rng: 1 });
    const train = sorted.take(split.train);
    const model = await linearRegression().fit(train, { target: "y" });
    const test = sorted.take(split.test);
    const testR2 = r2((test.column("y") as { values: Float64Array }).values, model.predict(test));
    const shuffled = await crossValidate(linearRegression(), train, { target: "y", metrics: ["r2"], threads: 1, rng: 3 });
    const inOrder = await crossValidate(linearRegression(), train, { target: "y", cv: { k: 5, shuffle: false }, metrics: ["r2"], threads: 1 });
    expect(Math.abs(shuffled.mean.r2 - testR2)).toBeLessThan(0.02);
    expect(inOrder.mean.r2).toBeLessThan(testR2 - 0.3);
    // the dummy: about 0 when shuffled, far below when each fold holds one range of the target
    const dummy = await crossValidate(dummyRegressor(), train, { target: "y", metrics: ["r2"], threads: 1, rng: 3 });
    const dummyInOrder = await crossValidate(dummyRegressor(), train, { target: "y", cv: { k: 5, shuffle: false }, metrics: ["r2"], threads: 1 });
    expect(dummy.mean.r2).toBeGreaterThan(-0.05);
    expect(dummyInOrder.mean.r2).toBeLessThan(-5);
  });

  it("repeats shuffled k-fold: k · repeats folds, summarised together", async () => {
    const frame = classification(120, 12);
    const res = await crossValidate(centroid(), frame, { target: "y", cv: { k: 4, repeats: 3 }, metrics: ["accuracy"], threads: 1, rng: 2 });
    expect(res.cv).toBe("stratified k=4 shuffled ×3 repeats");
    expect(res.folds).toHaveLength(12);
    expect(res.folds.reduce((s, f) => s + f.testRows, 0)).toBe(360);
    expect(res.mean.accuracy).toBeCloseTo(meanStd(res.folds.map((f) => f.metrics.accuracy)).mean, 14);
  });

  it("gives identical results for any thread count, on real worker threads", async () => {
    const frame = classification(300, 4);
    const opts = { target: "y", cv: { kind: "stratified" as const, k: 6, shuffle: true }, metrics: ["accuracy", "neg_log_loss", "f1_macro"], rng: 11, workerImports: [TINY] };
    const one = await crossValidate(centroid({ jitter: 0.3 }), frame, { ...opts, threads: 1 });
    const two = await crossValidate(centroid({ jitter: 0.3 }), frame, { ...opts, threads: 2 });
    const three = await crossValidate(centroid({ jitter: 0.3 }), frame, { ...opts, threads: 3 });
    const metricsOf = (r: typeof one) => r.folds.map((f) => f.metrics);
    expect(metricsOf(two)).toEqual(metricsOf(one));
    expect(metricsOf(three)).toEqual(metricsOf(one));
    expect(two.mean).toEqual(one.mean);
    // the fold generators matter: another seed moves the jittered centroids
    const other = await crossValidate(centroid({ jitter: 0.3 }), frame, { ...opts, threads: 1, rng: 12 });
    expect(metricsOf(other)).not.toEqual(metricsOf(one));
  });

  it("emits one fold event per fold, in fold order, and the summary metrics", async () => {
    const frame = classification(120, 5);
    const events: KeelEvent[] = [];
    const res = await withObserver({ onEvent: (e) => events.push(e) }, () =>
      crossValidate(centroid(), frame, { target: "y", cv: 4, metrics: ["accuracy"], threads: 2, workerImports: [TINY] }),
    );
    const folds = events.filter((e) => e.type === "fold");
    expect(folds.map((e) => (e as { fold: number }).fold)).toEqual([0, 1, 2, 3]);
    expect(folds.map((e) => (e as { metrics: Record<string, number> }).metrics.accuracy)).toEqual(res.folds.map((f) => f.metrics.accuracy));
    expect(events.filter((e) => e.type === "metric").map((e) => (e as { key: string }).key)).toEqual(["cv_accuracy_mean", "cv_accuracy_std"]);
    // fits inside folds do not log their own params as if they were the run's model
    expect(events.filter((e) => e.type === "params")).toHaveLength(0);
  });

  it("accepts ready splits, group and time splitters", async () => {
    const frame = classification(90, 6);
    const g = frame.withColumn("g", categoricalFromValues(Array.from({ length: 90 }, (_, i) => `u${i % 9}`)));
    const byGroup = await crossValidate(centroid(), g, { target: "y", cv: { kind: "group", k: 3, groups: "g" }, metrics: ["accuracy"], threads: 1 });
    expect(byGroup.cv).toBe("group k=3 by g");
    expect(byGroup.folds.map((f) => f.testRows)).toEqual([30, 30, 30]);
    const rng = new Rng(8);
    const x = Float64Array.from({ length: 50 }, () => rng.normal());
    const reg = Frame.fromColumns({ x: numeric(x), y: numeric(x.map((v) => v * 3)) });
    const t = await crossValidate(line(), reg, { target: "y", cv: { kind: "time", nSplits: 4, gap: 2 }, metrics: ["mae"], threads: 1 });
    expect(t.folds.map((f) => [f.trainRows, f.testRows])).toEqual([[8, 10], [18, 10], [28, 10], [38, 10]]);
    const given = await crossValidate(line(), reg, { target: "y", cv: [{ train: Int32Array.from([0, 1, 2, 3]), test: Int32Array.from([4, 5]) }], metrics: ["mae"], threads: 1 });
    expect(given.folds).toHaveLength(1);
    expect(given.mean.mae).toBeCloseTo(0, 12);
  });

  it("reports a metric that a fold cannot compute as not available, with the fold and the reason", async () => {
    // the last fold's test rows are all of one class: ROC AUC is undefined there
    const n = 40;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const frame = Frame.fromColumns({ x1: numeric(x), y: categoricalFromValues(Array.from({ length: n }, (_, i) => (i < 30 && i % 2 === 0 ? "p" : "q"))) });
    const res = await crossValidate(centroid(), frame, { target: "y", cv: { kind: "kfold", k: 4, shuffle: false }, metrics: ["roc_auc", "accuracy"], threads: 1 });
    expect(res.folds[3].metrics.roc_auc).toBeNaN();
    expect(res.folds[3].unavailable?.roc_auc).toMatch(/^roc_auc is not available: class "p" is absent from these 10 rows \(only one class/);
    expect(res.folds[0].unavailable).toBeUndefined();
    expect(res.mean.roc_auc).toBeNaN();
    expect(res.unavailable.roc_auc).toMatch(/^roc_auc is not available on 1 of 4 folds \(3\); fold 3: roc_auc is not available: class "p" is absent/);
    expect(res.unavailable.accuracy).toBeUndefined();
    expect(Number.isFinite(res.mean.accuracy)).toBe(true);
  });

  it("multiclass roc_auc_ovr on a fold missing a class: not available, naming the class", async () => {
    // class c has 2 rows, both at the start: unshuffled 4-fold puts them in fold 0 only
    const frame = classification(40, 13).withColumn("y", categoricalFromValues(Array.from({ length: 40 }, (_, i) => (i < 2 ? "c" : i % 2 ? "a" : "b"))));
    const res = await crossValidate(centroid(), frame, { target: "y", cv: { kind: "kfold", k: 4, shuffle: false }, metrics: ["roc_auc_ovr", "accuracy"], threads: 1 });
    expect(res.folds.map((f) => Object.keys(f.unavailable ?? {}))).toEqual([[], ["roc_auc_ovr"], ["roc_auc_ovr"], ["roc_auc_ovr"]]);
    expect(res.folds[1].unavailable!.roc_auc_ovr).toMatch(/^roc_auc_ovr is not available: class "c" is absent from these 10 rows/);
    expect(res.unavailable).toEqual({ roc_auc_ovr: expect.stringMatching(/^roc_auc_ovr is not available on 3 of 4 folds \(1, 2, 3\)/) });
    expect(JSON.parse(JSON.stringify(res)).unavailable.roc_auc_ovr).toBe(res.unavailable.roc_auc_ovr);
  });

  it("rejects bad arguments with clear errors", async () => {
    const frame = classification(60, 7);
    await expect(crossValidate(centroid(), frame, { target: "nope", threads: 1 })).rejects.toThrow(/target column "nope" is not in the frame/);
    await expect(crossValidate(centroid(), frame, { target: "y", metrics: ["roc_auc"], threads: 1 })).rejects.toThrow(/metric "roc_auc" applies to binary tasks, not multiclass/);
    await expect(crossValidate(centroid(), frame, { target: "y", metrics: ["rmse"], threads: 1 })).rejects.toThrow(/applies to regression tasks/);
    await expect(crossValidate(centroid(), frame, { target: "y", metrics: ["auc"], threads: 1 })).rejects.toThrow(/unknown metric "auc"/);
    await expect(crossValidate(centroid(), frame, { target: "y", cv: 1, threads: 1 })).rejects.toThrow(/k must be an integer ≥ 2/);
    await expect(crossValidate(centroid(), frame, { target: "y", cv: 100, threads: 1 })).rejects.toThrow(KeelError);
    await expect(crossValidate(centroid(), frame, { target: "y", threads: 0 })).rejects.toThrow(/threads must be an integer ≥ 1/);
    await expect(crossValidate(centroid(), frame, { target: "y", cv: [{ train: Int32Array.of(0), test: Int32Array.of(99) }], threads: 1 })).rejects.toThrow(/cv\[0\].test\[0\] is 99, not a row/);
    await expect(crossValidate(centroid(), frame, { target: "y", cv: { kind: "stratified", k: 3 }, threads: 1 }).then((r) => r.cv)).resolves.toBe("stratified k=3 shuffled");
    await expect(crossValidate(centroid(), frame, { target: "y", cv: "5" as never, threads: 1 })).rejects.toThrow(/cv must be a fold count.*got "5"/);
    await expect(crossValidate(centroid(), frame, { target: "y", cv: { k: 3, repeats: 2, shuffle: false }, threads: 1 })).rejects.toThrow(/repeats=2 needs shuffle: true/);
    await expect(crossValidate(line(), frame.withColumn("x", frame.column("x1")), { target: "y", threads: 1 })).rejects.toThrow(/target column "y" is categorical; regression needs a numeric target/);
  });

  it("names the fold when fitting fails, in process and in a worker", async () => {
    const reg = Frame.fromColumns({ x: text(Array.from({ length: 20 }, (_, i) => `v${i}`)), y: numeric(Float64Array.from({ length: 20 }, (_, i) => i)) });
    await expect(crossValidate(line(), reg, { target: "y", cv: 2, threads: 1 })).rejects.toThrow(/^fold 0: column "x" is text and cannot be used as numbers/);
    const err = await crossValidate(line(), reg, { target: "y", cv: 2, threads: 2, workerImports: [TINY] }).catch((e) => e);
    expect(err).toBeInstanceOf(KeelError);
    expect(err.code).toBe("INVALID_INPUT");
    expect(err.message).toMatch(/^fold [01]: column "x" is text/);
    // an estimator unknown to the workers (no workerImports): the message says what to do
    const frame = classification(60, 9);
    await expect(crossValidate(centroid(), frame, { target: "y", cv: 2, threads: 2 })).rejects.toThrow(/fold [01]: unknown estimator kind "cv-test-centroid".*workerImports/);
  });

  it("without threads, keeps cheap folds in process and sends slow ones to workers", async () => {
    const saved = process.env.KEEL_THREADS;
    process.env.KEEL_THREADS = "2";
    try {
      const frame = classification(90, 10);
      const base = { target: "y", cv: 3, metrics: ["accuracy"] };
      // fast fits: everything in process, so a kind the workers do not know is no problem
      const fast = await crossValidate(centroid(), frame, base);
      expect(fast.folds).toHaveLength(3);
      // slow fits (two folds left on two threads save one fold's time, more than starting
      // workers costs): folds 1 and 2 go to workers, which must be told where the kind is defined
      const delayMs = WORKER_START_SECONDS * 1000 + 100;
      await expect(crossValidate(centroid({ delayMs }), frame, base)).rejects.toThrow(/fold [12]: unknown estimator kind "cv-test-centroid".*workerImports/);
      const slow = await crossValidate(centroid({ delayMs }), frame, { ...base, workerImports: [TINY] });
      expect(slow.folds.map((f) => f.metrics)).toEqual(fast.folds.map((f) => f.metrics));
    } finally {
      if (saved === undefined) delete process.env.KEEL_THREADS;
      else process.env.KEEL_THREADS = saved;
    }
  });

  it("computes population mean and std", () => {
    expect(meanStd([1, 2, 3, 4])).toEqual({ mean: 2.5, std: Math.sqrt(1.25) });
    expect(meanStd([1, NaN]).mean).toBeNaN();
  });
});
