/**
 * Splitting a node's rows between its children, stably (order kept) and branch-free: each row is
 * written to both outputs and only the output it belongs to advances (the two-output form of
 * LightGBM's `DataPartition::Split`). One thread compacts the left rows in place and copies the
 * right rows back after them from a scratch run. Several threads share a big node as LightGBM
 * does, in two parallel passes over pieces of the node's row list: each piece splits its rows
 * into two scratch arrays at its own positions (`splitPiece`: left rows into `tmpL`, right rows
 * into `tmpR`) and counts its left rows; then each piece moves its two runs straight to their
 * final places (`placePiece`: after the left rows of the pieces before it, and after all left
 * rows plus the right rows of the pieces before it). Each row is copied once, by the thread that
 * split it, so no thread stitches the pieces alone; and the left child's rows precede the right
 * child's in order either way — a stable partition has one result, whatever the pieces. A row
 * goes left when `goLeft[bin]` is 1: a 256-entry table made from the split's bin set, which
 * expresses numeric thresholds (bins 0..t, plus the missing bin when missing values go left) and
 * category sets alike. The split and the moves run as WebAssembly kernels (`memory.copy` for the
 * moves: JavaScript's `TypedArray.set` runs about half as fast on shared memory) when every
 * array lives in one WebAssembly memory (the training state's), else as the same loops in
 * JavaScript.
 */
import { CodeBuilder, Op, ValType, type WasmFunction, encodeModule } from "../../core/wasm/index.js";

/**
 * Stable split of `rows[a..b)` on feature f (column-major codes: a node's rows are scattered, and
 * one byte per row of one feature wastes far less cache than whole rows): left rows to
 * `outL[a ..]`, right rows to `outR[a ..]`, both in order. `outL` may be `rows` itself (a write
 * never overtakes the read: the left rows are compacted forward in place). Returns the number of
 * left rows.
 *
 * @example
 * ```ts
 * const binsCol = Uint8Array.of(3, 0, 7, 1); // one feature, 4 rows
 * const goLeft = new Uint8Array(256).fill(1, 0, 2); // bins 0 and 1 go left
 * const rows = Int32Array.of(0, 1, 2, 3);
 * const right = new Int32Array(4);
 * splitRows(binsCol, 4, 0, goLeft, rows, 0, 4, rows, right); // 2: rows starts 1, 3; right holds 0, 2
 * ```
 */
export function splitRows(binsCol: Uint8Array, n: number, f: number, goLeft: Uint8Array, rows: Int32Array, a: number, b: number, outL: Int32Array, outR: Int32Array): number {
  if (b <= a) return 0;
  const buffer = rows.buffer;
  if (buffer instanceof ArrayBuffer || buffer instanceof SharedArrayBuffer) {
    const kernel = kernelFor(buffer)?.split;
    if (kernel && binsCol.buffer === buffer && goLeft.buffer === buffer && outL.buffer === buffer && outR.buffer === buffer) {
      const at = rows.byteOffset + 4 * a;
      const end = rows.byteOffset + 4 * b;
      const outAt = outL.byteOffset + 4 * a;
      return (kernel(at, at + 16 * ((b - a) >>> 2), end, binsCol.byteOffset + f * n, goLeft.byteOffset, outAt, outR.byteOffset + 4 * a) - outAt) >>> 2;
    }
  }
  return splitRowsJs(binsCol, n, f, goLeft, rows, a, b, outL, outR);
}

/** `splitRows` in JavaScript (arrays outside a WebAssembly memory). */
function splitRowsJs(binsCol: Uint8Array, n: number, f: number, goLeft: Uint8Array, rows: Int32Array, a: number, b: number, outL: Int32Array, outR: Int32Array): number {
  const off = f * n;
  let cl = a;
  let cr = a;
  for (let i = a; i < b; i++) {
    const r = rows[i];
    const left = goLeft[binsCol[off + r]];
    outL[cl] = r;
    outR[cr] = r;
    cl += left;
    cr += 1 - left;
  }
  return cl - a;
}

