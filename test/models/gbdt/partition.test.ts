/**
 * Row partitioning: pieces split into scratch, each then moving the runs that may move (pieces
 * run in any order, as threads would finish them), order rows exactly as the in-place partition
 * of one thread does (both stable), whatever the number of pieces and their order, in JavaScript
 * and with the WebAssembly kernels. A run moved too early would overwrite rows a later piece has
 * still to split, and the rows would differ.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/core/rng.js";
import { partitionInPlace, placeReady, splitPiece, splitRows, useSplitKernel } from "../../../src/models/gbdt/partition.js";

describe("partition", () => {
  it("pieces split into scratch and placed equal the in-place partition", () => {
    const rng = new Rng(31);
    const n = 20_000;
    const p = 3;
    // the same arrays in JavaScript memory and in a WebAssembly memory (kernels registered)
    const memory = new WebAssembly.Memory({ initial: 8, maximum: 8, shared: true });
    useSplitKernel(memory);
    let at = 0;
    const inMemory = <T extends Uint8Array | Int32Array>(src: T): T => {
      const C = src.constructor as new (b: ArrayBufferLike, o: number, l: number) => T;
      const view = new C(memory.buffer, at, src.length);
      view.set(src);
      at += Math.ceil(src.byteLength / 16) * 16;
      return view;
    };
    const binsCol = Uint8Array.from({ length: n * p }, () => rng.int(256));
    const goLeft = Uint8Array.from({ length: 256 }, () => (rng.float() < 0.4 ? 1 : 0));
    // the rows: a sorted sample, as a partition leaves them
    const rows = Int32Array.from({ length: n }, (_, i) => i).filter(() => rng.float() < 0.7);
    const m = rows.length;
    const wasm = { binsCol: inMemory(binsCol), goLeft: inMemory(goLeft), rows: inMemory(rows), tmpL: inMemory(new Int32Array(m)), tmpR: inMemory(new Int32Array(m)) };
    const js = { binsCol, goLeft, rows: rows.slice(), tmpL: new Int32Array(m), tmpR: new Int32Array(m) };
    for (const [a, b, pieces] of [
      [0, m, 8],
      [17, 9_003, 3],
      [5, 12, 7],
      [100, 101, 1],
      [40, 9_000, 2],
    ]) {
      const f = rng.int(p);
      const ref = rows.slice();
      const cl = partitionInPlace(binsCol, n, f, goLeft, ref, a, b, new Int32Array(m));
      for (const [i, arrays] of [js, wasm].entries()) {
        for (const order of ["forward", "backward", "shuffled"]) {
          arrays.rows.set(rows);
          const ks = Array.from({ length: pieces }, (_, k) => (order === "backward" ? pieces - 1 - k : k));
          if (order === "shuffled") {
            for (let k = pieces - 1; k > 0; k--) {
              const j = rng.int(k + 1);
              [ks[k], ks[j]] = [ks[j], ks[k]];
            }
          }
          const counts = new Int32Array(pieces).fill(-1);
          const placed = new Int32Array(2 * pieces);
          let moved = 0;
          for (const k of ks) {
            Atomics.store(counts, k, splitPiece(arrays.binsCol, n, f, arrays.goLeft, arrays.rows, a, b, pieces, k, arrays.tmpL, arrays.tmpR));
            moved += placeReady(arrays.rows, arrays.tmpL, arrays.tmpR, a, b, pieces, counts, cl, placed);
          }
          expect(counts.reduce((x, y) => x + y, 0)).toBe(cl);
          // every run moved, once
          expect({ moved, placed: Array.from(placed) }).toEqual({ moved: 2 * pieces, placed: new Array(2 * pieces).fill(1) });
          expect({ i, order, rows: Array.from(arrays.rows) }).toEqual({ i, order, rows: Array.from(ref) });
        }
      }
      for (let i = a; i < b; i++) expect(goLeft[binsCol[f * n + ref[i]]]).toBe(i < a + cl ? 1 : 0);
    }
  });

  it("the WebAssembly kernel splits exactly as the JavaScript loop", () => {
    const rng = new Rng(32);
    const n = 10_003;
    const p = 2;
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 2 });
    useSplitKernel(memory);
    let at = 0;
    const carve = <T>(C: new (b: ArrayBufferLike, o: number, l: number) => T, bytes: number, len: number): T => {
      const view = new C(memory.buffer, at, len);
      at += Math.ceil((bytes * len) / 16) * 16;
      return view;
    };
    const binsCol = carve(Uint8Array, 1, n * p);
    const goLeft = carve(Uint8Array, 1, 256);
    const rows = carve(Int32Array, 4, n);
    const right = carve(Int32Array, 4, n);
    binsCol.set(Uint8Array.from({ length: n * p }, () => rng.int(256)));
    goLeft.set(Uint8Array.from({ length: 256 }, () => (rng.float() < 0.5 ? 1 : 0)));
    for (const [a, b] of [
      [0, n],
      [3, 4_002],
      [7, 9],
      [5, 5],
    ]) {
      rows.set(Int32Array.from({ length: n }, (_, i) => i));
      const f = rng.int(p);
      const plain = rows.slice();
      const plainRight = new Int32Array(n);
      const expected = splitRows(binsCol.slice(), n, f, goLeft.slice(), plain, a, b, plain, plainRight);
      expect(splitRows(binsCol, n, f, goLeft, rows, a, b, rows, right)).toBe(expected);
      expect(Array.from(rows.subarray(a, a + expected))).toEqual(Array.from(plain.subarray(a, a + expected)));
      expect(Array.from(right.subarray(a, b - expected))).toEqual(Array.from(plainRight.subarray(a, b - expected)));
    }
  });
});
