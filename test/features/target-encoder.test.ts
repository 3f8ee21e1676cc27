/**
 * target-encoder: the smoothing formulas checked by hand on a tiny example, the cross-fitting
 * contract (a row's training encoding never depends on its own target), seeds, and edge cases.
 * Agreement with the reference implementation of scikit-learn 1.3 is in reference.test.ts.
 */
import { describe, expect, it } from "vitest";
import { KeelError } from "../../src/core/errors.js";
import { Rng } from "../../src/core/rng.js";
import { Frame } from "../../src/data/frame.js";
import { fitEncoding, fitTransform, kFoldAssignment, stratifiedFoldAssignment, targetEncoder } from "../../src/features/index.js";

const tiny = () =>
  Frame.fromColumns({
    c: ["a", "a", "a", "b", "b", null],
    y: [1, 0, 1, 0, 0, 1.5],
  });

describe("target-encoder smoothing, by hand", () => {
  // y = [1, 0, 1, 0, 0, 1.5]: mean 3.5/6, population variance below; categories a, b, missing
  const y = [1, 0, 1, 0, 0, 1.5];
  const mean = 3.5 / 6;
  const variance = y.reduce((s, v) => s + (v - mean) ** 2, 0) / 6;

  it("smooth = m: (sum_c + m·mean) / (n_c + m)", async () => {
    const f = await targetEncoder({ smooth: 2, targetType: "continuous" }).fit(tiny(), { target: "y" });
    const out = f.transform(Frame.fromColumns({ c: ["a", "b", null, "zz"] }));
    const enc = [...(out.column("c") as { values: Float64Array }).values];
    expect(enc[0]).toBeCloseTo((2 + 2 * mean) / (3 + 2), 14);
    expect(enc[1]).toBeCloseTo((0 + 2 * mean) / (2 + 2), 14);
    expect(enc[2]).toBeCloseTo((1.5 + 2 * mean) / (1 + 2), 14); // missing is a category
    expect(enc[3]).toBeCloseTo(mean, 14); // unknown → target mean
  });

  it('smooth = "auto": λ = n·σ² / (n·σ² + s²_c), enc = λ·mean_c + (1 − λ)·mean', async () => {
    const f = await targetEncoder({ targetType: "continuous" }).fit(tiny(), { target: "y" });
    const out = f.transform(Frame.fromColumns({ c: ["a", "b", null] }));
    const enc = [...(out.column("c") as { values: Float64Array }).values];
    // a: values 1, 0, 1 → mean 2/3, within variance ((1/3)² + (2/3)² + (1/3)²)/3 = 2/9
    const lamA = (3 * variance) / (3 * variance + 2 / 9);
    expect(enc[0]).toBeCloseTo(lamA * (2 / 3) + (1 - lamA) * mean, 14);
    // b: values 0, 0 → within variance 0 → λ = 1 → the category mean
    expect(enc[1]).toBeCloseTo(0, 14);
    // missing: one value → within variance 0 → λ = 1
    expect(enc[2]).toBeCloseTo(1.5, 14);
  });

  it("falls back to the mean when λ is undefined (empty category, constant target)", () => {
    const codes = Int32Array.from([0, 0, 1]);
    expect([...fitEncoding(codes, 3, Float64Array.from([2, 2, 2]), null, 2, 0, "auto")]).toEqual([2, 2, 2]);
    expect([...fitEncoding(codes, 3, Float64Array.from([1, 3, 5]), null, 3, 8 / 3, 0)]).toEqual([2, 5, 3]);
  });

  it("binary targets encode P(second class); multiclass gives one column per class", async () => {
    const f = Frame.fromColumns({ c: ["a", "a", "b", "b", "b", "a"], y: ["no", "yes", "yes", "yes", "no", "yes"] });
    const bin = await targetEncoder({ smooth: 0 }).fit(f, { target: "y" });
    expect([...(bin.transform(f.select(["c"])).column("c") as { values: Float64Array }).values]).toEqual([2 / 3, 2 / 3, 2 / 3, 2 / 3, 2 / 3, 2 / 3]);
    const m = Frame.fromColumns({ c: ["a", "a", "b", "b"], y: ["r", "g", "b", "b"] });
    const mc = await targetEncoder({ smooth: 0, cv: 2 }).fit(m, { target: "y" });
    expect(mc.featureNames).toEqual(["c_b", "c_g", "c_r"]);
    const out = mc.transform(m.select(["c"]));
    expect(out.row(0)).toEqual({ c_b: 0, c_g: 0.5, c_r: 0.5 });
    expect(out.row(2)).toEqual({ c_b: 1, c_g: 0, c_r: 0 });
  });
});