interface PartitionKernels {
  split: (at: number, end4: number, end: number, col: number, goLeft: number, outL: number, outR: number) => number;
  /** move(dst, src, bytes): `memory.copy`. */
  move: (dst: number, src: number, bytes: number) => void;
}

/** This thread's partition kernels per memory buffer (workers each instantiate their own). */
const kernels = new WeakMap<ArrayBufferLike, PartitionKernels>();

/** Registers `memory` so arrays over its buffer split and move with the WebAssembly kernels. */
export function useSplitKernel(memory: WebAssembly.Memory): void {
  if (kernels.has(memory.buffer)) return;
  const shared = memory.buffer instanceof SharedArrayBuffer;
  const bytes = encodeModule({ module: "env", name: "memory", minPages: 1, maxPages: 65536, shared }, [splitFunction(), moveFunction()]);
  const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
  kernels.set(memory.buffer, { split: exports.split as PartitionKernels["split"], move: exports.move as PartitionKernels["move"] });
}

function kernelFor(buffer: ArrayBufferLike): PartitionKernels | null {
  return kernels.get(buffer) ?? null;
}

/** move(dst, src, bytes): `memory.copy` (bulk memory, 0xFC 10 with memory indices 0, 0). */
function moveFunction(): WasmFunction {
  const { i32 } = ValType;
  const c = new CodeBuilder().localGet(0).localGet(1).localGet(2).op(0xfc).op(10).op(0).op(0);
  return { name: "move", params: [i32, i32, i32], results: [], locals: [], body: c };
}

/** `out[at ..]` = `src[from .. from + len)` (Int32 arrays; with the WebAssembly move when both live in a registered memory). */
function copyRun(src: Int32Array, from: number, len: number, out: Int32Array, at: number): void {
  if (len <= 0) return;
  const kernel = src.buffer === out.buffer ? kernelFor(src.buffer) : null;
  if (kernel) kernel.move(out.byteOffset + 4 * at, src.byteOffset + 4 * from, 4 * len);
  else out.set(src.subarray(from, from + len), at);
}

/**
 * split(at, end4, end, col, goLeft, outL, outR) → outL's end: for each row r at `at` (4 at a time
 * up to end4, then one at a time), store r at outL and at outR, then advance outL by 4 when
 * goLeft[col[r]] is 1, else outR (all byte addresses).
 */
function splitFunction(): WasmFunction {
  const { i32 } = ValType;
  const [AT, END4, END, COL, GO_LEFT, OUT_L, OUT_R, ROW, STEP] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const c = new CodeBuilder();
  const row = (offset: number) => {
    c.localGet(AT).mem(Op.i32Load, 2, offset).localSet(ROW);
    c.localGet(OUT_L).localGet(ROW).mem(Op.i32Store, 2, 0);
    c.localGet(OUT_R).localGet(ROW).mem(Op.i32Store, 2, 0);
    // STEP = 4 · goLeft[col[row]]
    c.localGet(COL).localGet(ROW).op(Op.i32Add).mem(Op.i32Load8u, 0, 0).localGet(GO_LEFT).op(Op.i32Add).mem(Op.i32Load8u, 0, 0).i32Const(2).op(Op.i32Shl).localSet(STEP);
    c.localGet(OUT_L).localGet(STEP).op(Op.i32Add).localSet(OUT_L);
    c.localGet(OUT_R).i32Const(4).op(Op.i32Add).localGet(STEP).op(Op.i32Sub).localSet(OUT_R);
  };
  const loop = (end: number, unroll: number) => {
    c.open(Op.block).localGet(AT).localGet(end).op(Op.i32GeU).br(0, true).open(Op.loop);
    for (let u = 0; u < unroll; u++) row(4 * u);
    c.localGet(AT).i32Const(4 * unroll).op(Op.i32Add).localTee(AT).localGet(end).op(Op.i32LtU).br(0, true).end().end();
  };
  loop(END4, 4);
  loop(END, 1);
  c.localGet(OUT_L);
  return { name: "split", params: [i32, i32, i32, i32, i32, i32, i32], results: [i32], locals: [i32, i32], body: c };
}

