/**
 * Histogram kernels (WebAssembly, generated per layout): they add exactly what a plain loop adds,
 * in the same order, for unrolled and looped (wide) layouts, padded and unpadded rows, missing
 * bins, row lists and feature ranges; and data wider than the unrolling limit trains.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/core/rng.js";
import { Frame } from "../../../src/data/frame.js";
import { GATHER_ROWS, UNROLL_MAX_FEATURES, gatherRecordBytes, histKernels, histLayout, rowStride } from "../../../src/models/gbdt/histogram.js";
import { gbdtRegressor } from "../../../src/models/gbdt/index.js";
import { allocState } from "../../../src/models/gbdt/state.js";

/** The reference: rows in order, features f0..f1−1, each (g, h) widened to f64 and added, count + c. */
function plainHistogram(bins: Uint8Array, stride: number, hoff: Int32Array, g: Float32Array, h: Float32Array, gBase: number, rowList: ArrayLike<number>, out: Float64Array, o: number, f0: number, f1: number, c = 1): void {
  for (let i = 0; i < rowList.length; i++) {
    const r = rowList[i];
    for (let f = f0; f < f1; f++) {
      const j = o + hoff[f] + 3 * bins[r * stride + f];
      out[j] += g[gBase + r];
      out[j + 1] += h[gBase + r];
      out[j + 2] += c;
    }
  }
}

/** Arrays carved out of one WebAssembly memory, as the training state's are. */
function carve(memory: WebAssembly.Memory) {
  let at = 0;
  const take = <T>(C: new (b: ArrayBufferLike, o: number, n: number) => T, bytes: number, n: number): T => {
    const v = new C(memory.buffer, at, n);
    at += Math.ceil((n * bytes) / 16) * 16;
    return v;
  };
  return {
    u8: (n: number) => take(Uint8Array, 1, n),
    i32: (n: number) => take(Int32Array, 4, n),
    f32: (n: number) => take(Float32Array, 4, n),
    f64: (n: number) => take(Float64Array, 8, n),
  };
}

function randomLayout(seed: number, p: number, padded: boolean) {
  const rng = new Rng(seed);
  const n = 8000;
  const stride = padded ? rowStride(p) : p;
  const memory = new WebAssembly.Memory({ initial: 256, maximum: 256, shared: seed % 2 === 0 });
  const mem = carve(memory);
  // some features with few bins, some with 255; the last bin (missing) drawn too
  const nBins = Int32Array.from({ length: p }, (_, f) => (f % 3 === 0 ? 255 : 1 + rng.int(40)));
  const layout = histLayout(nBins);
  const hoff = mem.i32(p);
  hoff.set(layout.hoff);
  const bins = mem.u8(n * stride);
  // padding bytes hold garbage: no kernel may read them
  for (let i = 0; i < n; i++) for (let f = 0; f < stride; f++) bins[i * stride + f] = f < p ? rng.int(nBins[f] + 1) : 255;
  const g = mem.f32(2 * n);
  const h = mem.f32(2 * n);
  for (let i = 0; i < 2 * n; i++) {
    g[i] = rng.normal();
    h[i] = rng.float();
  }
  const rows = mem.i32(4 * GATHER_ROWS + 77);
  for (let i = 0; i < rows.length; i++) rows[i] = rng.int(n);
  rows.sort();
  // a list a third of its span or more: read directly, not gathered
  const denseRows = mem.i32(rows.length);
  for (let i = 0; i < denseRows.length; i++) denseRows[i] = 2 * i + (i % 3 === 0 ? 1 : 0);
  const out = mem.f64(layout.size + 5);
  const scratch = mem.u8(GATHER_ROWS * gatherRecordBytes(stride));
  const plain = histKernels(memory, p, hoff, stride);
  const gathering = histKernels(memory, p, hoff, stride, { at: scratch.byteOffset, bytes: scratch.length });
  return { memory, n, p, stride, hoff, size: layout.size, bins, g, h, rows, denseRows, out, plain, gathering };
}

