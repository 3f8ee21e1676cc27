/**
 * Gradient histograms (Chen & Guestrin, "XGBoost", KDD 2016 §3.3 `hist`; Ke et al., "LightGBM",
 * NeurIPS 2017): for every feature and bin of a node, the sums of gradients, hessians and the row
 * count, laid out as one `Float64Array` of triples `[g, h, count]`, features packed back to back
 * (feature f's bin b at `hoff[f] + 3·b`, its missing bin at `3·nBins[f]`). A child's histogram is
 * its parent's minus its sibling's, so only the smaller child is ever built from rows. The kernels
 * that add rows into histograms are WebAssembly, generated per layout (`histKernels`).
 */
import { CodeBuilder, Op, SimdOp, ValType, type WasmFunction, encodeModule } from "../../core/wasm/index.js";

/** Where each feature's bins start in a histogram, and the histogram's length in doubles. */
export interface HistLayout {
  hoff: Int32Array;
  size: number;
}

export function histLayout(nBins: Int32Array): HistLayout {
  const p = nBins.length;
  const hoff = new Int32Array(p);
  let o = 0;
  for (let f = 0; f < p; f++) {
    hoff[f] = o;
    o += 3 * (nBins[f] + 1);
  }
  return { hoff, size: o };
}

/** Histogram kernels specialised for one feature layout; every array must be a view of the kernels' memory. */
export interface HistKernels {
  /** Add rows a..b−1 (all rows, in order) into `out` at offset `o`. */
  dense(bins: Uint8Array, g: Float32Array, h: Float32Array, gBase: number, a: number, b: number, out: Float64Array, o: number): void;
  /** Like `dense`, but only gradient and hessian sums (counts left as they are). */
  denseNoCount(bins: Uint8Array, g: Float32Array, h: Float32Array, gBase: number, a: number, b: number, out: Float64Array, o: number): void;
  /** Add the rows listed at `rows[a..b−1]` into `out` at offset `o`. */
  rows(bins: Uint8Array, g: Float32Array, h: Float32Array, gBase: number, rows: Int32Array, a: number, b: number, out: Float64Array, o: number): void;
  /** A `rows` kernel for features f0..f1−1 only (built on first use, then cached). */
  rowsOf(f0: number, f1: number): HistKernels["rows"];
  /** out[oo + j] += src[so + j] for j < count (merging partial histograms). */
  accumulate(src: Float64Array, so: number, out: Float64Array, oo: number, count: number): void;
  /** out[oo + j] −= src[so + j] for j < count (a parent's histogram minus one child's: the other child's). */
  subtract(src: Float64Array, so: number, out: Float64Array, oo: number, count: number): void;
  /**
   * out[o .. o + count) = 0, by WebAssembly's `memory.fill`: about 3× faster than
   * `Float64Array.prototype.fill` on shared memory (184 KB: 9 against 26 µs here), and a fit
   * zeroes a partial histogram per row block.
   */
  clear(out: Float64Array, o: number, count: number): void;
}

/** Features up to which kernels are generated with the feature loop unrolled; wider data runs a loop over `hoff`. */
export const UNROLL_MAX_FEATURES = 256;

/** Bytes per row of the row-major bin matrix for p features: p rounded up to whole 32-bit words. */
export function rowStride(p: number): number {
  return Math.max(4, (p + 3) & ~3);
}

/** The largest WebAssembly memory (wasm32): 65,536 pages of 64 KiB. */
export const WASM_MAX_PAGES = 65536;
export const WASM_PAGE_BYTES = 65536;

const { i32, v128 } = ValType;
/**
 * Every kernel takes (cursor, cursorEnd, bins, g, h, out, hoff, f0, f1), all byte addresses but the
 * feature range: a dense kernel walks `cursor` over the rows' bin codes, a rows kernel over the
 * row list; g and h point at the class's first gradient (+ the first row's, for dense).
 */