describe("target-encoder cross-fitting", () => {
  const rng = new Rng(42);
  const n = 200;
  const cats = Array.from({ length: n }, () => `k${rng.int(15)}`);
  const y = Array.from({ length: n }, () => rng.normal());
  const frame = (ys: number[]) => Frame.fromColumns({ c: cats, y: ys });

  it("a row's training encoding does not depend on its own target", async () => {
    const base = await fitTransform(targetEncoder({ shuffle: false, targetType: "continuous" }), frame(y), { target: "y" });
    for (const i of [0, 17, 99, 199]) {
      const changed = [...y];
      changed[i] += 1000;
      const r = await fitTransform(targetEncoder({ shuffle: false, targetType: "continuous" }), frame(changed), { target: "y" });
      expect(r.output.get(i, "c")).toBe(base.output.get(i, "c"));
      // while the full-data encoding, used for new data, moves
      expect(r.fitted.transform(frame(changed)).get(i, "c")).not.toBe(base.fitted.transform(frame(y)).get(i, "c"));
    }
  });

  it("the same seed gives the same folds; another seed other folds", async () => {
    const a = await fitTransform(targetEncoder({ seed: 1 }), frame(y), { target: "y" });
    const b = await fitTransform(targetEncoder({ seed: 1 }), frame(y), { target: "y" });
    const c = await fitTransform(targetEncoder({ seed: 2 }), frame(y), { target: "y" });
    expect(a.output.toRows()).toEqual(b.output.toRows());
    expect(a.output.toRows()).not.toEqual(c.output.toRows());
    // the fit's Rng is used when no seed is given
    const d = await fitTransform(targetEncoder(), frame(y), { target: "y", rng: new Rng(9) });
    const e = await fitTransform(targetEncoder(), frame(y), { target: "y", rng: new Rng(9) });
    expect(d.output.toRows()).toEqual(e.output.toRows());
    // the saved model is the full-data encoding: independent of the folds
    expect(JSON.stringify(a.fitted.save().state)).toBe(JSON.stringify(c.fitted.save().state));
  });

  it("fold assignments follow KFold / StratifiedKFold", () => {
    expect([...kFoldAssignment(7, 3, false, new Rng(0))]).toEqual([0, 0, 0, 1, 1, 2, 2]);
    // classes by first appearance: 1 then 0; sorted rows dealt round-robin decide per-fold counts
    expect([...stratifiedFoldAssignment(Int32Array.from([1, 1, 0, 1, 0, 0, 1, 1]), 2, false, new Rng(0))]).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    const shuffled = kFoldAssignment(10, 5, true, new Rng(3));
    expect([...shuffled].sort()).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
  });

  it("too few rows for the folds is a clear error when the training output is needed", async () => {
    const small = Frame.fromColumns({ c: ["a", "b", "a"], y: [1.5, 2.5, 3.5] });
    const fitted = await targetEncoder().fit(small, { target: "y" }); // fit alone works (full-data encoding)
    expect(fitted.featureNames).toEqual(["c"]);
    await expect(fitTransform(targetEncoder(), small, { target: "y" })).rejects.toThrow(/cannot make 5 folds from 3 rows/);
    const cls = Frame.fromColumns({ c: ["a", "b", "a", "b"], y: ["u", "v", "u", "v"] });
    await expect(fitTransform(targetEncoder(), cls, { target: "y" })).rejects.toThrow(KeelError);
  });

  it("needs a target and refuses a non-numeric continuous target", async () => {
    await expect(targetEncoder().fit(tiny())).rejects.toThrow(/target/);
    const f = Frame.fromColumns({ c: ["a", "b"], y: ["u", "v"] });
    await expect(targetEncoder({ targetType: "continuous" }).fit(f, { target: "y" })).rejects.toThrow(/regression needs a numeric target|numeric/);
    await expect(targetEncoder({ targetType: "binary" }).fit(Frame.fromColumns({ c: ["a", "b", "c"], y: ["u", "v", "w"] }), { target: "y" })).rejects.toThrow(/3 classes/);
  });
});
