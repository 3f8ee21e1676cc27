/**
 * Row partitioning: the blocked split into scratch runs, stitched back, orders rows exactly as the
 * in-place partition of one thread does (both stable), whatever the block size.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/core/rng.js";
import { partitionInPlace, splitRows, useSplitKernel } from "../../../src/models/gbdt/partition.js";

describe("partition", () => {
  it("blocked split + stitch equals the in-place partition", () => {
    const rng = new Rng(31);
    const n = 20_000;
    const p = 3;
    const binsCol = Uint8Array.from({ length: n * p }, () => rng.int(256));
    const goLeft = Uint8Array.from({ length: 256 }, () => (rng.float() < 0.4 ? 1 : 0));
    // the rows: a sorted sample, as a partition leaves them
    const rows = Int32Array.from({ length: n }, (_, i) => i).filter(() => rng.float() < 0.7);
    const m = rows.length;
    for (const [a, b, block] of [
      [0, m, 4096],
      [17, 9_003, 1000],
      [5, 12, 3],
      [100, 101, 7],
    ]) {
      const f = rng.int(p);
      const ref = rows.slice();
      const tmp = new Int32Array(rows.length);
      const cl = partitionInPlace(binsCol, n, f, goLeft, ref, a, b, tmp);
      const out = rows.slice();
      const scratchL = new Int32Array(rows.length);
      const scratchR = new Int32Array(rows.length);
      const counts: number[] = [];
      for (let s = a; s < b; s += block) counts.push(splitRows(binsCol, n, f, goLeft, out, s, Math.min(b, s + block), scratchL, scratchR));
      const nLeft = counts.reduce((x, y) => x + y, 0);
      expect(nLeft).toBe(cl);
      let posL = a;
      let posR = a + nLeft;
      counts.forEach((c, k) => {
        const s = a + k * block;
        const len = Math.min(block, b - s);
        out.set(scratchL.subarray(s, s + c), posL);
        out.set(scratchR.subarray(s, s + len - c), posR);
        posL += c;
        posR += len - c;
      });
      expect(Array.from(out)).toEqual(Array.from(ref));
      for (let i = a; i < b; i++) expect(goLeft[binsCol[f * n + out[i]]]).toBe(i < a + cl ? 1 : 0);
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