const PARAMS = [i32, i32, i32, i32, i32, i32, i32, i32, i32];
const [CURSOR, CURSOR_END, BINS, G, H, OUT, HOFF, F0, F1] = PARAMS.keys();
/** Locals: the row's bin codes, a bin's address, the feature (generic loop), the row's gradient offset, gather pointers, (g, h) as f64x2. */
const [ROW, ADDR, F, R4, CHUNK_END, REC, REC_END, GH] = [9, 10, 11, 12, 13, 14, 15, 16];
const LOCALS = [i32, i32, i32, i32, i32, i32, i32, v128];

/** Rows gathered at a time by the `rows` kernels (their records stay in L1: 256 × 48 bytes at 30 features). */
export const GATHER_ROWS = 256;

/** Bytes of one gathered record: the row's (g, h) as two f64, then its whole row of codes, rounded to 16. */
export function gatherRecordBytes(stride: number): number {
  return 16 + ((stride + 15) & ~15);
}

/** Adds the row's (g, h) to its bin of one feature (address in ADDR + `offset` bytes) and, with `counts`, 1 to the count. */
function addToBin(c: CodeBuilder, offset: number, counts: boolean): void {
  c.localTee(ADDR).localGet(ADDR).simdMem(SimdOp.v128Load, 3, offset).localGet(GH).simd(SimdOp.f64x2Add).simdMem(SimdOp.v128Store, 3, offset);
  if (counts) c.localGet(ADDR).localGet(ADDR).mem(Op.f64Load, 3, offset + 16).f64Const(1).op(Op.f64Add).mem(Op.f64Store, 3, offset + 16);
}

/** Pushes the row's (g, h) (f32 at G + R4 and H + R4) widened to an f64x2. */
function gradientPair(c: CodeBuilder): void {
  c.localGet(G).localGet(R4).op(Op.i32Add).mem(Op.f32Load, 2, 0).op(Op.f64PromoteF32).simd(SimdOp.f64x2Splat);
  c.localGet(H).localGet(R4).op(Op.i32Add).mem(Op.f32Load, 2, 0).op(Op.f64PromoteF32).simdLane(SimdOp.f64x2ReplaceLane, 1);
}

/** The row at CURSOR: ROW = its codes, R4 = its gradient's byte offset. */
function listedRow(c: CodeBuilder, stride: number): void {
  c.localGet(CURSOR).mem(Op.i32Load, 2, 0).localTee(R4).i32Const(stride).op(Op.i32Mul).localGet(BINS).op(Op.i32Add).localSet(ROW);
  c.localGet(R4).i32Const(2).op(Op.i32Shl).localSet(R4);
}

/** Adds (g, h) in GH (and 1) into each feature's bin picked by the code at ROW + f. */
function addRow(c: CodeBuilder, counts: boolean, hoff: Int32Array, features: [number, number] | null): void {
  if (features) {
    for (let f = features[0]; f < features[1]; f++) {
      c.localGet(ROW).mem(Op.i32Load8u, 0, f).i32Const(24).op(Op.i32Mul).localGet(OUT).op(Op.i32Add);
      addToBin(c, 8 * hoff[f], counts);
    }
    return;
  }
  c.localGet(F0).localSet(F).open(Op.loop);
  c.localGet(ROW).localGet(F).op(Op.i32Add).mem(Op.i32Load8u, 0, 0).i32Const(24).op(Op.i32Mul);
  c.localGet(HOFF).localGet(F).i32Const(2).op(Op.i32Shl).op(Op.i32Add).mem(Op.i32Load, 2, 0).i32Const(3).op(Op.i32Shl).op(Op.i32Add);
  c.localGet(OUT).op(Op.i32Add);
  addToBin(c, 0, counts);
  c.localGet(F).i32Const(1).op(Op.i32Add).localTee(F).localGet(F1).op(Op.i32LtU).br(0, true).end();
}

/** How a kernel walks its rows: all rows a..b−1, the listed ones, or the listed ones gathered into `scratch` first. */
type Walk = { kind: "dense" } | { kind: "listed" } | { kind: "gathered"; scratch: number };

