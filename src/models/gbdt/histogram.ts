/**
 * Gradient histograms (Chen & Guestrin, "XGBoost", KDD 2016 §3.3 `hist`; Ke et al., "LightGBM",
 * NeurIPS 2017): for every feature and bin of a node, the sums of gradients, hessians and the row
 * count, laid out as one `Float64Array` of triples `[g, h, count]`, features packed back to back
 * (feature f's bin b at `hoff[f] + 3·b`, its missing bin at `3·nBins[f]`). A child's histogram is
 * its parent's minus its sibling's, so only the smaller child is ever built from rows.
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
/** Locals: the row's bin codes, a bin's address, the feature (generic loop), the row's gradient offset, (g, h) as f64x2. */
const [ROW, ADDR, F, R4, GH] = [9, 10, 11, 12, 13];
const LOCALS = [i32, i32, i32, i32, v128];

/** Adds the row's (g, h) to its bin of one feature (address in ADDR + `offset` bytes) and, with `counts`, 1 to the count. */
function addToBin(c: CodeBuilder, offset: number, counts: boolean): void {
  c.localTee(ADDR).localGet(ADDR).simdMem(SimdOp.v128Load, 3, offset).localGet(GH).simd(SimdOp.f64x2Add).simdMem(SimdOp.v128Store, 3, offset);
  if (counts) c.localGet(ADDR).localGet(ADDR).mem(Op.f64Load, 3, offset + 16).f64Const(1).op(Op.f64Add).mem(Op.f64Store, 3, offset + 16);
}

/** Loads a gradient (f32 at the address on the stack) as f64. */
function gradient(c: CodeBuilder, base: number): void {
  c.localGet(base);
  if (base === G || base === H) c.localGet(R4).op(Op.i32Add);
  c.mem(Op.f32Load, 2, 0).op(Op.f64PromoteF32);
}

/**
 * One kernel as a WebAssembly function: for each row (in order), its (g, h) widened to f64 once,
 * then one f64x2 add per feature into the bin its code picks — straight-line with the layout's
 * offsets as constant memory offsets for `features` [f0, f1), or a loop over `hoff` when null.
 */
function kernelFunction(name: string, listed: boolean, counts: boolean, stride: number, hoff: Int32Array, features: [number, number] | null): WasmFunction {
  const c = new CodeBuilder();
  c.open(Op.loop);
  // the row: its codes and (g, h)
  if (listed) {
    c.localGet(CURSOR).mem(Op.i32Load, 2, 0).localTee(R4).i32Const(stride).op(Op.i32Mul).localGet(BINS).op(Op.i32Add).localSet(ROW);
    c.localGet(R4).i32Const(2).op(Op.i32Shl).localSet(R4);
  } else c.localGet(CURSOR).localSet(ROW).i32Const(0).localSet(R4);
  gradient(c, G);
  c.simd(SimdOp.f64x2Splat);
  gradient(c, H);
  c.simdLane(SimdOp.f64x2ReplaceLane, 1).localSet(GH);
  if (features) {
    for (let f = features[0]; f < features[1]; f++) {
      c.localGet(ROW).mem(Op.i32Load8u, 0, f).i32Const(24).op(Op.i32Mul).localGet(OUT).op(Op.i32Add);
      addToBin(c, 8 * hoff[f], counts);
    }
  } else {
    c.localGet(F0).localSet(F).open(Op.loop);
    c.localGet(ROW).localGet(F).op(Op.i32Add).mem(Op.i32Load8u, 0, 0).i32Const(24).op(Op.i32Mul);
    c.localGet(HOFF).localGet(F).i32Const(2).op(Op.i32Shl).op(Op.i32Add).mem(Op.i32Load, 2, 0).i32Const(3).op(Op.i32Shl).op(Op.i32Add);
    c.localGet(OUT).op(Op.i32Add);
    addToBin(c, 0, counts);
    c.localGet(F).i32Const(1).op(Op.i32Add).localTee(F).localGet(F1).op(Op.i32LtU).br(0, true).end();
  }
  // next row
  if (listed) c.localGet(CURSOR).i32Const(4).op(Op.i32Add).localTee(CURSOR);
  else {
    for (const p of [G, H]) c.localGet(p).i32Const(4).op(Op.i32Add).localSet(p);
    c.localGet(CURSOR).i32Const(stride).op(Op.i32Add).localTee(CURSOR);
  }
  c.localGet(CURSOR_END).op(Op.i32LtU).br(0, true).end();
  return { name, params: PARAMS, results: [], locals: LOCALS, body: c };
}

type RawKernel = (cursor: number, cursorEnd: number, bins: number, g: number, h: number, out: number, hoff: number, f0: number, f1: number) => void;

function instantiate(memory: WebAssembly.Memory, functions: WasmFunction[]): Record<string, RawKernel> {
  const shared = memory.buffer instanceof SharedArrayBuffer;
  const bytes = encodeModule({ module: "env", name: "memory", minPages: 1, maxPages: WASM_MAX_PAGES, shared }, functions);
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as Record<string, RawKernel>;
}

/**
 * Kernels for a layout whose rows are `stride` bytes apart in the row-major bin matrix, compiled to
 * WebAssembly over `memory` (where the bins, gradients, row lists and histograms live; `hoff`
 * too for more than `UNROLL_MAX_FEATURES` features). Up to that width the loop over features is
 * unrolled with the layout's offsets as constants; each (g, h) pair is added as one f64x2. Every
 * kernel adds each bin's rows in row order (f32 gradients widened to f64), so all give the
 * same bits as a plain loop.
 */
export function histKernels(memory: WebAssembly.Memory, p: number, hoff: Int32Array, stride = p): HistKernels {
  const buffer = memory.buffer;
  const unrolled = p <= UNROLL_MAX_FEATURES;
  if (!unrolled && hoff.buffer !== buffer) throw new Error("gbdt internal error: histogram kernels wider than the unrolling limit need hoff in their memory");
  const range = (f0: number, f1: number): [number, number] | null => (unrolled ? [f0, f1] : null);
  const k = instantiate(memory, [
    kernelFunction("dense", false, true, stride, hoff, range(0, p)),
    kernelFunction("denseNoCount", false, false, stride, hoff, range(0, p)),
    kernelFunction("rows", true, true, stride, hoff, range(0, p)),
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
      kernel = unrolled ? rowsOver(instantiate(memory, [kernelFunction("rows", true, true, stride, hoff, [f0, f1])]).rows, 0, 1) : rowsOver(k.rows, f0, f1);
      cache.set(key, kernel);
    }
    return kernel;
  };
  return { dense: denseOf(k.dense), denseNoCount: denseOf(k.denseNoCount), rows: rowsOver(k.rows, 0, p), rowsOf };
}

/** out = parent − child, element-wise over `size` doubles (offsets in each array). */
export function histSubtract(parent: Float64Array, po: number, child: Float64Array, co: number, out: Float64Array, oo: number, size: number): void {
  for (let j = 0; j < size; j++) out[oo + j] = parent[po + j] - child[co + j];
}
