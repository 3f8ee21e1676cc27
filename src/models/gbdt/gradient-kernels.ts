/**
 * Gradient and hessian passes of the losses that need an exponential — binary log loss, softmax
 * and Poisson — as WebAssembly over the training state's memory, two rows at a time in f64x2
 * lanes, with e^x from `expF64x2` (fdlibm's algorithm, equal to `Math.exp` bit for bit). Every
 * other operation is the same IEEE double operation, in the same order, as in losses.ts, and the
 * f32 stores round as a `Float32Array` does, so the gradients, hessians and losses are exactly
 * those of the JavaScript loops (which equal scikit-learn's). Logarithms of the loss stay in
 * JavaScript: a kernel writes per-row loss terms for a chunk of `GRAD_CHUNK` rows into its block's
 * `gradTerms` slice, and the chunk's loss is summed from them in row order as before.
 */
import { CodeBuilder, Op, Simd, ValType, type WasmFunction, encodeModule, expF64x2, expLocals, f64x2Const } from "../../core/wasm/index.js";
import { LOSS_LOGISTIC, LOSS_POISSON, LOSS_SOFTMAX, gradientBlock } from "./losses.js";
import { WASM_MAX_PAGES } from "./histogram.js";
import { GRAD_CHUNK, type TrainState } from "./state.js";

const { i32, v128 } = ValType;

// scalar opcodes beyond the encoder's list (WebAssembly Core Specification §5.4)
const IF = 0x04;
const ELSE = 0x05;
const I32_NE = 0x47;
const I32_GT_S = 0x4a;
const I32_GE_S = 0x4e;
const I32_LT_S = 0x48;
const F64_CONVERT_I32_S = 0xb7;

/** `v128.load64_lane` / `store*_lane`: memory argument, then the lane. */
function laneMem(c: CodeBuilder, code: number, alignLog2: number, offset: number, lane: number): CodeBuilder {
  c.simdMem(code, alignLog2, offset).bytes.push(lane);
  return c;
}

/** The kernels' common locals (after their parameters), as named indices. */
interface Frame {
  /** Row index (i32). */
  R: number;
  /** The exp input and its scratch (v128 × 1 + EXP_SCRATCH_LOCALS). */
  X: number;
}

/**
 * Rows a..b−1 in pairs, then a last single row: `body(true)` handles rows R and R+1 in lanes 0
 * and 1, `body(false)` row R in both lanes (only lane 0 is stored).
 */
function pairLoop(c: CodeBuilder, A: number, B: number, R: number, body: (paired: boolean) => void): void {
  c.localGet(A).localSet(R);
  c.open(Op.block).open(Op.loop);
  c.localGet(R).i32Const(2).op(Op.i32Add).localGet(B).op(I32_GT_S).br(1, true);
  body(true);
  c.localGet(R).i32Const(2).op(Op.i32Add).localSet(R).br(0);
  c.end().end();
  c.localGet(R).localGet(B).op(I32_LT_S).bytes.push(IF, 0x40);
  body(false);
  c.end();
}

/** Pushes the doubles at `base` + 8·R (and + 8·(R+1) when paired; else the same one twice). */
function loadRows(c: CodeBuilder, base: number, R: number, paired: boolean): void {
  c.localGet(base).localGet(R).i32Const(3).op(Op.i32Shl).op(Op.i32Add);
  c.simdMem(paired ? Simd.v128Load : Simd.v128Load64Splat, 3, 0);
}

/** Pushes the weights of the rows, or 1 in both lanes when W = 0 (unweighted). */
function loadWeights(c: CodeBuilder, W: number, R: number, paired: boolean): void {
  c.localGet(W).bytes.push(IF, v128);
  loadRows(c, W, R, paired);
  c.op(ELSE);
  f64x2Const(c, 1);
  c.end();
}

/** Stores the f64x2 in local `v` as two f32 at `base` + 4·R (one when not paired). */
function storeF32Rows(c: CodeBuilder, base: number, R: number, v: number, paired: boolean, offset = 0): void {
  c.localGet(base).localGet(R).i32Const(2).op(Op.i32Shl).op(Op.i32Add).localGet(v).simd(Simd.f32x4DemoteF64x2Zero);
  laneMem(c, paired ? Simd.v128Store64Lane : Simd.v128Store32Lane, paired ? 3 : 2, offset, 0);
}