/**
 * One kernel as a WebAssembly function: for each row (in order), its (g, h) widened to f64 once,
 * then one f64x2 add per feature into the bin its code picks — straight-line with the layout's
 * offsets as constant memory offsets for `features` [f0, f1), or a loop over `hoff` when null.
 * A gathered kernel copies each run of `GATHER_ROWS` listed rows (codes and (g, h)) into a
 * contiguous scratch area first, as LightGBM gathers ordered gradients: the scattered rows' cache
 * misses then come back to back in a short loop (WebAssembly has no prefetch), and the
 * histogram loop reads from L1.
 */
function kernelFunction(name: string, walk: Walk, counts: boolean, stride: number, hoff: Int32Array, features: [number, number] | null): WasmFunction {
  const c = new CodeBuilder();
  c.open(Op.loop);
  if (walk.kind === "gathered") {
    const record = gatherRecordBytes(stride);
    // this run of rows: CURSOR .. min(CURSOR + GATHER_ROWS rows, CURSOR_END)
    c.localGet(CURSOR).i32Const(4 * GATHER_ROWS).op(Op.i32Add).localGet(CURSOR_END);
    c.localGet(CURSOR).i32Const(4 * GATHER_ROWS).op(Op.i32Add).localGet(CURSOR_END).op(Op.i32LtU).op(Op.select).localSet(CHUNK_END);
    c.i32Const(walk.scratch).localSet(REC).open(Op.loop);
    listedRow(c, stride);
    // the words holding the kernel's features, at their places in the record
    // the 16-byte pieces holding the kernel's features, at their places in the record (the last
    // may read up to 15 bytes past the row's codes: see `histKernels`)
    const [b0, b1] = features ? [features[0] & ~15, Math.min(stride, features[1])] : [0, stride];
    for (let b = b0; b < b1; b += 16) c.localGet(REC).localGet(ROW).simdMem(SimdOp.v128Load, 0, b).simdMem(SimdOp.v128Store, 4, 16 + b);
    c.localGet(REC);
    gradientPair(c);
    c.simdMem(SimdOp.v128Store, 4, 0);
    c.localGet(REC).i32Const(record).op(Op.i32Add).localSet(REC);
    c.localGet(CURSOR).i32Const(4).op(Op.i32Add).localTee(CURSOR).localGet(CHUNK_END).op(Op.i32LtU).br(0, true).end();
    // add the records
    c.localGet(REC).localSet(REC_END).i32Const(walk.scratch).localSet(REC).open(Op.loop);
    c.localGet(REC).simdMem(SimdOp.v128Load, 4, 0).localSet(GH);
    c.localGet(REC).i32Const(16).op(Op.i32Add).localSet(ROW);
    addRow(c, counts, hoff, features);
    c.localGet(REC).i32Const(record).op(Op.i32Add).localTee(REC).localGet(REC_END).op(Op.i32LtU).br(0, true).end();
  } else {
    if (walk.kind === "listed") listedRow(c, stride);
    else c.localGet(CURSOR).localSet(ROW).i32Const(0).localSet(R4);
    gradientPair(c);
    c.localSet(GH);
    addRow(c, counts, hoff, features);
    // next row
    if (walk.kind === "listed") c.localGet(CURSOR).i32Const(4).op(Op.i32Add).localSet(CURSOR);
    else {
      for (const p of [G, H]) c.localGet(p).i32Const(4).op(Op.i32Add).localSet(p);
      c.localGet(CURSOR).i32Const(stride).op(Op.i32Add).localSet(CURSOR);
    }
  }
  c.localGet(CURSOR).localGet(CURSOR_END).op(Op.i32LtU).br(0, true).end();
  return { name, params: PARAMS, results: [], locals: LOCALS, body: c };
}

/**
 * `name`(src, dst, count): dst[j] = dst[j] ∘ src[j] for ∘ = `op` (add or sub), two doubles per
 * f64x2 instruction (each element gets the one operation a scalar loop gives it), the last one
 * alone when count is odd.
 */
