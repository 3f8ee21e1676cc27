/**
 * Binary log loss from both columns of a model's probabilities, as scikit-learn's `neg_log_loss`
 * scorer computes it from `predict_proba`, near the clipping bound where the positive column
 * alone loses P(class 0)'s precision (test/fixtures/metrics/make_log_loss_bounds.py).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Frame } from "../../src/data/frame.js";
import { predictionsFor, scorePredictions } from "../../src/evaluate/score.js";
import { logLoss, scorer } from "../../src/metrics/index.js";
import { gaussianNb } from "../../src/models/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const ref = JSON.parse(readFileSync(path.join(here, "../fixtures/metrics/log-loss-bounds.json"), "utf8"));

describe("binary log loss near the clipping bound", () => {
  const y = Int32Array.from(ref.y as number[]);
  const P = Float64Array.from(ref.proba as number[]);
  const positive = Float64Array.from({ length: y.length }, (_, i) => P[2 * i + 1]);

  it("from both columns equals scikit-learn's log_loss(y, predict_proba) bit for bit", () => {
    expect(logLoss(y, P)).toBe(ref.twoColumns);
    expect(logLoss(y, P, { sampleWeight: Float64Array.from(ref.weights) })).toBe(ref.twoColumnsWeighted);
    expect(logLoss(y, P, { normalize: false })).toBe(ref.twoColumnsSum);
  });

  it("from the positive column alone equals log_loss on a 1-D input — a different number", () => {
    expect(logLoss(y, positive)).toBe(ref.positiveColumn);
    expect(Math.abs(ref.positiveColumn - ref.twoColumns) / ref.twoColumns).toBeGreaterThan(1e-9);
  });

  it("the log_loss scorers take both columns of a binary model", async () => {
    expect(scorer("log_loss").input).toBe("proba");
    expect(scorer("neg_log_loss").input).toBe("proba");
    const rows = Frame.fromColumns({ a: Float64Array.of(-3, -2.5, -2, 2, 2.6, 3.1, -2.2, 2.4), y: ["n", "n", "n", "y", "y", "y", "y", "n"] });
    const m = await gaussianNb().fit(rows, { target: "y" });
    const p = predictionsFor(m, rows, { target: "y", task: "binary", classes: ["n", "y"] });
    const proba = m.predictProba(rows.drop(["y"]));
    expect([...p.proba!]).toEqual([...proba]);
    expect(scorePredictions(p, ["neg_log_loss"]).metrics.neg_log_loss).toBe(-logLoss(p.yTrue, proba));
  });
});
