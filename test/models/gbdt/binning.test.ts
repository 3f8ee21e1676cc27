/**
 * Binning: bin edges equal scikit-learn's `_BinMapper` bit for bit (columns of sizes where
 * (n − 1)·k/maxBins is a whole number included, and ±∞), the missing bin, category bins, and
 * row-major bin codes; on more than 200,000 rows the edges come from the rows scikit-learn samples.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/core/rng.js";
import { ALMOST_INF, TRANSPOSE_BLOCK, binColumn, binRows, categoryBins, featureBins, fitBinning, numericBin, numericEdges, radixSortFloat64, transposeCodes } from "../../../src/models/gbdt/binning.js";
import { histLayout, rowStride } from "../../../src/models/gbdt/histogram.js";
import { allocState, codesMemory } from "../../../src/models/gbdt/state.js";
import type { FeatureColumn } from "../../../src/models/gbdt/features.js";
import { reference } from "./helpers.js";

describe("numeric bin edges", () => {
  for (const [key, expected] of Object.entries(reference.binning.edges as Record<string, number[]>)) {
    it(`match scikit-learn's _BinMapper: ${key}`, () => {
      const [name, maxBins] = key.split("/");
      // ±∞ are written as strings in the JSON
      const col = Float64Array.from(reference.binning.columns[name] as (number | string)[], Number);
      const got = numericEdges(col, null, Number(maxBins));
      // scikit-learn keeps repeated edges (empty bins); Keel drops them
      expect([...got]).toEqual([...new Set(expected.map(Number))]);
    });
  }

  it("on more than 200,000 rows, sample the rows scikit-learn samples for the same seed (random_state)", () => {
    const ref = JSON.parse(readFileSync(new URL("../../fixtures/gbdt/binning_sample.json", import.meta.url), "utf8")) as { n: number; maxBins: number; edges: Record<string, number[]> };
    const values = Float64Array.from({ length: ref.n }, (_, i) => (i % 20 === 7 ? NaN : (Math.imul(i, 2654435761) >>> 0) / 2 ** 32));
    for (const [seed, expected] of Object.entries(ref.edges)) {
      const b = fitBinning([{ cat: false, values }], ref.maxBins, Number(seed));
      expect([...b.edges], `seed ${seed}`).toEqual(expected);
    }
  });

  it("sort large columns as the built-in sort, bit for bit: signs, ±0, ±∞, ties, one-bit neighbours", () => {
    const rng = new Rng(8);
    const special = [0, -0, Infinity, -Infinity, 5e-324, -5e-324, 1e308, -1e308];
    const v = Float64Array.from({ length: 30_000 }, (_, i) => (i % 7 === 0 ? special[i % 8] : i % 5 === 0 ? Math.round(rng.normal()) : rng.normal() * 10 ** rng.int(12) * (rng.float() < 0.5 ? 1e-6 : 1)));
    // values that differ from their neighbour in one bit only (each of the 64): every radix digit decides some order
    const bits = new DataView(new ArrayBuffer(8));
    for (let i = 0; i < 6400; i += 2) {
      const bit = (i >> 1) % 64;
      bits.setFloat64(0, v[i + 1]);
      bits.setUint8(7 - (bit >> 3), bits.getUint8(7 - (bit >> 3)) ^ (1 << (bit & 7)));
      const x = bits.getFloat64(0);
      if (x === x) v[i] = x;
    }
    const expected = Float64Array.from(v).sort();
    const got = radixSortFloat64(Float64Array.from(v));
    expect(got.every((x, i) => Object.is(x, expected[i]))).toBe(true);
    expect([...numericEdges(v, null, 255)]).toEqual([...numericEdges(expected, null, 255)]);
  });

  it("radixSortFloat64 orders long runs of values with equal high words (differing in the low 32 bits only)", () => {
    const rng = new Rng(5);
    const v = Float64Array.from({ length: 5000 }, (_, i) => (i % 3 === 0 ? 1 + rng.int(4096) * 2 ** -50 : i % 3 === 1 ? -(1 + rng.int(20) * 2 ** -45) : rng.int(3)));
    const expected = Float64Array.from(v).sort();
    expect([...radixSortFloat64(Float64Array.from(v))]).toEqual([...expected]);
  });

  it("ignore missing values and never exceed maxBins − 1 edges", () => {
    const rng = new Rng(3);
    const v = Float64Array.from({ length: 5000 }, (_, i) => (i % 10 === 0 ? NaN : rng.normal()));
    const e = numericEdges(v, null, 32);
    expect(e.length).toBe(31);
    for (let i = 1; i < e.length; i++) expect(e[i]).toBeGreaterThan(e[i - 1]);
    expect(numericEdges(Float64Array.of(NaN, NaN), null, 255).length).toBe(0);
    expect(numericEdges(Float64Array.of(Infinity, 1, 2), null, 255)).toEqual(Float64Array.of(1.5, ALMOST_INF));
  });

  it("x ≤ edge b ⇔ bin ≤ b", () => {
    const edges = Float64Array.of(1, 2.5, 7);
    expect([0, 1, 1.5, 2.5, 3, 7, 8, Infinity, -Infinity].map((x) => numericBin(edges, 0, 3, x))).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 0]);
  });
});

describe("category bins", () => {
  it("one bin per category present, in code order; absent categories have none", () => {
    const { catToBin, nBins } = categoryBins(Int32Array.of(3, 0, 3, -1, 5, 0), 7, 255);
    expect(nBins).toBe(3);
    expect([...catToBin]).toEqual([0, -1, -1, 1, -1, 2, -1]);
  });

  it("beyond maxBins, the rarest categories share the last bin", () => {
    const codes = Int32Array.from([0, 0, 0, 1, 1, 2, 3, 3, 3, 3, 4]);
    const { catToBin, nBins } = categoryBins(codes, 5, 3);
    expect(nBins).toBe(3);
    // most frequent: 3 (4 rows), 0 (3 rows) keep bins in code order; 1, 2, 4 share bin 2
    expect([...catToBin]).toEqual([0, 2, 2, 1, 2]);
  });
});

describe("binRows", () => {
  it("writes row-major codes with the missing bin after the value bins", () => {
    const cols = [
      { cat: false as const, values: Float64Array.of(1, NaN, 3, 2) },
      { cat: true as const, codes: Int32Array.of(1, 0, -1, 9), nCats: 2 },
    ];
    const b = fitBinning(cols, 255, 0);
    expect([...b.nBins]).toEqual([3, 2]);
    expect([...binRows(cols, b)]).toEqual([0, 1, 3, 0, 2, 2, 1, 2]);
  });

  it("gives each column's codes (binColumn) over several row blocks, with padded rows", () => {
    const rng = new Rng(11);
    const n = 10_000;
    const cols: FeatureColumn[] = [
      { cat: false, values: Float64Array.from({ length: n }, () => (rng.float() < 0.05 ? NaN : rng.normal())) },
      { cat: false, values: Float64Array.from({ length: n }, () => rng.int(4)) },
      { cat: false, values: Float64Array.from({ length: n }, () => Math.exp(5 * rng.normal())) },
      { cat: true, codes: Int32Array.from({ length: n }, () => rng.int(6) - 1), nCats: 4 },
    ];
    const b = fitBinning(cols, 64, 0);
    const stride = 8;
    const rows = binRows(cols, b, new Uint8Array(n * stride), stride);
    cols.forEach((c, f) => {
      const col = new Uint8Array(n);
      binColumn(c, featureBins(b, f), col, 0, 1);
      expect(col.every((code, i) => rows[i * stride + f] === code)).toBe(true);
    });
  });
});

describe("codes written before the training state", () => {
  const rng = new Rng(12);
  const n = 2 * TRANSPOSE_BLOCK + 777;
  const cols: FeatureColumn[] = [
    { cat: false, values: Float64Array.from({ length: n }, () => (rng.float() < 0.1 ? NaN : rng.normal())) },
    { cat: true, codes: Int32Array.from({ length: n }, () => rng.int(9) - 1), nCats: 7 },
    { cat: false, values: Float64Array.from({ length: n }, () => rng.int(30)) },
    { cat: false, values: Float64Array.from({ length: n }, () => rng.float()) },
    { cat: false, values: Float64Array.from({ length: n }, () => -rng.float()) },
  ];
  const p = cols.length;
  const b = fitBinning(cols, 255, 0);

  it("transposeCodes turns column-major codes into binRows' row-major ones, over several blocks and from any row", () => {
    const stride = rowStride(p);
    const colMajor = new Uint8Array(n * p);
    cols.forEach((c, f) => binColumn(c, featureBins(b, f), colMajor, f * n, 1));
    const rows = new Uint8Array(n * stride);
    transposeCodes(colMajor, n, p, rows, stride, 0, 1000);
    transposeCodes(colMajor, n, p, rows, stride, 1000, n);
    expect(rows).toEqual(binRows(cols, b, new Uint8Array(n * stride), stride));
  });

  for (const shared of [false, true]) {
    it(`allocState grows the codes memory into the state, the codes in place (${shared ? "shared" : "unshared"} memory)`, () => {
      const shape = { n, p, K: 3, maxLeaves: 31, weighted: true, slots: shared ? 2 : 0 };
      const codes = codesMemory(shape, 255, shared);
      cols.forEach((c, f) => binColumn(c, featureBins(b, f), codes.binsCol, f * n, 1));
      transposeCodes(codes.binsCol, n, p, codes.bins, rowStride(p), 0, n);
      const want = { bins: codes.bins.slice(), binsCol: codes.binsCol.slice() };
      const before = codes.memory.buffer.byteLength;
      const { hoff, size } = histLayout(b.nBins);
      const state = allocState({ ...shape, histSize: size, hoff }, shared, codes);
      expect(state.memory).toBe(codes.memory);
      expect(state.memory.buffer.byteLength).toBeGreaterThan(before);
      expect(state.bins).toEqual(want.bins);
      expect(state.binsCol).toEqual(want.binsCol);
      // the buffers after the codes are the state's own, as allocated without codes
      expect(state.offsets).toEqual(allocState({ ...shape, histSize: size, hoff }, shared).offsets);
      expect(state.leafOf.every((v) => v === -1)).toBe(true);
    });
  }
});

describe("binColumn", () => {
  it("gives every value the bin of a search over all edges: values at, just beside and far beyond the edges", () => {
    const rng = new Rng(12);
    const n = 20_000;
    const kinds: Record<string, () => number> = {
      normal: () => rng.normal(),
      integers: () => rng.int(300),
      "heavy tails": () => Math.exp(3 * rng.normal()),
      outliers: () => (rng.float() < 0.01 ? (rng.float() < 0.5 ? -1 : 1) * 1e300 : rng.normal() * 1e-200),
      "few edges": () => rng.int(5),
    };
    for (const [name, gen] of Object.entries(kinds)) {
      const train = Float64Array.from({ length: n }, gen);
      const edges = numericEdges(train, null, 255);
      const probe: number[] = [NaN, Infinity, -Infinity, 0, -0];
      for (const e of edges) probe.push(e, e * (1 + 1e-15) + 1e-300, e * (1 - 1e-15) - 1e-300);
      // the left ends of a uniform grid of 4 cells per edge over the edges' range, and beside them
      const lo = edges[0];
      const cells = 4 * edges.length;
      const scale = cells / (edges[edges.length - 1] - lo);
      for (let k = 0; k <= cells; k++) for (const d of [-2e-16, -1e-16, 0, 1e-16, 2e-16]) probe.push((lo + k / scale) * (1 + d));
      for (let i = 0; i < n; i++) probe.push(gen());
      const values = Float64Array.from(probe);
      const out = new Uint8Array(values.length);
      binColumn({ cat: false, values }, { nBins: edges.length + 1, isCat: false, edges, catToBin: new Int32Array(0) }, out, 0, 1);
      const want = Array.from(values, (x) => (x !== x ? edges.length + 1 : numericBin(edges, 0, edges.length, x)));
      expect([...out], name).toEqual(want);
    }
  });
});