/** Stores the f64x2 in local `v` at `base` + 8·(R − A) (+ `offset` bytes), one double when not paired. */
function storeTerm(c: CodeBuilder, base: number, A: number, R: number, v: number, paired: boolean, offset: number): void {
  c.localGet(base).localGet(R).localGet(A).op(Op.i32Sub).i32Const(3).op(Op.i32Shl).op(Op.i32Add).localGet(v);
  if (paired) c.simdMem(Simd.v128Store, 3, offset);
  else laneMem(c, Simd.v128Store64Lane, 3, offset, 0);
}

/**
 * logistic(raw, y, w, g, h, terms, a, b): scikit-learn's half binomial loss for rows a..b−1
 * (losses.ts `logistic`): with e = exp(−z) (exp(z) at z ≤ −700), q = 1 + e, gradient
 * w·((1 − y) − y·e)/q (w·((1 − y)·e − y)/q), hessian w·e/q². Loss terms: (1 − y)·z and q
 * (y·z and e at z ≤ −700).
 */
function logisticFunction(): WasmFunction {
  const [RAW, Y, W, G, H, T, A, B] = [0, 1, 2, 3, 4, 5, 6, 7];
  const R = 8;
  const [Z, YV, WV, MK, E, Q, OMY, V] = [9, 10, 11, 12, 13, 14, 15, 16];
  const X = 17;
  const c = new CodeBuilder();
  const S = Simd;
  pairLoop(c, A, B, R, (paired) => {
    loadRows(c, RAW, R, paired);
    c.localSet(Z);
    loadRows(c, Y, R, paired);
    c.localSet(YV);
    loadWeights(c, W, R, paired);
    c.localSet(WV);
    // MK: z > −700 → e = exp(−z), else exp(z)
    c.localGet(Z);
    f64x2Const(c, -700);
    c.simd(S.f64x2Gt).localSet(MK);
    c.localGet(Z).simd(S.f64x2Neg).localGet(Z).localGet(MK).simd(S.v128Bitselect).localSet(X);
    expF64x2(c, X, X + 1).localTee(E);
    f64x2Const(c, 1);
    c.simd(S.f64x2Add).localSet(Q);
    f64x2Const(c, 1);
    c.localGet(YV).simd(S.f64x2Sub).localSet(OMY);
    // gradient: w · ((1 − y) − y·e)/q, or w · ((1 − y)·e − y)/q
    c.localGet(WV);
    c.localGet(OMY).localGet(YV).localGet(E).simd(S.f64x2Mul).simd(S.f64x2Sub).localGet(Q).simd(S.f64x2Div);
    c.localGet(OMY).localGet(E).simd(S.f64x2Mul).localGet(YV).simd(S.f64x2Sub).localGet(Q).simd(S.f64x2Div);
    c.localGet(MK).simd(S.v128Bitselect).simd(S.f64x2Mul).localSet(V);
    storeF32Rows(c, G, R, V, paired);
    // hessian: w · e/(q·q)
    c.localGet(WV).localGet(E).localGet(Q).localGet(Q).simd(S.f64x2Mul).simd(S.f64x2Div).simd(S.f64x2Mul).localSet(V);
    storeF32Rows(c, H, R, V, paired);
    // loss terms
    c.localGet(OMY).localGet(Z).simd(S.f64x2Mul).localGet(YV).localGet(Z).simd(S.f64x2Mul).localGet(MK).simd(S.v128Bitselect).localSet(V);
    storeTerm(c, T, A, R, V, paired, 0);
    c.localGet(Q).localGet(E).localGet(MK).simd(S.v128Bitselect).localSet(V);
    storeTerm(c, T, A, R, V, paired, 8 * GRAD_CHUNK);
  });
  return { name: "logistic", params: new Array(8).fill(i32), results: [], locals: [i32, ...new Array(8).fill(v128), ...expLocals()], body: c };
}

/**
 * poisson(raw, y, w, g, h, terms, a, b): half Poisson deviance (losses.ts `poisson`): μ = exp(z),
 * gradient w·(μ − y), hessian w·μ; loss term w·(μ − y·z).
 */
