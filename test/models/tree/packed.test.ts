/**
 * The packed predict-time layout and the threaded batch path must give exactly the plain walk's
 * sums: every row's trees added in tree order. Checked bit for bit on missing values, unseen
 * categories, categorical-partition splits, one to three outputs, batches that are not a multiple
 * of four rows, single-leaf trees, and a large batch that worker threads share.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/core/rng.js";
import { categoricalFromValues } from "../../../src/data/column.js";
import { Frame } from "../../../src/data/frame.js";
import { forestClassifier, forestRegressor, extraTreesClassifier } from "../../../src/models/forest/index.js";
import {
  accumulateLeafValues,
  accumulatePacked,
  accumulateParallel,
  packTrees,
  sharedF64,
  treeClassifier,
  treeRegressor,
  warmPredictPool,
  type TreeEnsemble,
} from "../../../src/models/tree/index.js";

/** Numeric x (some missing), z, a categorical shop (some missing), and 2- and 3-class and numeric targets. */
function data(n: number, seed: number, withShop = true): Frame {
  const rng = new Rng(seed);
  const x = new Float64Array(n);
  const z = new Float64Array(n);
  const shop: (string | null)[] = [];
  const y2: string[] = [];
  const y3: string[] = [];
  const yr = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = i % 7 === 0 ? NaN : rng.normal();
    z[i] = rng.float();
    shop.push(i % 9 === 0 ? null : ["a", "b", "c", "d", "e"][rng.int(5)]);
    const s = (Number.isNaN(x[i]) ? 1 : x[i]) + (shop[i] === "b" || shop[i] === "d" ? 1 : 0) + 0.3 * rng.normal();
    y2.push(s > 0.8 ? "up" : "down");
    y3.push(s > 1.2 ? "hi" : s > 0.2 ? "mid" : "lo");
    yr[i] = 3 * s + z[i];
  }
  const cols = { x, z, y2, y3, yr };
  return Frame.fromColumns(withShop ? { ...cols, shop: categoricalFromValues(shop) } : cols);
}

/** Probe rows: fresh x and z (more of them missing) and, with `withShop`, shops including an unseen one. */
function probe(n: number, seed: number, withShop = true): Frame {
  const rng = new Rng(seed);
  const x = Float64Array.from({ length: n }, (_, i) => (i % 6 === 0 ? NaN : rng.normal()));
  const z = Float64Array.from({ length: n }, (_, i) => (i % 17 === 0 ? NaN : rng.float()));
  if (!withShop) return Frame.fromColumns({ x, z });
  const shops = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? "zzz-unseen" : i % 11 === 0 ? null : ["a", "b", "c", "d", "e"][rng.int(5)]));
  return Frame.fromColumns({ x, z, shop: categoricalFromValues(shops) });
}

/** The plain walk's mean over trees, as `TreeEnsemble.valuesOf` computed it before packing existed. */
function plain(e: TreeEnsemble, rows: { X: Float64Array; n: number; p: number }): Float64Array {
  const out = new Float64Array(rows.n * e.arrays.nOutputs);
  accumulateLeafValues(e.arrays, e.roots, rows, out, 1);
  const trees = e.roots.length;
  if (trees > 1) for (let i = 0; i < out.length; i++) out[i] /= trees;
  return out;
}

function packedSums(e: TreeEnsemble, rows: { X: Float64Array; n: number; p: number }): Float64Array {
  const out = new Float64Array(rows.n * e.arrays.nOutputs);
  accumulatePacked(packTrees(e.arrays, e.roots), rows.X, rows.p, out, 0, rows.n);
  return out;
}

function plainSums(e: TreeEnsemble, rows: { X: Float64Array; n: number; p: number }): Float64Array {
  const out = new Float64Array(rows.n * e.arrays.nOutputs);
  accumulateLeafValues(e.arrays, e.roots, rows, out, 1);
  return out;
}

/** Bit-for-bit equality (Object.is: NaN equals NaN, −0 differs from +0). */
function expectSameBits(a: Float64Array, b: Float64Array): void {
  expect(a.length).toBe(b.length);
  let differ = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) differ++;
  expect(differ).toBe(0);
}

function hasCategoricalSplit(e: TreeEnsemble): boolean {
  return e.arrays.catOffset.some((c, i) => c >= 0 && e.arrays.left[i] >= 0);
}

function hasMissingLeft(e: TreeEnsemble): boolean {
  return e.arrays.missingLeft.some((m, i) => m === 1 && e.arrays.left[i] >= 0);
}

