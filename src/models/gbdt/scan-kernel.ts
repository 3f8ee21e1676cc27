/**
 * The inner loop of the numeric split search (split.ts `scanNumeric`) as a WebAssembly kernel:
 * walk one feature's histogram bins in one direction, accumulating one side's (g, h, count)
 * sums, and stop at the first cut that passes scikit-learn's row and hessian checks and — when
 * screening — the division-free gain screen; the caller weighs that cut exactly (`offer`) and
 * resumes after it with the returned sums. Every sum, difference and product is the same IEEE
 * operation in the same order as the JavaScript loop, so the cuts found and their sums are the
 * same bits; the kernel only runs the loop without JavaScript's per-element checks (a node of 30
 * features × 255 bins: 104 against 203 µs here). Used when the histogram lives in a WebAssembly memory registered with
 * `useScanKernel` (the training state's); elsewhere the JavaScript loop runs.
 */
import { CodeBuilder, Op, ValType, type WasmFunction, encodeModule } from "../../core/wasm/index.js";

/**
 * scan(j, jEnd, step, G, H, C, minLeaf, minH, c, bar, screen, ga, ha, ca) → [cut, ga, ha, ca]:
 * from the bin at byte address j, stepping `step` bytes (±24, one `[g, h, count]` triple) until
 * jEnd, add each bin to (ga, ha, ca); skip a cut while ca < minLeaf or ha < minH, end the walk
 * (cut −1) once C − ca < minLeaf or H − ha < minH, and with `screen` skip a cut whose
 * ga²·(H − ha + c) + (G − ga)²·(ha + c) ≤ bar·(ha + c)·(H − ha + c). `cut` is the address of the
 * bin that ends the cut found, with the sums through it; −1 when the walk ends without one.
 */
export type ScanKernel = (
  j: number,
  jEnd: number,
  step: number,
  G: number,
  H: number,
  C: number,
  minLeaf: number,
  minH: number,
  c: number,
  bar: number,
  screen: number,
  ga: number,
  ha: number,
  ca: number,
) => [number, number, number, number];

/** This thread's scan kernel per memory buffer (workers each instantiate their own). */
const kernels = new WeakMap<ArrayBufferLike, ScanKernel>();

/**
 * Registers `memory` so histograms in it are scanned by the WebAssembly kernel on this thread.
 * @example
 * ```ts
 * useScanKernel(state.memory); // then findBestSplit over state.nodeHists runs the kernel
 * ```
 */
export function useScanKernel(memory: WebAssembly.Memory): void {
  if (kernels.has(memory.buffer)) return;
  const shared = memory.buffer instanceof SharedArrayBuffer;
  const bytes = encodeModule({ module: "env", name: "memory", minPages: 1, maxPages: 65536, shared }, [scanFunction()]);
  const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
  kernels.set(memory.buffer, exports.scan as ScanKernel);
}

/**
 * The scan kernel for histograms over `buffer`, or null when none is registered on this thread.
 * @example
 * ```ts
 * const kernel = scanKernelFor(hist.buffer); // null: scan in JavaScript
 * ```
 */
export function scanKernelFor(buffer: ArrayBufferLike): ScanKernel | null {
  return kernels.get(buffer) ?? null;
}

function scanFunction(): WasmFunction {
  const { i32, f64 } = ValType;
  const [J, J_END, STEP, G, H, C, MIN_LEAF, MIN_H, CC, BAR, SCREEN, GA, HA, CA] = Array.from({ length: 14 }, (_, i) => i);
  const [CUR, HB, DA, DB, GB] = [14, 15, 16, 17, 18];
  const c = new CodeBuilder();
  c.open(Op.block).open(Op.loop);
  // the walk's end
  c.localGet(J).localGet(J_END).op(Op.i32Eq).br(1, true);
  // the bin's sums onto the accumulated side
  c.localGet(GA).localGet(J).mem(Op.f64Load, 3, 0).op(Op.f64Add).localSet(GA);
  c.localGet(HA).localGet(J).mem(Op.f64Load, 3, 8).op(Op.f64Add).localSet(HA);
  c.localGet(CA).localGet(J).mem(Op.f64Load, 3, 16).op(Op.f64Add).localSet(CA);
  c.localGet(J).localSet(CUR).localGet(J).localGet(STEP).op(Op.i32Add).localSet(J);
  // too few rows on the accumulated side: next bin; on the other: done
  c.localGet(CA).localGet(MIN_LEAF).op(Op.f64Lt).br(0, true);
  c.localGet(C).localGet(CA).op(Op.f64Sub).localGet(MIN_LEAF).op(Op.f64Lt).br(1, true);
  // too little hessian: the same
  c.localGet(HA).localGet(MIN_H).op(Op.f64Lt).br(0, true);
  c.localGet(H).localGet(HA).op(Op.f64Sub).localTee(HB).localGet(MIN_H).op(Op.f64Lt).br(1, true);
  // the screen: ga·ga·db + gb·gb·da ≤ bar·da·db (in that order) cannot beat the best
  c.open(Op.block).localGet(SCREEN).op(Op.i32Eqz).br(0, true);
  c.localGet(G).localGet(GA).op(Op.f64Sub).localSet(GB);
  c.localGet(HA).localGet(CC).op(Op.f64Add).localSet(DA);
  c.localGet(HB).localGet(CC).op(Op.f64Add).localSet(DB);
  c.localGet(GA).localGet(GA).op(Op.f64Mul).localGet(DB).op(Op.f64Mul);
  c.localGet(GB).localGet(GB).op(Op.f64Mul).localGet(DA).op(Op.f64Mul).op(Op.f64Add);
  c.localGet(BAR).localGet(DA).op(Op.f64Mul).localGet(DB).op(Op.f64Mul);
  c.op(Op.f64Le).br(1, true).end();
  // a cut for the caller to weigh
  c.localGet(CUR).localGet(GA).localGet(HA).localGet(CA).op(Op.return);
  c.end().end();
  c.i32Const(-1).localGet(GA).localGet(HA).localGet(CA);
  return { name: "scan", params: [i32, i32, i32, f64, f64, f64, f64, f64, f64, f64, i32, f64, f64, f64], results: [i32, f64, f64, f64], locals: [i32, f64, f64, f64, f64], body: c };
}
