/**
 * Why the whole pipeline is fitted inside each fold: on pure noise, a target encoding computed
 * on all rows before cross-validation "learns" each validation row's own label and inflates the
 * score; fitting the encoder inside each training fold gives the honest, chance-level score.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/core/rng.js";
import { categoricalFromValues, numeric } from "../../../src/data/column.js";
import { Frame } from "../../../src/data/frame.js";
import { crossValidate } from "../../../src/evaluate/cv/index.js";
import { pipeline, targetEncoder } from "../../../src/features/index.js";
import { logistic } from "../../../src/models/index.js";

describe("crossValidate is leak-proof", () => {
  const rng = new Rng(21);
  const n = 600;
  const cat: string[] = [];
  const y: string[] = [];
  for (let i = 0; i < n; i++) {
    cat.push(`c${rng.int(200)}`);
    y.push(rng.float() < 0.5 ? "yes" : "no"); // independent of cat: nothing to learn
  }

  it("a target encoding fitted on all rows inflates the score; the encoder fitted per fold does not", async () => {
    // leaky: each category's mean target over ALL rows, validation rows included
    const sum = new Map<string, number>();
    const count = new Map<string, number>();
    cat.forEach((c, i) => {
      sum.set(c, (sum.get(c) ?? 0) + (y[i] === "yes" ? 1 : 0));
      count.set(c, (count.get(c) ?? 0) + 1);
    });
    const leaked = Frame.fromColumns({ cat_mean: numeric(cat.map((c) => sum.get(c)! / count.get(c)!)), y: categoricalFromValues(y) });
    const leakedCv = await crossValidate(logistic(), leaked, { target: "y", cv: 5, metrics: ["roc_auc"], threads: 1 });
    expect(leakedCv.mean.roc_auc).toBeGreaterThan(0.7);

    const raw = Frame.fromColumns({ cat: categoricalFromValues(cat), y: categoricalFromValues(y) });
    const honest = await crossValidate(pipeline(targetEncoder(), logistic()), raw, { target: "y", cv: 5, metrics: ["roc_auc"], threads: 1 });
    expect(Math.abs(honest.mean.roc_auc - 0.5)).toBeLessThan(0.07);
    expect(honest.folds).toHaveLength(5);
  });

  it("gives the same folds on worker threads, rebuilding the pipeline from its JSON", async () => {
    const raw = Frame.fromColumns({ cat: categoricalFromValues(cat), y: categoricalFromValues(y) });
    const spec = pipeline(targetEncoder(), logistic());
    const opts = { target: "y", cv: { kind: "stratified" as const, k: 4, shuffle: true }, metrics: ["roc_auc", "log_loss"], rng: 5 };
    const inProcess = await crossValidate(spec, raw, { ...opts, threads: 1 });
    // workers import Keel's catalogue (models/, features/) themselves: no workerImports needed
    const threaded = await crossValidate(spec, raw, { ...opts, threads: 2 });
    expect(threaded.folds.map((f) => f.metrics)).toEqual(inProcess.folds.map((f) => f.metrics));
  });
});
