/**
 * Row partitioning: pieces split in place and stitched together order rows exactly as the
 * in-place partition of one thread does (both stable), whatever the number of pieces.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/core/rng.js";
import { partitionInPlace, pieceStart, splitRows, stitchPieces, useSplitKernel } from "../../../src/models/gbdt/partition.js";

describe("partition", () => {
  it("pieces split in place + stitch equal the in-place partition", () => {
    const rng = new Rng(31);
    const n = 20_000;
    const p = 3;
    const binsCol = Uint8Array.from({ length: n * p }, () => rng.int(256));
    const goLeft = Uint8Array.from({ length: 256 }, () => (rng.float() < 0.4 ? 1 : 0));
    // the rows: a sorted sample, as a partition leaves them
    const rows = Int32Array.from({ length: n }, (_, i) => i).filter(() => rng.float() < 0.7);
    const m = rows.length;
    for (const [a, b, pieces] of [
      [0, m, 8],
      [17, 9_003, 3],
      [5, 12, 7],
      [100, 101, 1],
      [40, 9_000, 2],
    ]) {
      const f = rng.int(p);
      const ref = rows.slice();
      const tmp = new Int32Array(rows.length);
      const cl = partitionInPlace(binsCol, n, f, goLeft, ref, a, b, tmp);
      const out = rows.slice();
      const scratch = new Int32Array(rows.length);
      const counts = new Int32Array(pieces);
      for (let i = 0; i < pieces; i++) counts[i] = splitRows(binsCol, n, f, goLeft, out, pieceStart(a, b, pieces, i), pieceStart(a, b, pieces, i + 1), out, scratch);
      expect(stitchPieces(out, scratch, a, b, pieces, counts)).toBe(cl);
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