function poissonFunction(): WasmFunction {
  const [RAW, Y, W, G, H, T, A, B] = [0, 1, 2, 3, 4, 5, 6, 7];
  const R = 8;
  const [Z, YV, WV, MU, V] = [9, 10, 11, 12, 13];
  const X = 14;
  const c = new CodeBuilder();
  const S = Simd;
  pairLoop(c, A, B, R, (paired) => {
    loadRows(c, RAW, R, paired);
    c.localTee(Z).localSet(X);
    loadRows(c, Y, R, paired);
    c.localSet(YV);
    loadWeights(c, W, R, paired);
    c.localSet(WV);
    expF64x2(c, X, X + 1).localSet(MU);
    c.localGet(WV).localGet(MU).localGet(YV).simd(S.f64x2Sub).simd(S.f64x2Mul).localSet(V);
    storeF32Rows(c, G, R, V, paired);
    c.localGet(WV).localGet(MU).simd(S.f64x2Mul).localSet(V);
    storeF32Rows(c, H, R, V, paired);
    c.localGet(WV).localGet(MU).localGet(YV).localGet(Z).simd(S.f64x2Mul).simd(S.f64x2Sub).simd(S.f64x2Mul).localSet(V);
    storeTerm(c, T, A, R, V, paired, 0);
  });
  return { name: "poisson", params: new Array(8).fill(i32), results: [], locals: [i32, ...new Array(5).fill(v128), ...expLocals()], body: c };
}

/**
 * softmax(raw, y, w, g, h, terms, classBytes, K, a, b): scikit-learn's half multinomial loss
 * (losses.ts `softmax`): m = max_k z_k, e_k = exp(z_k − m), s = Σ_k e_k (k in order), p_k = e_k/s,
 * gradient w·(p_k − [y = k]), hessian w·p_k(1 − p_k), class k's at `g` + k·classBytes. Loss terms:
 * m − z_y and s. The e_k wait in `terms` after the two term arrays.
 */
function softmaxFunction(): WasmFunction {
  const [RAW, Y, W, G, H, T, CB, K, A, B] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [R, QA, QB, KK, EP, GA, HA] = [10, 11, 12, 13, 14, 15, 16];
  const [Z, M, SUM, CV, WV, ZC, KV, P, V] = [17, 18, 19, 20, 21, 22, 23, 24, 25];
  const X = 26;
  const c = new CodeBuilder();
  const S = Simd;
  const EBASE = 16 * GRAD_CHUNK;
  /** Pushes class KK's scores of the rows (QA, QB point at them). */
  const pair = (paired: boolean) => {
    if (paired) c.localGet(QB);
    c.localGet(QA).simdMem(S.v128Load64Splat, 3, 0);
    if (paired) laneMem(c, S.v128Load64Lane, 3, 0, 1);
  };
  /** for KK = from..K−1 { body; QA += 8; QB += 8 }, with QA, QB at the rows' class `from`. */
  const classLoop = (from: number, paired: boolean, body: () => void) => {
    c.localGet(R).localGet(K).op(Op.i32Mul).i32Const(3).op(Op.i32Shl).localGet(RAW).op(Op.i32Add).i32Const(8 * from).op(Op.i32Add).localTee(QA);
    c.localGet(K).i32Const(3).op(Op.i32Shl).op(Op.i32Add).localSet(QB);
    c.i32Const(from).localSet(KK);
    c.open(Op.block).open(Op.loop);
    c.localGet(KK).localGet(K).op(I32_GE_S).br(1, true);
    body();
    c.localGet(QA).i32Const(8).op(Op.i32Add).localSet(QA);
    c.localGet(QB).i32Const(8).op(Op.i32Add).localSet(QB);
    c.localGet(KK).i32Const(1).op(Op.i32Add).localSet(KK).br(0);
    c.end().end();
    void paired;
  };
  /** KV = (KK, KK) as doubles. */
  const classValue = () => c.localGet(KK).op(F64_CONVERT_I32_S).simd(S.f64x2Splat).localSet(KV);
  pairLoop(c, A, B, R, (paired) => {
    loadRows(c, Y, R, paired);
    c.localSet(CV);
    loadWeights(c, W, R, paired);
    c.localSet(WV);
    // m: the first score, then any larger one (as `if (m < z) m = z`)
    classLoop(0, paired, () => {
      pair(paired);
      c.localSet(Z);
      c.localGet(KK).op(Op.i32Eqz).bytes.push(IF, 0x40);
      c.localGet(Z).localSet(M);
      c.op(ELSE);
      c.localGet(Z).localGet(M).localGet(M).localGet(Z).simd(S.f64x2Lt).simd(S.v128Bitselect).localSet(M);
      c.end();
    });
    // e_k, s and z_y
    f64x2Const(c, 0);
    c.localTee(SUM).localSet(ZC);
    c.localGet(T).i32Const(EBASE).op(Op.i32Add).localSet(EP);
    classLoop(0, paired, () => {
      pair(paired);
      c.localTee(Z).localGet(M).simd(S.f64x2Sub).localSet(X);
      expF64x2(c, X, X + 1).localSet(V);
      c.localGet(EP).localGet(V).simdMem(S.v128Store, 4, 0);
      c.localGet(EP).i32Const(16).op(Op.i32Add).localSet(EP);
      c.localGet(SUM).localGet(V).simd(S.f64x2Add).localSet(SUM);
      classValue();
      c.localGet(Z).localGet(ZC).localGet(CV).localGet(KV).simd(S.f64x2Eq).simd(S.v128Bitselect).localSet(ZC);
    });
    // gradients and hessians, class by class
    c.localGet(T).i32Const(EBASE).op(Op.i32Add).localSet(EP);
    c.localGet(G).localSet(GA);
    c.localGet(H).localSet(HA);
    classLoop(0, paired, () => {
      c.localGet(EP).simdMem(S.v128Load, 4, 0).localGet(SUM).simd(S.f64x2Div).localSet(P);
      c.localGet(EP).i32Const(16).op(Op.i32Add).localSet(EP);
      classValue();
      c.localGet(P).localGet(CV).localGet(KV).simd(S.f64x2Eq);
      f64x2Const(c, 1);
      c.simd(S.v128And).simd(S.f64x2Sub).localGet(WV).simd(S.f64x2Mul).localSet(V);
      storeF32Rows(c, GA, R, V, paired);
      c.localGet(P);
      f64x2Const(c, 1);
      c.localGet(P).simd(S.f64x2Sub).simd(S.f64x2Mul).localGet(WV).simd(S.f64x2Mul).localSet(V);
      storeF32Rows(c, HA, R, V, paired);
      c.localGet(GA).localGet(CB).op(Op.i32Add).localSet(GA);
      c.localGet(HA).localGet(CB).op(Op.i32Add).localSet(HA);
    });
    // loss terms: m − z_y and s
    c.localGet(M).localGet(ZC).simd(S.f64x2Sub).localSet(V);
    storeTerm(c, T, A, R, V, paired, 0);
    storeTerm(c, T, A, R, SUM, paired, 8 * GRAD_CHUNK);
  });
  return { name: "softmax", params: new Array(10).fill(i32), results: [], locals: [...new Array(7).fill(i32), ...new Array(9).fill(v128), ...expLocals()], body: c };
}

