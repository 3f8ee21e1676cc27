/**
 * Histogram kernels: the generated (unrolled) kernels add exactly what the generic loops add, and
 * data wider than the unrolling limit (generic loops) trains too.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/core/rng.js";
import { Frame } from "../../../src/data/frame.js";
import { GATHER_ROWS, UNROLL_MAX_FEATURES, histDense, histKernels, histLayout, histRows, histSubtract, rowStride } from "../../../src/models/gbdt/histogram.js";
import { gbdtRegressor } from "../../../src/models/gbdt/index.js";

describe("histogram kernels", () => {
  it("unrolled kernels equal the generic loops", () => {
    const rng = new Rng(8);
    const p = 9;
    const n = 5000;
    const nBins = Int32Array.from({ length: p }, () => 2 + rng.int(200));
    const { hoff, size } = histLayout(nBins);
    const bins = new Uint8Array(n * p);
    for (let i = 0; i < n; i++) for (let f = 0; f < p; f++) bins[i * p + f] = rng.int(nBins[f] + 1);
    const g = Float32Array.from({ length: 2 * n }, () => rng.normal());
    const h = Float32Array.from({ length: 2 * n }, () => rng.float());
    const rows = Int32Array.from({ length: 1200 }, () => rng.int(n)).sort();
    const k = histKernels(p, hoff);
    const a = new Float64Array(size + 5);
    const b = new Float64Array(size + 5);
    k.dense(bins, g, h, n, 10, 4000, a, 5);
    histDense(bins, p, hoff, g, h, n, 10, 4000, b, 5);
    expect(a).toEqual(b);
    a.fill(0);
    b.fill(0);
    k.rows(bins, g, h, 0, rows, 3, 1100, a, 0);
    histRows(bins, p, hoff, g, h, 0, rows, 3, 1100, b, 0);
    expect(a).toEqual(b);
    a.fill(0);
    k.denseNoCount(bins, g, h, 0, 0, n, a, 0);
    for (let j = 2; j < size; j += 3) expect(a[j]).toBe(0);
    const parent = Float64Array.from(b, (v) => v * 3);
    const out = new Float64Array(size + 5);
    histSubtract(parent, 0, b, 0, out, 0, size);
    for (let j = 0; j < size; j++) expect(out[j]).toBe(parent[j] - b[j]);
  });

  it("rows padded to whole words: the gathering kernels add exactly what the generic loops add", () => {
    const rng = new Rng(10);
    const p = 9;
    const stride = rowStride(p);
    expect(stride).toBe(12);
    const n = 5000;
    const nBins = Int32Array.from({ length: p }, () => 2 + rng.int(200));
    const { hoff, size } = histLayout(nBins);
    const bins = new Uint8Array(n * stride);
    // the padding bytes hold garbage: no kernel may read them
    for (let i = 0; i < n; i++) for (let f = 0; f < stride; f++) bins[i * stride + f] = f < p ? rng.int(nBins[f] + 1) : 255;
    const g = Float32Array.from({ length: 2 * n }, () => rng.normal());
    const h = Float32Array.from({ length: 2 * n }, () => rng.float());
    const rows = Int32Array.from({ length: 3 * GATHER_ROWS + 17 }, () => rng.int(n)).sort();
    const k = histKernels(p, hoff, stride);
    const a = new Float64Array(size + 5);
    const b = new Float64Array(size + 5);
    k.rows(bins, g, h, n, rows, 3, rows.length - 2, a, 5);
    histRows(bins, p, hoff, g, h, n, rows, 3, rows.length - 2, b, 5, 0, p, stride);
    expect(a).toEqual(b);
    a.fill(0);
    b.fill(0);
    k.rowsOf(2, 7)(bins, g, h, 0, rows, 0, rows.length, a, 0);
    histRows(bins, p, hoff, g, h, 0, rows, 0, rows.length, b, 0, 2, 7, stride);
    expect(a).toEqual(b);
    a.fill(0);
    b.fill(0);
    k.dense(bins, g, h, 0, 7, 4100, a, 0);
    histDense(bins, p, hoff, g, h, 0, 7, 4100, b, 0, true, stride);
    expect(a).toEqual(b);
  });

  it(`more than ${UNROLL_MAX_FEATURES} features train with the generic loops`, async () => {
    const rng = new Rng(9);
    const n = 600;
    const cols: Record<string, Float64Array> = {};
    for (let f = 0; f < UNROLL_MAX_FEATURES + 6; f++) cols[`f${f}`] = Float64Array.from({ length: n }, () => rng.normal());
    const y = Float64Array.from({ length: n }, (_, i) => 2 * cols.f3[i] - cols.f68[i] + 0.1 * rng.normal());
    const m = await gbdtRegressor({ maxIter: 30, earlyStopping: false, threads: 1 }).fit(Frame.fromColumns({ ...cols, y }), { target: "y" });
    expect(m.history.train[29]).toBeLessThan(0.3 * m.history.train[0]);
    const imp = m.featureImportance("gain");
    const top = [...imp.keys()].sort((a, b) => imp[b] - imp[a]).slice(0, 2).sort((a, b) => a - b);
    expect(top).toEqual([3, 68]);
  });
});
