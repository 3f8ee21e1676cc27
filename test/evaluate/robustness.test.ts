import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { Frame } from "../../src/data/frame.js";
import { autoPipeline, logistic } from "../../src/index.js";
import { perturb, robustnessProbes } from "../../src/evaluate/robustness.js";
import { scorePredictions, predictionsFor } from "../../src/evaluate/score.js";

function data(n: number, seed: number): Frame {
  const rng = new Rng(seed);
  const x1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const city: string[] = [];
  const y: string[] = [];
  for (let i = 0; i < n; i++) {
    x1[i] = rng.normal() * 2 + 5;
    x2[i] = rng.normal();
    city.push(["north", "south", "east"][i % 3]);
    y.push(x1[i] - 5 + (city[i] === "north" ? 1 : 0) + 0.5 * rng.normal() > 0 ? "yes" : "no");
  }
  return Frame.fromColumns({ x1, x2, city, y });
}

const job = { target: "y", task: "binary" as const, classes: ["no", "yes"], metrics: ["roc_auc", "accuracy"] };

describe("robustness probes", () => {
  const train = data(600, 1);
  const test = data(400, 2);

  it("perturbs exactly the share of cells asked for, leaves the target alone, and is seeded", () => {
    const missing = perturb(test, "y", "missing_values", 0.1, new Rng(5))!;
    expect(missing.columns).toEqual(["x1", "x2", "city"]);
    const x1 = missing.frame.column("x1") as { values: Float64Array };
    expect(x1.values.filter((v) => Number.isNaN(v)).length).toBe(40);
    expect((missing.frame.column("city") as { codes: Int32Array }).codes.filter((c) => c < 0).length).toBe(40);
    expect(missing.frame.column("y")).toBe(test.column("y"));
    const again = perturb(test, "y", "missing_values", 0.1, new Rng(5))!;
    expect(Array.from((again.frame.column("x1") as { values: Float64Array }).values, (v) => Number.isNaN(v))).toEqual(Array.from(x1.values, (v) => Number.isNaN(v)));

    const unseen = perturb(test, "y", "unseen_categories", 0.25, new Rng(5))!;
    expect(unseen.columns).toEqual(["city"]);
    const city = unseen.frame.column("city") as { codes: Int32Array; categories: readonly string[] };
    expect(city.categories.length).toBe(4);
    expect(city.codes.filter((c) => c === 3).length).toBe(100);

    const out = perturb(test, "y", "out_of_range", 0.1, new Rng(5))!;
    const orig = (test.column("x2") as { values: Float64Array }).values;
    const lo = Math.min(...orig);
    const hi = Math.max(...orig);
    const moved = Array.from((out.frame.column("x2") as { values: Float64Array }).values).filter((v) => v < lo || v > hi);
    expect(moved.length).toBe(40);
    for (const v of moved) expect([hi + (hi - lo), lo - (hi - lo)].some((w) => Math.abs(v - w) < 1e-12)).toBe(true);

    // noise: the added values have standard deviation σ·sd(column)
    const noisy = perturb(test, "y", "gaussian_noise", 0.5, new Rng(5))!;
    const nv = (noisy.frame.column("x1") as { values: Float64Array }).values;
    const ov = (test.column("x1") as { values: Float64Array }).values;
    const sd = (a: ArrayLike<number>) => {
      const m = Array.from(a).reduce((s, v) => s + v, 0) / a.length;
      return Math.sqrt(Array.from(a).reduce((s, v) => s + (v - m) ** 2, 0) / a.length);
    };
    const ratio = sd(Array.from(nv, (v, i) => v - ov[i])) / (0.5 * sd(ov));
    expect(ratio).toBeGreaterThan(0.85);
    expect(ratio).toBeLessThan(1.15);
  });

  it("reports the metric per probe against the clean rows, flags drops beyond the bound, and is the same with the same seed", async () => {
    const model = await autoPipeline(logistic({})).fit(train, { target: "y", threads: 1 });
    const clean = scorePredictions(predictionsFor(model, test, job), ["roc_auc"]).metrics.roc_auc;
    const zero = robustnessProbes(model, test, job, { metric: "roc_auc", noise: 0, probes: ["gaussian_noise"] });
    expect(zero.clean).toBe(clean);
    expect(zero.probes[0].value).toBe(clean);
    expect(zero.probes[0].drop).toBe(0);
    expect(zero.probes[0].flagged).toBe(false);

    const r = robustnessProbes(model, test, job, { metric: "roc_auc", noise: 2, missing: 0.3, unseen: 0.3, outOfRange: 0.3, maxDrop: 0.02, seed: 9 });
    expect(r.probes.map((p) => p.probe)).toEqual(["gaussian_noise", "missing_values", "unseen_categories", "out_of_range"]);
    const noise = r.probes[0];
    expect(noise.drop).toBeGreaterThan(0.02);
    expect(noise.flagged).toBe(true);
    for (const p of r.probes) {
      expect(p.change).toBeCloseTo(p.value - clean, 14);
      expect(p.flagged).toBe(!(p.drop <= 0.02));
    }
    expect(robustnessProbes(model, test, job, { metric: "roc_auc", noise: 2, missing: 0.3, unseen: 0.3, outOfRange: 0.3, maxDrop: 0.02, seed: 9 })).toEqual(r);
  });

  it("fails a probe with the reason when the model refuses the perturbed rows, and skips probes with no feature of their kind", async () => {
    const numericOnly = train.drop(["city"]);
    const bare = await logistic({}).fit(numericOnly, { target: "y", threads: 1 });
    const r = robustnessProbes(bare, test.drop(["city"]), job, { metric: "roc_auc", probes: ["missing_values", "unseen_categories"] });
    expect(r.probes).toHaveLength(1);
    expect(r.probes[0].flagged).toBe(true);
    expect(r.probes[0].error).toMatch(/refused/);
    expect(r.skipped).toEqual([{ probe: "unseen_categories", reason: "no categorical feature" }]);
  });
});