/** exp(src, dst, a, b): dst[i] = e^src[i] for i in a..b−1 (doubles; the vector exp alone, for tests and benches). */
function expFunction(): WasmFunction {
  const [SRC, DST, A, B] = [0, 1, 2, 3];
  const R = 4;
  const [V, X] = [5, 6];
  const c = new CodeBuilder();
  pairLoop(c, A, B, R, (paired) => {
    loadRows(c, SRC, R, paired);
    c.localSet(X);
    expF64x2(c, X, X + 1).localSet(V);
    c.localGet(DST).localGet(R).i32Const(3).op(Op.i32Shl).op(Op.i32Add).localGet(V);
    if (paired) c.simdMem(Simd.v128Store, 3, 0);
    else laneMem(c, Simd.v128Store64Lane, 3, 0, 0);
  });
  return { name: "exp", params: [i32, i32, i32, i32], results: [], locals: [i32, v128, ...expLocals()], body: c };
}

type Fn = (...args: number[]) => void;

/** One thread's gradient kernels over a memory (the training state's). */
export interface GradientKernels {
  /** dst[i] = Math.exp(src[i]) for i in a..b−1, two at a time; both arrays in the kernels' memory. */
  exp(src: Float64Array, dst: Float64Array, a: number, b: number): void;
  logistic: Fn;
  poisson: Fn;
  softmax: Fn;
  memory: WebAssembly.Memory;
}

/**
 * Compiles the gradient kernels over `memory` (shared or not; each thread compiles its own).
 *
 * @example
 * ```ts
 * const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
 * const k = gradientKernels(memory);
 * const x = new Float64Array(memory.buffer, 0, 4).fill(1);
 * const e = new Float64Array(memory.buffer, 32, 4);
 * k.exp(x, e, 0, 4); // e[i] === Math.exp(1)
 * ```
 */