function elementwiseFunction(name: string, op: "add" | "sub"): WasmFunction {
  const [SRC, DST, COUNT, END] = [0, 1, 2, 3];
  const [pairOp, scalarOp] = op === "add" ? [SimdOp.f64x2Add, Op.f64Add] : [SimdOp.f64x2Sub, Op.f64Sub];
  const c = new CodeBuilder();
  // END = DST + 8·(count rounded down to even)
  c.localGet(DST).localGet(COUNT).i32Const(-2).op(Op.i32And).i32Const(3).op(Op.i32Shl).op(Op.i32Add).localSet(END);
  c.open(Op.block).localGet(DST).localGet(END).op(Op.i32GeU).br(0, true).open(Op.loop);
  c.localGet(DST).localGet(DST).simdMem(SimdOp.v128Load, 3, 0).localGet(SRC).simdMem(SimdOp.v128Load, 3, 0).simd(pairOp).simdMem(SimdOp.v128Store, 3, 0);
  c.localGet(SRC).i32Const(16).op(Op.i32Add).localSet(SRC);
  c.localGet(DST).i32Const(16).op(Op.i32Add).localTee(DST).localGet(END).op(Op.i32LtU).br(0, true).end().end();
  c.open(Op.block).localGet(COUNT).i32Const(1).op(Op.i32And).op(Op.i32Eqz).br(0, true);
  c.localGet(DST).localGet(DST).mem(Op.f64Load, 3, 0).localGet(SRC).mem(Op.f64Load, 3, 0).op(scalarOp).mem(Op.f64Store, 3, 0).end();
  return { name, params: [i32, i32, i32], results: [], locals: [i32], body: c };
}

/** clear(dst, bytes): `memory.fill` with 0 (bulk memory, 0xFC 11 with memory index 0). */
function clearFunction(): WasmFunction {
  const c = new CodeBuilder().localGet(0).i32Const(0).localGet(1).op(0xfc).op(11).op(0);
  return { name: "clear", params: [i32, i32], results: [], locals: [], body: c };
}

type RawKernel = (cursor: number, cursorEnd: number, bins: number, g: number, h: number, out: number, hoff: number, f0: number, f1: number) => void;

function instantiate(memory: WebAssembly.Memory, functions: WasmFunction[]): Record<string, RawKernel> {
  const shared = memory.buffer instanceof SharedArrayBuffer;
  const bytes = encodeModule({ module: "env", name: "memory", minPages: 1, maxPages: WASM_MAX_PAGES, shared }, functions);
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as Record<string, RawKernel>;
}

/** Where a thread's kernels may gather rows: a byte address in their memory and the room there. */
export interface GatherScratch {
  at: number;
  bytes: number;
}

/**
 * Kernels for a layout whose rows are `stride` bytes apart in the row-major bin matrix, compiled to
 * WebAssembly over `memory` (where the bins, gradients, row lists and histograms live; `hoff`
 * too for more than `UNROLL_MAX_FEATURES` features). Up to that width the loop over features is
 * unrolled with the layout's offsets as constants; each (g, h) pair is added as one f64x2. With
 * `scratch` (this thread's own, 16-byte aligned) the `rows` kernels gather scattered row lists
 * (see `kernelFunction`; a gather reads the codes in 16-byte pieces, so the memory must go on at
 * least 15 bytes past the bin matrix). Every kernel adds each bin's rows in row order (f32
 * gradients widened to f64), so all give the same bits as a plain loop.
 */
