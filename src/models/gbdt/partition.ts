/**
 * Splitting a node's rows between its children, stably (order kept) and branch-free: each row is
 * written to both outputs and only the output it belongs to advances (the two-output form of
 * LightGBM's `DataPartition::Split`). One thread compacts the left rows in place and copies the
 * right rows back after them from a scratch run; several threads do the same on pieces of the
 * node's row list at once (each piece's left rows compacted at its start, its right rows into the
 * scratch array at the same positions), and the calling thread then moves every piece's runs to
 * their places (`stitchPieces`), so the left child's rows precede the right child's either way —
 * a stable partition has one result, whatever the pieces. A row goes left when
 * `goLeft[bin]` is 1: a 256-entry table made from the split's bin set, which expresses numeric
 * thresholds (bins 0..t, plus the missing bin when missing values go left) and category sets
 * alike. The split runs as a WebAssembly kernel when every array lives in one WebAssembly memory
 * (the training state's), else as the same loop in JavaScript.
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
    const kernel = kernelFor(buffer);
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

type SplitKernel = (at: number, end4: number, end: number, col: number, goLeft: number, outL: number, outR: number) => number;

/** This thread's split kernel per memory buffer (workers each instantiate their own). */
const kernels = new WeakMap<ArrayBufferLike, SplitKernel | null>();

/** Registers `memory` so arrays over its buffer split with the WebAssembly kernel. */
export function useSplitKernel(memory: WebAssembly.Memory): void {
  if (kernels.has(memory.buffer)) return;
  const shared = memory.buffer instanceof SharedArrayBuffer;
  const bytes = encodeModule({ module: "env", name: "memory", minPages: 1, maxPages: 65536, shared }, [splitFunction()]);
  kernels.set(memory.buffer, new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports.split as SplitKernel);
}

function kernelFor(buffer: ArrayBufferLike): SplitKernel | null {
  return kernels.get(buffer) ?? null;
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
  rows.set(tmp.subarray(a, a + (b - a - cl)), a + cl);
  return cl;
}

/** Start of piece i of `pieces` equal pieces of rows[a..b) (piece `pieces` ends at b). */
export function pieceStart(a: number, b: number, pieces: number, i: number): number {
  return a + Math.floor(((b - a) * i) / pieces);
}

/**
 * After `splitRows` of each piece of rows[a..b) in place (left rows compacted at the piece's start,
 * right rows at the same positions of `tmp`; `counts[i]` left rows in piece i): move the pieces'
 * left runs together after the first one, then every right run after them, in piece order — the
 * rows exactly as `partitionInPlace` over rows[a..b) leaves them. Returns the left rows in all.
 *
 * @example
 * ```ts
 * const counts = Int32Array.of(0, 0);
 * for (let i = 0; i < 2; i++) counts[i] = splitRows(binsCol, n, f, goLeft, rows, pieceStart(a, b, 2, i), pieceStart(a, b, 2, i + 1), rows, tmp);
 * const nLeft = stitchPieces(rows, tmp, a, b, 2, counts);
 * ```
 */
export function stitchPieces(rows: Int32Array, tmp: Int32Array, a: number, b: number, pieces: number, counts: Int32Array): number {
  // left runs move down (never past rows a later piece has not yet given up: a run's new end is at
  // most its old end), so in piece order each copy reads rows not yet overwritten
  let pos = a + counts[0];
  for (let i = 1; i < pieces; i++) {
    const s = pieceStart(a, b, pieces, i);
    const c = counts[i];
    if (pos !== s && c > 0) rows.copyWithin(pos, s, s + c);
    pos += c;
  }
  const nLeft = pos - a;
  for (let i = 0; i < pieces; i++) {
    const s = pieceStart(a, b, pieces, i);
    const right = pieceStart(a, b, pieces, i + 1) - s - counts[i];
    rows.set(tmp.subarray(s, s + right), pos);
    pos += right;
  }
  return nLeft;
}

/** The 256-entry go-left table of a bin set (BITSET_WORDS words). */
export function goLeftTable(bits: ArrayLike<number>, out: Uint8Array): Uint8Array {
  for (let b = 0; b < 256; b++) out[b] = (bits[b >>> 5] >>> (b & 31)) & 1;
  return out;
}