describe("histogram kernels", () => {
  const cases: [number, boolean][] = [
    [1, true],
    [3, false],
    [9, true],
    [9, false],
    [30, true],
    [UNROLL_MAX_FEATURES, true],
    [UNROLL_MAX_FEATURES + 9, true],
    [UNROLL_MAX_FEATURES + 9, false],
  ];
  for (const [p, padded] of cases) {
    for (const gather of [false, true]) it(`${p} features, rows ${padded ? "padded to words" : "unpadded"}${gather ? ", with gather scratch" : ""}: every kernel adds what a plain loop adds`, () => {
      const L = randomLayout(p + (padded ? 1 : 0), p, padded);
      const { bins, stride, hoff, g, h, n, rows, denseRows, out } = L;
      const kernels = gather ? L.gathering : L.plain;
      const want = new Float64Array(out.length);
      const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
      // dense over rows 10..2500 of the second class, at offset 5
      out.fill(0);
      kernels.dense(bins, g, h, n, 10, 2500, out, 5);
      plainHistogram(bins, stride, hoff, g, h, n, range(10, 2500), want, 5, 0, p);
      expect(out).toEqual(want);
      // without counts
      out.fill(0);
      want.fill(0);
      kernels.denseNoCount(bins, g, h, 0, 0, n, out, 0);
      plainHistogram(bins, stride, hoff, g, h, 0, range(0, n), want, 0, 0, p, 0);
      expect(out).toEqual(want);
      // a sparse row list (gathered, with scratch), then a dense one, accumulated onto what is there
      kernels.rows(bins, g, h, n, rows, 3, rows.length - 5, out, 0);
      plainHistogram(bins, stride, hoff, g, h, n, rows.subarray(3, rows.length - 5), want, 0, 0, p);
      expect(out).toEqual(want);
      kernels.rows(bins, g, h, 0, denseRows, 0, denseRows.length, out, 0);
      plainHistogram(bins, stride, hoff, g, h, 0, denseRows, want, 0, 0, p);
      expect(out).toEqual(want);
      // a feature range of a row list
      const f0 = Math.floor(p / 3);
      const f1 = Math.max(f0 + 1, Math.floor((2 * p) / 3));
      out.fill(0);
      want.fill(0);
      kernels.rowsOf(f0, f1)(bins, g, h, 0, rows, 0, rows.length, out, 0);
      plainHistogram(bins, stride, hoff, g, h, 0, rows, want, 0, f0, f1);
      expect(out).toEqual(want);
      // empty ranges add nothing
      kernels.rows(bins, g, h, 0, rows, 7, 7, out, 0);
      kernels.dense(bins, g, h, 0, 9, 9, out, 0);
      expect(out).toEqual(want);
    });
  }

  it("accumulate adds one histogram into another, element by element (odd and even lengths, offsets)", () => {
    const L = randomLayout(5, 9, true);
    const rng = new Rng(6);
    const dst = L.out;
    // a source in the same memory (over the bin codes, no longer needed here)
    const src = new Float64Array(L.memory.buffer, L.bins.byteOffset, dst.length);
    for (let j = 0; j < src.length; j++) src[j] = rng.normal();
    for (const [so, oo, count] of [[0, 0, 10], [3, 1, 7], [1, 4, dst.length - 5], [2, 2, 1], [0, 0, 0]]) {
      dst.fill(0.5);
      L.plain.accumulate(src, so, dst, oo, count);
      for (let j = 0; j < dst.length; j++) expect(dst[j]).toBe(j >= oo && j < oo + count ? 0.5 + src[so + j - oo] : 0.5);
    }
  });

  it("refuses arrays outside its memory", () => {
    const L = randomLayout(3, 9, true);
    expect(() => L.plain.dense(L.bins, L.g, L.h, 0, 0, 10, new Float64Array(L.size), 0)).toThrow(/not in its WebAssembly memory/);
  });

  it("a training state larger than one WebAssembly memory is refused, naming its size", () => {
    const hoff = new Int32Array(100);
    const shape = { n: 20_000_000, p: 100, K: 3, histSize: 100 * 3 * 256, hoff, maxLeaves: 31, weighted: false };
    expect(() => allocState(shape, true)).toThrow(expect.objectContaining({ code: "UNSUPPORTED", received: expect.stringMatching(/GiB$/) }));
    expect(() => allocState(shape, true)).toThrow(/20000000 rows × 100 features × 3 scores needs .* GiB, more than the 4 GiB/);
  });

  it("subtract takes one histogram from another, element by element", () => {
    const L = randomLayout(7, 9, true);
    const rng = new Rng(4);
    const parent = L.out;
    const child = new Float64Array(L.memory.buffer, L.bins.byteOffset, parent.length);
    for (let j = 0; j < parent.length; j++) {
      parent[j] = rng.normal();
      child[j] = rng.normal();
    }
    const want = parent.map((v, j) => v - child[j]);
    L.plain.subtract(child, 0, parent, 0, parent.length);
    expect(parent).toEqual(want);
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
