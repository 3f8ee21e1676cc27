/**
 * Split finding against brute force: scikit-learn's gain G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ)
 * (values −G/(H+λ)), every threshold and missing-value direction, category sets ordered by
 * G/(H + 10); ties keep the first split found; categories of equal key are ordered as
 * scikit-learn's qsort leaves them.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/core/rng.js";
import { GainHeap } from "../../../src/models/gbdt/gain-heap.js";
import { histLayout } from "../../../src/models/gbdt/histogram.js";
import { useScanKernel } from "../../../src/models/gbdt/scan-kernel.js";
import { CAT_SMOOTH, SplitCandidate, findBestSplit } from "../../../src/models/gbdt/split.js";
import { reference } from "./helpers.js";

function randomHist(nBins: number[], rng: Rng, missing: boolean) {
  const { hoff, size } = histLayout(Int32Array.from(nBins));
  const hist = new Float64Array(size);
  // one feature's bins define the node; the others are random partitions of the same rows
  const rows = 400;
  const g = Float64Array.from({ length: rows }, () => rng.normal());
  const h = Float64Array.from({ length: rows }, () => 0.05 + rng.float() * 0.2);
  for (let f = 0; f < nBins.length; f++) {
    for (let r = 0; r < rows; r++) {
      const b = missing && rng.float() < 0.1 ? nBins[f] : rng.int(nBins[f]);
      const j = hoff[f] + 3 * b;
      hist[j] += g[r];
      hist[j + 1] += h[r];
      hist[j + 2] += 1;
    }
  }
  let G = 0;
  let H = 0;
  for (let r = 0; r < rows; r++) {
    G += g[r];
    H += h[r];
  }
  return { hoff, hist, G, H, C: rows };
}

const gainOf = (gL: number, hL: number, gR: number, hR: number, l2: number) => gL ** 2 / (hL + l2) + gR ** 2 / (hR + l2) - (gL + gR) ** 2 / (hL + hR + l2);

describe("numeric splits", () => {
  for (const missing of [false, true]) {
    it(`find the best threshold and missing direction by brute force (missing: ${missing})`, () => {
      const rng = new Rng(missing ? 2 : 1);
      const nBins = [7, 12, 3];
      const l2 = 0.5;
      for (let rep = 0; rep < 20; rep++) {
        const { hoff, hist, G, H, C } = randomHist(nBins, rng, missing);
        const ctx = { nBins: Int32Array.from(nBins), isCat: new Uint8Array(3), hasMissing: new Uint8Array(3).fill(missing ? 1 : 0), hoff, monotonic: new Int8Array(3), allowed: new Uint8Array(3).fill(1), l2, minSamplesLeaf: 15, minHessian: 1e-3 };
        const out = new SplitCandidate();
        const found = findBestSplit(ctx, hist, 0, { G, H, C, lo: -Infinity, hi: Infinity, value: -G / (H + l2) }, out);
        let best = 0;
        for (let f = 0; f < 3; f++) {
          const o = hoff[f];
          const m = o + 3 * nBins[f];
          for (const mLeft of [false, true]) {
            let gL = mLeft ? hist[m] : 0;
            let hL = mLeft ? hist[m + 1] : 0;
            let cL = mLeft ? hist[m + 2] : 0;
            for (let b = 0; b < nBins[f]; b++) {
              gL += hist[o + 3 * b];
              hL += hist[o + 3 * b + 1];
              cL += hist[o + 3 * b + 2];
              if (cL < 15 || C - cL < 15) continue;
              best = Math.max(best, gainOf(gL, hL, G - gL, H - hL, l2));
            }
          }
        }
        expect(found).toBe(best > 0);
        expect(out.gain).toBeCloseTo(best, 9);
        if (found) expect(gainOf(out.gL, out.hL, out.gR, out.hR, l2)).toBeCloseTo(out.gain, 9);
      }
    });
  }
});

describe("categorical splits", () => {
  it("order categories by G/(H + smoothing) and take the best prefix from either end", () => {
    const rng = new Rng(3);
    for (let rep = 0; rep < 20; rep++) {
      const nb = 9;
      const { hoff, hist, G, H, C } = randomHist([nb], rng, true);
      const ctx = { nBins: Int32Array.of(nb), isCat: Uint8Array.of(1), hasMissing: Uint8Array.of(1), hoff, monotonic: new Int8Array(1), allowed: Uint8Array.of(1), l2: 0, minSamplesLeaf: 10, minHessian: 1e-3 };
      const out = new SplitCandidate();
      findBestSplit(ctx, hist, 0, { G, H, C, lo: -Infinity, hi: Infinity, value: -G / H }, out);
      const cats = Array.from({ length: nb + 1 }, (_, b) => b).filter((b) => hist[3 * b + 2] > 0 && hist[3 * b + 1] * (C / H) >= 10);
      cats.sort((a, b) => hist[3 * a] / (hist[3 * a + 1] + CAT_SMOOTH) - hist[3 * b] / (hist[3 * b + 1] + CAT_SMOOTH));
      let best = 0;
      let bestSet: number[] = [];
      const half = Math.floor((cats.length + 1) / 2);
      for (const order of [cats, [...cats].reverse()]) {
        let gL = 0;
        let hL = 0;
        let cL = 0;
        for (let i = 0; i < (order === cats ? half : half - 1); i++) {
          const b = order[i];
          gL += hist[3 * b];
          hL += hist[3 * b + 1];
          cL += hist[3 * b + 2];
          if (cL < 10 || C - cL < 10) continue;
          const gain = gainOf(gL, hL, G - gL, H - hL, 0);
          if (gain > best) {
            best = gain;
            bestSet = order.slice(0, i + 1);
          }
        }
      }
      expect(out.gain).toBeCloseTo(best, 9);
      const left = Array.from({ length: nb + 1 }, (_, b) => b).filter((b) => (out.bits[b >>> 5] >>> (b & 31)) & 1);
      // the missing bin goes left only if it was in the chosen set
      expect(left.filter((b) => b !== nb || bestSet.includes(nb)).sort()).toEqual([...bestSet].sort());
    }
  });
});

describe("ties are broken as scikit-learn's splitter breaks them", () => {
  interface SplitCase {
    nBins: number[];
    isCat: number[];
    hasMissing: number[];
    hist: number[];
    G: number;
    H: number;
    C: number;
    value: number;
    l2: number;
    minSamplesLeaf: number;
    expected: { feature: number; gain: number; isCat: boolean; bin: number; missingLeft: boolean | null; left: number[] } | null;
  }
  // gradients and hessians from a few values, repeated features and empty bins: many exact ties
  // (equal gains across features, bins and directions, categories of equal G/(H + 10))
  it("300 nodes: the same feature, bins, missing direction and gain (bit for bit)", () => {
    for (const c of reference.splits as SplitCase[]) {
      const p = c.nBins.length;
      const { hoff } = histLayout(Int32Array.from(c.nBins));
      const ctx = {
        nBins: Int32Array.from(c.nBins),
        isCat: Uint8Array.from(c.isCat),
        hasMissing: Uint8Array.from(c.hasMissing),
        hoff,
        monotonic: new Int8Array(p),
        allowed: new Uint8Array(p).fill(1),
        l2: c.l2,
        minSamplesLeaf: c.minSamplesLeaf,
        minHessian: 1e-3,
      };
      const out = new SplitCandidate();
      const found = findBestSplit(ctx, Float64Array.from(c.hist), 0, { G: c.G, H: c.H, C: c.C, lo: -Infinity, hi: Infinity, value: c.value }, out);
      expect(found).toBe(c.expected !== null);
      if (!c.expected) continue;
      const e = c.expected;
      expect(out.feature).toBe(e.feature);
      expect(out.isCat).toBe(e.isCat);
      expect(out.gain).toBe(e.gain);
      if (!e.isCat) expect(out.bin).toBe(e.bin);
      if (e.missingLeft !== null) expect(out.defaultLeft).toBe(e.missingLeft);
      const nb = c.nBins[e.feature];
      const left = Array.from({ length: nb + 1 }, (_, b) => b).filter((b) => (out.bits[b >>> 5] >>> (b & 31)) & 1);
      expect(left).toEqual(e.left);
    }
  });

  it("open leaves are split in the order Python's heapq pops them", () => {
    for (const h of reference.heap as { ops: (number | null)[]; popped: number[] }[]) {
      const heap = new GainHeap<{ gain: number; id: number }>();
      const popped: number[] = [];
      let id = 0;
      for (const op of h.ops) {
        if (op === null) popped.push(heap.pop().id);
        else heap.push({ gain: op, id: id++ });
      }
      while (heap.size > 0) popped.push(heap.pop().id);
      expect(popped).toEqual(h.popped);
    }
  });
});

describe("the WebAssembly scan gives the JavaScript scan's split, bit for bit", () => {
  // the same histograms, once in a registered WebAssembly memory (scanned by scan-kernel.ts) and
  // once in a plain array (scanned by the JavaScript loop)
  const memory = new WebAssembly.Memory({ initial: 4, maximum: 4 });
  useScanKernel(memory);
  const fields = (c: SplitCandidate) => [c.gain, c.feature, c.bin, c.defaultLeft, c.isCat, c.gL, c.hL, c.cL, c.gR, c.hR, c.cR, c.vL, c.vR, ...c.bits];
  const settings = [
    { name: "plain", l2: 0, minLeaf: 5, minH: 1e-3, mono: 0, bounded: false },
    { name: "l2 and a large leaf minimum", l2: 1, minLeaf: 60, minH: 1e-3, mono: 0, bounded: false },
    { name: "a hessian minimum that binds", l2: 0, minLeaf: 1, minH: 8, mono: 0, bounded: false },
    { name: "monotonic increase (unscreened)", l2: 0.1, minLeaf: 5, minH: 1e-3, mono: 1, bounded: false },
    { name: "bounded values (unscreened)", l2: 0.1, minLeaf: 5, minH: 1e-3, mono: 0, bounded: true },
  ];
  for (const set of settings) {
    it(`${set.name}: 200 nodes`, () => {
      const rng = new Rng(7);
      const nBins = [255, 17, 3, 64, 1, 128];
      const p = nBins.length;
      for (let rep = 0; rep < 200; rep++) {
        const missing = rep % 2 === 0;
        const { hoff, hist, G, H, C } = randomHist(nBins, rng, missing);
        // coarse values make exact ties between cuts common
        if (rep % 4 === 1) for (let j = 0; j < hist.length; j += 3) hist[j] = Math.round(hist[j] * 4) / 4;
        const inMemory = new Float64Array(memory.buffer, 8 * 16, hist.length);
        inMemory.set(hist);
        const ctx = { nBins: Int32Array.from(nBins), isCat: new Uint8Array(p), hasMissing: new Uint8Array(p).fill(missing ? 1 : 0), hoff, monotonic: new Int8Array(p).fill(set.mono), allowed: new Uint8Array(p).fill(1), l2: set.l2, minSamplesLeaf: set.minLeaf, minHessian: set.minH };
        const node = { G, H, C, lo: set.bounded ? -0.5 : -Infinity, hi: set.bounded ? 0.5 : Infinity, value: -G / (H + set.l2) };
        const js = new SplitCandidate();
        const wasm = new SplitCandidate();
        const foundJs = findBestSplit(ctx, hist, 0, node, js);
        const foundWasm = findBestSplit(ctx, inMemory, 0, node, wasm);
        expect(foundWasm).toBe(foundJs);
        expect(fields(wasm)).toEqual(fields(js));
      }
    });
  }
});