export function gradientKernels(memory: WebAssembly.Memory): GradientKernels {
  const shared = memory.buffer instanceof SharedArrayBuffer;
  const bytes = encodeModule({ module: "env", name: "memory", minPages: 1, maxPages: WASM_MAX_PAGES, shared }, [expFunction(), logisticFunction(), poissonFunction(), softmaxFunction()]);
  const ex = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as Record<string, Fn>;
  return {
    exp(src, dst, a, b) {
      if (src.buffer !== memory.buffer || dst.buffer !== memory.buffer) throw new Error("gradient kernels: exp's arrays must be views of the kernels' WebAssembly memory");
      if (b > a) ex.exp(src.byteOffset, dst.byteOffset, a, b);
    },
    logistic: ex.logistic,
    poisson: ex.poisson,
    softmax: ex.softmax,
    memory,
  };
}

const kernelsByState = new WeakMap<TrainState, GradientKernels>();

/** This thread's gradient kernels over the state's memory (compiled on first use). */
function kernelsFor(s: TrainState): GradientKernels {
  let k = kernelsByState.get(s);
  if (!k) kernelsByState.set(s, (k = gradientKernels(s.memory)));
  return k;
}

/** Flush a running product of factors ≥ 1 into its logarithm this often (as losses.ts). */
const PRODUCT_LIMIT = 1e200;

/**
 * `gradientBlock` (losses.ts) over the state's buffers for rows a..b−1 of block `blk`: the same
 * gradients, hessians and returned loss bit for bit, computed by the WebAssembly kernels for the
 * logistic, softmax and Poisson losses (the others, without an exponential, stay in JavaScript).
 *
 * @example
 * ```ts
 * state.blockLoss[k] = stateGradientBlock(state, LOSS_SOFTMAX, 0, a, b, k);
 * ```
 */
export function stateGradientBlock(s: TrainState, code: number, param: number, a: number, b: number, blk: number): number {
  if (code !== LOSS_LOGISTIC && code !== LOSS_SOFTMAX && code !== LOSS_POISSON) return gradientBlock(code, param, s.K, s.y, s.w, s.raw, s.g, s.h, s.n, a, b);
  const kern = kernelsFor(s);
  const per = s.gradTerms.length / s.maxBlocks;
  const terms = s.gradTerms.subarray(blk * per, (blk + 1) * per);
  const tAt = terms.byteOffset;
  const weighted = s.w.length > 0;
  const wAt = weighted ? s.w.byteOffset : 0;
  const { y, w, raw } = s;
  let loss = 0;
  let prod = 1;
  let logs = 0;
  for (let c0 = a; c0 < b; c0 += GRAD_CHUNK) {
    const c1 = Math.min(b, c0 + GRAD_CHUNK);
    const m = c1 - c0;
    if (code === LOSS_SOFTMAX) {
      kern.softmax(raw.byteOffset, y.byteOffset, wAt, s.g.byteOffset, s.h.byteOffset, tAt, 4 * s.n, s.K, c0, c1);
      if (weighted) for (let i = 0; i < m; i++) loss += w[c0 + i] * (terms[i] + Math.log(terms[GRAD_CHUNK + i]));
      else
        for (let i = 0; i < m; i++) {
          loss += terms[i];
          prod *= terms[GRAD_CHUNK + i];
          if (prod > PRODUCT_LIMIT) {
            logs += Math.log(prod);
            prod = 1;
          }
        }
    } else if (code === LOSS_LOGISTIC) {
      kern.logistic(raw.byteOffset, y.byteOffset, wAt, s.g.byteOffset, s.h.byteOffset, tAt, c0, c1);
      for (let i = 0; i < m; i++) {
        const t0 = terms[i];
        const t1 = terms[GRAD_CHUNK + i];
        let lv: number;
        if (raw[c0 + i] > -700) {
          // t0 = (1 − y)·z, t1 = q = 1 + e
          lv = t0;
          if (weighted) lv += Math.log(t1);
          else if (t1 < 1e100) {
            prod *= t1;
            if (prod > PRODUCT_LIMIT) {
              logs += Math.log(prod);
              prod = 1;
            }
          } else logs += Math.log(t1);
        } else lv = Math.log1p(t1) - t0; // t0 = y·z, t1 = e
        loss += weighted ? w[c0 + i] * lv : lv;
      }
    } else {
      kern.poisson(raw.byteOffset, y.byteOffset, wAt, s.g.byteOffset, s.h.byteOffset, tAt, c0, c1);
      for (let i = 0; i < m; i++) loss += terms[i];
    }
  }
  return loss + logs + Math.log(prod);
}