describe("packed trees predict exactly what the node arrays do", () => {
  it("forests and single trees, 1–3 outputs, missing values, categorical partitions, odd batch sizes", async () => {
    const train = data(500, 1);
    const cases = [
      await forestClassifier({ nEstimators: 12, seed: 1 }).fit(train.drop(["y3", "yr"]), { target: "y2", threads: 1 }),
      await forestClassifier({ nEstimators: 12, seed: 2 }).fit(train.drop(["y2", "yr"]), { target: "y3", threads: 1 }),
      await extraTreesClassifier({ nEstimators: 12, seed: 3 }).fit(train.drop(["y2", "yr"]), { target: "y3", threads: 1 }),
      await forestRegressor({ nEstimators: 12, seed: 4 }).fit(train.drop(["y2", "y3"]), { target: "yr", threads: 1 }),
      await treeClassifier().fit(train.drop(["y2", "yr"]), { target: "y3" }),
      await treeRegressor({ maxLeafNodes: 20 }).fit(train.drop(["y2", "y3"]), { target: "yr" }), // best-first node order
    ];
    const numericOnly = data(500, 5, false);
    cases.push(await forestClassifier({ nEstimators: 12, seed: 6 }).fit(numericOnly.drop(["y3", "yr"]), { target: "y2", threads: 1 }));
    cases.push(await forestRegressor({ nEstimators: 12, seed: 7 }).fit(numericOnly.drop(["y2", "y3"]), { target: "yr", threads: 1 }));
    for (const [c, m] of cases.entries()) {
      const e = m.ensemble;
      expect(hasMissingLeft(e)).toBe(true);
      // multi-class trees cut category codes as ordered numbers; the others partition them
      expect([c, hasCategoricalSplit(e)]).toEqual([c, [0, 3, 5].includes(c)]);
      for (const n of [1, 3, 4, 7, 301, 1030]) {
        const rows = e.matrix(probe(n, 10 + n, c < 6));
        expectSameBits(packedSums(e, rows), plainSums(e, rows));
      }
    }
  });

  it("a tree that is a single leaf", async () => {
    const train = Frame.fromColumns({ x: [1, 2, 3, 4], y: [5, 5, 5, 5] });
    const m = await treeRegressor().fit(train, { target: "y" });
    expect(m.ensemble.arrays.nodeCount).toBe(1);
    const rows = m.ensemble.matrix(Frame.fromColumns({ x: [0, NaN, 9, 2, 3] }));
    expectSameBits(packedSums(m.ensemble, rows), plainSums(m.ensemble, rows));
  });

  it("TreeEnsemble.valuesOf: small batches, then the packed path, give the plain results", async () => {
    const train = data(400, 2);
    const m = await forestClassifier({ nEstimators: 10, seed: 2 }).fit(train.drop(["y2", "yr"]), { target: "y3", threads: 1 });
    const e = m.ensemble;
    for (let r = 0; r < 40; r++) {
      // early batches walk the node arrays; once packing has paid off, the packed layout
      const rows = e.matrix(probe(5 + r, 100 + r));
      expectSameBits(e.valuesOf(rows), plain(e, rows));
    }
    e.prepare();
    const rows = e.matrix(probe(999, 7));
    expectSameBits(e.valuesOf(rows), plain(e, rows));
  });
});

describe("the threaded batch path", () => {
  it("rows shared with worker threads give the single-thread sums bit for bit", async () => {
    const train = data(1500, 3);
    const models = [
      await forestClassifier({ nEstimators: 20, seed: 3 }).fit(train.drop(["y2", "yr"]), { target: "y3", threads: 1 }),
      await forestRegressor({ nEstimators: 20, seed: 4 }).fit(train.drop(["y2", "y3"]), { target: "yr", threads: 1 }),
      await forestClassifier({ nEstimators: 20, seed: 5 }).fit(data(1500, 4, false).drop(["y3", "yr"]), { target: "y2", threads: 1 }),
    ];
    warmPredictPool(2);
    for (const [c, m] of models.entries()) {
      const e = m.ensemble;
      const rows = e.matrix(probe(12_345, 20 + c, c < 2));
      const expected = plainSums(e, rows);
      const packed = packTrees(e.arrays, e.roots, true);
      const X = sharedF64(rows.X.length);
      X.set(rows.X);
      // repeat until a worker (started above, loading in the background) has taken chunks too
      let workerRan = false;
      for (let attempt = 0; attempt < 200 && !workerRan; attempt++) {
        const out = sharedF64(expected.length);
        const { chunks, here } = accumulateParallel(packed, X, rows.n, rows.p, out, 2);
        expect(chunks).toBeGreaterThan(1);
        expectSameBits(out, expected);
        workerRan = here < chunks;
        if (!workerRan) await new Promise((r) => setTimeout(r, 50));
      }
      expect(workerRan).toBe(true);
      // and through the model: a batch large enough for the threaded path
      e.prepare();
      expectSameBits(e.valuesOf(rows), plain(e, rows));
    }
  }, 60_000);

  it("a forest grown on two threads predicts a large batch as the plain walk does", async () => {
    const train = data(3000, 6);
    const m = await forestClassifier({ nEstimators: 30, seed: 6, threads: 2 }).fit(train.drop(["y2", "yr"]), { target: "y3" });
    const test = probe(20_000, 9);
    const rows = m.ensemble.matrix(test);
    expectSameBits(m.predictProba(test), plain(m.ensemble, rows));
  }, 60_000);
});

describe("packed layout of very deep trees", () => {
  it("a chain over 100 levels deep packs and predicts as the plain walk does", async () => {
    // y = 4^i: the best squared-error split always cuts off the largest remaining row, so the
    // tree is a chain as deep as there are rows — deeper than any starting stack
    const n = 150;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = Float64Array.from({ length: n }, (_, i) => 4 ** i);
    const m = await treeRegressor().fit(Frame.fromColumns({ x, y }), { target: "y" });
    const e = m.ensemble;
    const depth = (node: number): number => (e.arrays.left[node] < 0 ? 0 : 1 + Math.max(depth(e.arrays.left[node]), depth(e.arrays.right[node])));
    expect(depth(e.roots[0])).toBeGreaterThan(100);
    const probeX = Float64Array.from({ length: 4 * n + 1 }, (_, i) => i / 4 - 0.1);
    const rows = e.matrix(Frame.fromColumns({ x: probeX }));
    expectSameBits(packedSums(e, rows), plainSums(e, rows));
  });
});