/** `splitRows` in place on one thread, then the right rows copied back after the left ones. */
export function partitionInPlace(binsCol: Uint8Array, n: number, f: number, goLeft: Uint8Array, rows: Int32Array, a: number, b: number, tmp: Int32Array): number {
  const cl = splitRows(binsCol, n, f, goLeft, rows, a, b, rows, tmp);
  copyRun(tmp, a, b - a - cl, rows, a + cl);
  return cl;
}

/** Start of piece i of `pieces` equal pieces of rows[a..b) (piece `pieces` ends at b). */
export function pieceStart(a: number, b: number, pieces: number, i: number): number {
  return a + Math.floor(((b - a) * i) / pieces);
}

/**
 * Pass 1 of a parallel partition, piece i of `pieces` of rows[a..b): its left rows to `tmpL`,
 * its right rows to `tmpR`, both from the piece's start and in order. Returns its left rows.
 *
 * @example
 * ```ts
 * for (let i = 0; i < 2; i++) counts[i] = splitPiece(binsCol, n, f, goLeft, rows, a, b, 2, i, tmpL, tmpR);
 * for (let i = 0; i < 2; i++) placePiece(rows, tmpL, tmpR, a, b, 2, counts, i); // rows[a..b) partitioned
 * ```
 */
export function splitPiece(binsCol: Uint8Array, n: number, f: number, goLeft: Uint8Array, rows: Int32Array, a: number, b: number, pieces: number, i: number, tmpL: Int32Array, tmpR: Int32Array): number {
  return splitRows(binsCol, n, f, goLeft, rows, pieceStart(a, b, pieces, i), pieceStart(a, b, pieces, i + 1), tmpL, tmpR);
}

/**
 * Pass 2 of a parallel partition, after `splitPiece` of every piece (`counts[j]`: piece j's left
 * rows): piece i's left run goes to rows[a + Σ_{j<i} counts[j] ..], its right run to rows[a +
 * Σ_j counts[j] + Σ_{j<i} (piece j's rows − counts[j]) ..] — the rows exactly as
 * `partitionInPlace` over rows[a..b) leaves them. The pieces write disjoint places and read only
 * scratch, so they may run at once. Returns the left rows of all pieces.
 *
 * @example
 * ```ts
 * const counts = Int32Array.of(0, 0);
 * for (let i = 0; i < 2; i++) counts[i] = splitPiece(binsCol, n, f, goLeft, rows, a, b, 2, i, tmpL, tmpR);
 * for (let i = 0; i < 2; i++) placePiece(rows, tmpL, tmpR, a, b, 2, counts, i);
 * ```
 */
export function placePiece(rows: Int32Array, tmpL: Int32Array, tmpR: Int32Array, a: number, b: number, pieces: number, counts: Int32Array, i: number): number {
  let before = 0;
  let nLeft = 0;
  for (let j = 0; j < pieces; j++) {
    if (j === i) before = nLeft;
    nLeft += counts[j];
  }
  const s = pieceStart(a, b, pieces, i);
  const rightBefore = s - a - before;
  const c = counts[i];
  copyRun(tmpL, s, c, rows, a + before);
  copyRun(tmpR, s, pieceStart(a, b, pieces, i + 1) - s - c, rows, a + nLeft + rightBefore);
  return nLeft;
}

/** The 256-entry go-left table of a bin set (BITSET_WORDS words). */
export function goLeftTable(bits: ArrayLike<number>, out: Uint8Array): Uint8Array {
  for (let b = 0; b < 256; b++) out[b] = (bits[b >>> 5] >>> (b & 31)) & 1;
  return out;
}
