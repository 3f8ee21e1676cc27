/**
 * Splitting a node's rows between its children, stably (order kept) and branch-free: each row is
 * written to both outputs and only the output it belongs to advances (the two-output form of
 * LightGBM's `DataPartition::Split`). One thread compacts the left rows in place and copies the
 * right rows back after them from a scratch run. Several threads share a big node as LightGBM
 * does, in two passes over each piece of the node's row list, one task per piece: the piece
 * splits its rows into two scratch arrays at its own positions (`splitPiece`: left rows into
 * `tmpL`, right rows into `tmpR`) and publishes its left count; then it moves every run that has
 * become movable straight to its final place in the row list (`placeReady`: a run is movable
 * once the counts before it are known and the rows it overwrites have been split), so each run
 * is copied once, by whichever thread finds it movable first — no thread stitches the pieces
 * alone, no task waits for another, and there is no second job to dispatch. The left child's
 * rows precede the right child's in order either way — a stable partition has one result,
 * whatever the pieces. A row goes left when `goLeft[bin]` is 1: a 256-entry table made from the split's bin set, which
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
 * const counts = new Int32Array(2).fill(-1);
 * for (let i = 0; i < 2; i++) counts[i] = splitPiece(binsCol, n, f, goLeft, rows, a, b, 2, i, tmpL, tmpR);
 * placeReady(rows, tmpL, tmpR, a, b, 2, counts, counts[0] + counts[1], new Int32Array(4)); // rows[a..b) partitioned
 * ```
 */
export function splitPiece(binsCol: Uint8Array, n: number, f: number, goLeft: Uint8Array, rows: Int32Array, a: number, b: number, pieces: number, i: number, tmpL: Int32Array, tmpR: Int32Array): number {
  return splitRows(binsCol, n, f, goLeft, rows, pieceStart(a, b, pieces, i), pieceStart(a, b, pieces, i + 1), tmpL, tmpR);
}

/** Most pieces of one parallel partition (`placed` holds two flags per piece). */
export const MAX_PIECES = 64;

/**
 * Pass 2 of a parallel partition, run by each piece right after its `splitPiece` has published
 * its left count in `counts` (−1: not yet counted; `nLeft`: the node's left rows, known from the
 * split's histogram): move every run that may move now and that no thread has claimed yet (in
 * `placed`, 0 → 1 by compare-and-swap, two flags per piece: left run, right run). Piece i's left
 * run goes to rows[a + Σ_{j<i} counts[j] ..], its right run to rows[a + nLeft + Σ_{j<i} (piece j's
 * rows − counts[j]) ..] — the rows exactly as `partitionInPlace` over rows[a..b) leaves them. A run
 * may move once the counts before it are known and every piece whose rows its destination covers
 * has been split (its rows read): a left run lands within pieces 0..i, a right run anywhere after
 * the left rows. No piece waits for another (pieces need not run at once: one thread may run
 * them all), and the piece published last finds every run it has not moved movable, so all
 * are moved before the job ends: a job of one task per piece, with no second pass to dispatch.
 * Counts and flags are read and written with `Atomics` (sequentially consistent), so a thread
 * that sees a piece counted sees its scratch runs too. Returns the runs this call moved.
 *
 * @example
 * ```ts
 * const counts = new Int32Array(2).fill(-1);
 * const placed = new Int32Array(4);
 * for (let i = 0; i < 2; i++) {
 *   Atomics.store(counts, i, splitPiece(binsCol, n, f, goLeft, rows, a, b, 2, i, tmpL, tmpR));
 *   placeReady(rows, tmpL, tmpR, a, b, 2, counts, nLeft, placed);
 * }
 * ```
 */
export function placeReady(rows: Int32Array, tmpL: Int32Array, tmpR: Int32Array, a: number, b: number, pieces: number, counts: Int32Array, nLeft: number, placed: Int32Array): number {
  let moved = 0;
  let before = 0;
  for (let i = 0; i < pieces; i++) {
    const c = Atomics.load(counts, i);
    // the runs of later pieces need this count for their places
    if (c < 0) break;
    const s = pieceStart(a, b, pieces, i);
    const e = pieceStart(a, b, pieces, i + 1);
    // (the left run lands within pieces 0..i, all counted: split)
    if (Atomics.load(placed, 2 * i) === 0 && Atomics.compareExchange(placed, 2 * i, 0, 1) === 0) {
      copyRun(tmpL, s, c, rows, a + before);
      moved++;
    }
    const r = e - s - c;
    const at = a + nLeft + (s - a - before);
    if (Atomics.load(placed, 2 * i + 1) === 0 && splitOver(a, b, pieces, counts, i + 1, at, at + r) && Atomics.compareExchange(placed, 2 * i + 1, 0, 1) === 0) {
      copyRun(tmpR, s, r, rows, at);
      moved++;
    }
    before += c;
  }
  return moved;
}

/** Whether every piece from `from` on that holds positions of [lo, hi) has counted (its rows are read). */
function splitOver(a: number, b: number, pieces: number, counts: Int32Array, from: number, lo: number, hi: number): boolean {
  for (let j = from; j < pieces; j++) {
    if (pieceStart(a, b, pieces, j) >= hi) return true;
    if (pieceStart(a, b, pieces, j + 1) > lo && Atomics.load(counts, j) < 0) return false;
  }
  return true;
}

/** The 256-entry go-left table of a bin set (BITSET_WORDS words). */
export function goLeftTable(bits: ArrayLike<number>, out: Uint8Array): Uint8Array {
  for (let b = 0; b < 256; b++) out[b] = (bits[b >>> 5] >>> (b & 31)) & 1;
  return out;
}