export function histKernels(memory: WebAssembly.Memory, p: number, hoff: Int32Array, stride = p, scratch?: GatherScratch): HistKernels {
  const buffer = memory.buffer;
  const unrolled = p <= UNROLL_MAX_FEATURES;
  if (!unrolled && hoff.buffer !== buffer) throw new Error("gbdt internal error: histogram kernels wider than the unrolling limit need hoff in their memory");
  const range = (f0: number, f1: number): [number, number] | null => (unrolled ? [f0, f1] : null);
  const gathers = unrolled && scratch !== undefined && scratch.at % 16 === 0 && scratch.bytes >= GATHER_ROWS * gatherRecordBytes(stride);
  const listed: Walk = gathers ? { kind: "gathered", scratch: scratch.at } : { kind: "listed" };
  const k = instantiate(memory, [
    kernelFunction("dense", { kind: "dense" }, true, stride, hoff, range(0, p)),
    kernelFunction("denseNoCount", { kind: "dense" }, false, stride, hoff, range(0, p)),
    kernelFunction("rows", listed, true, stride, hoff, range(0, p)),
    kernelFunction("rowsDirect", { kind: "listed" }, true, stride, hoff, range(0, p)),
    elementwiseFunction("accumulate", "add"),
    elementwiseFunction("subtract", "sub"),
    clearFunction(),
  ]);
  const inMemory = (...arrays: ArrayBufferView[]) => {
    for (const a of arrays) if (a.buffer !== buffer) throw new Error("gbdt internal error: a histogram kernel's array is not in its WebAssembly memory");
  };
  const hoffAt = unrolled ? 0 : hoff.byteOffset;
  const denseOf = (fn: RawKernel): HistKernels["dense"] => (bins, g, h, gBase, a, b, out, o) => {
    if (b <= a) return;
    inMemory(bins, g, h, out);
    fn(bins.byteOffset + a * stride, bins.byteOffset + b * stride, 0, g.byteOffset + 4 * (gBase + a), h.byteOffset + 4 * (gBase + a), out.byteOffset + 8 * o, hoffAt, 0, p);
  };
  const rowsOver = (fn: RawKernel, f0: number, f1: number): HistKernels["rows"] => (bins, g, h, gBase, rows, a, b, out, o) => {
    if (b <= a || f1 <= f0) return;
    inMemory(bins, g, h, rows, out);
    fn(rows.byteOffset + 4 * a, rows.byteOffset + 4 * b, bins.byteOffset, g.byteOffset + 4 * gBase, h.byteOffset + 4 * gBase, out.byteOffset + 8 * o, hoffAt, f0, f1);
  };
  const cache = new Map<number, HistKernels["rows"]>();
  const rowsOf = (f0: number, f1: number) => {
    const key = f0 * 65536 + f1;
    let kernel = cache.get(key);
    if (!kernel) {
      kernel = unrolled ? rowsOver(instantiate(memory, [kernelFunction("rows", listed, true, stride, hoff, [f0, f1])]).rows, 0, 1) : rowsOver(k.rows, f0, f1);
      cache.set(key, kernel);
    }
    return kernel;
  };
  const gathered = rowsOver(k.rows, 0, p);
  const direct = rowsOver(k.rowsDirect, 0, p);
  // rows listed densely (a third of their span or more) are read nearly in order: gathering them costs more than it saves
  const rows: HistKernels["rows"] = (bins, g, h, gBase, list, a, b, out, o) =>
    (b - a > 0 && 3 * (b - a) > list[b - 1] - list[a] ? direct : gathered)(bins, g, h, gBase, list, a, b, out, o);
  const elementwise = (fn: RawKernel): HistKernels["accumulate"] => (src, so, out, oo, count) => {
    if (count <= 0) return;
    inMemory(src, out);
    (fn as unknown as (src: number, dst: number, count: number) => void)(src.byteOffset + 8 * so, out.byteOffset + 8 * oo, count);
  };
  const clearRaw = k.clear as unknown as (dst: number, bytes: number) => void;
  const clear: HistKernels["clear"] = (out, o, count) => {
    if (count <= 0) return;
    inMemory(out);
    if (o < 0 || o + count > out.length) throw new RangeError(`gbdt internal error: clearing [${o}, ${o + count}) of a histogram array of ${out.length}`);
    clearRaw(out.byteOffset + 8 * o, 8 * count);
  };
  return { dense: denseOf(k.dense), denseNoCount: denseOf(k.denseNoCount), rows: gathers ? rows : direct, rowsOf, accumulate: elementwise(k.accumulate), subtract: elementwise(k.subtract), clear };
}
