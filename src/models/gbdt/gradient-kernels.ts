/**
 * Gradient and hessian passes of the losses that need an exponential — binary log loss, softmax
 * and Poisson — as WebAssembly over the training state's memory, two rows at a time in f64x2
 * lanes, with e^x from `expF64x2` (fdlibm's algorithm, equal to `Math.exp` bit for bit). Every
 * other operation is the same IEEE double operation, in the same order, as in losses.ts, and the
 * f32 stores round as a `Float32Array` does, so the gradients, hessians and losses are exactly
 * those of the JavaScript loops (which equal scikit-learn's). A kernel writes per-row loss terms
 * for a chunk of `GRAD_CHUNK` rows into its block's `gradTerms` slice; they are summed in row
 * order as before — in WebAssembly, but for the logarithms (of the running product, of weighted
 * rows' terms), which stay in JavaScript.
 */
import { CodeBuilder, EXP_SCRATCH_LOCALS, type ExpJob, Op, Simd, ValType, type WasmFunction, encodeModule, expF64x2, f64x2Const } from "../../core/wasm/index.js";
import { LOSS_LOGISTIC, LOSS_POISSON, LOSS_SOFTMAX, gradientBlock } from "./losses.js";
import { WASM_MAX_PAGES } from "./histogram.js";
import { GRAD_CHUNK, type TrainState } from "./state.js";

const { i32, f64, v128 } = ValType;

// scalar opcodes beyond the encoder's list (WebAssembly Core Specification §5.4)
const IF = 0x04;
const ELSE = 0x05;
const I32_GT_S = 0x4a;
const I32_GE_S = 0x4e;
const I32_LT_S = 0x48;
const F64_CONVERT_I32_S = 0xb7;
const F64_LT = 0x63;
const F64_GT = 0x64;
const F64_MUL = 0xa2;

/** Flush a running product of factors ≥ 1 into its logarithm this often (as losses.ts). */
const PRODUCT_LIMIT = 1e200;

/** Row pairs a logistic or Poisson kernel handles per loop step: four exponentials side by side. */
const WAYS = 4;
/** Softmax exponentials side by side at most: classes are cut into groups of at most this many, as even as they go. */
const EXP_GROUP = 4;
/** Classes up to which the softmax kernel is generated unrolled (its exponentials side by side); more classes run a loop. */
export const SOFTMAX_UNROLL_MAX = 16;

/** `v128.load64_lane` / `store*_lane`: memory argument, then the lane. */
function laneMem(c: CodeBuilder, code: number, alignLog2: number, offset: number, lane: number): CodeBuilder {
  c.simdMem(code, alignLog2, offset).bytes.push(lane);
  return c;
}

/** A function's locals, handed out as they are asked for (numbered after the parameters). */
class Locals {
  readonly types: ValType[] = [];
  constructor(private readonly params: number) {}
  take(t: ValType): number {
    this.types.push(t);
    return this.params + this.types.length - 1;
  }
  v128s(n: number): number[] {
    return Array.from({ length: n }, () => this.take(v128));
  }
  /** Locals of one exponential: its input, its result and its scratch. */
  exp(): ExpJob {
    const x = this.take(v128);
    const out = this.take(v128);
    const scratch = this.take(v128);
    for (let i = 1; i < EXP_SCRATCH_LOCALS; i++) this.take(v128);
    return { x, out, scratch };
  }
}

/**
 * Rows a..b−1: `ways` row pairs per step while they last, then single pairs, then a last single
 * row. `body(paired, ways)` handles rows R + 2j, R + 2j + 1 in lanes 0 and 1 of job j < ways, or
 * (not paired) row R in both lanes, of which only lane 0 is stored.
 */
function rowLoop(c: CodeBuilder, A: number, B: number, R: number, ways: number, body: (paired: boolean, ways: number) => void): void {
  c.localGet(A).localSet(R);
  for (const w of ways > 1 ? [ways, 1] : [1]) {
    c.open(Op.block).open(Op.loop);
    c.localGet(R).i32Const(2 * w).op(Op.i32Add).localGet(B).op(I32_GT_S).br(1, true);
    body(true, w);
    c.localGet(R).i32Const(2 * w).op(Op.i32Add).localSet(R).br(0);
    c.end().end();
  }
  c.localGet(R).localGet(B).op(I32_LT_S).bytes.push(IF, 0x40);
  body(false, 1);
  c.end();
}

/** Pushes the doubles at `base` + 8·(R + row) (and the next row's when paired; else the same one twice). */
function loadRows(c: CodeBuilder, base: number, R: number, paired: boolean, row = 0): void {
  c.localGet(base).localGet(R).i32Const(3).op(Op.i32Shl).op(Op.i32Add);
  c.simdMem(paired ? Simd.v128Load : Simd.v128Load64Splat, 3, 8 * row);
}

/**
 * The kernel's body twice: for weighted rows when the weights' address W is not 0, else without
 * weights (a test per row costs more than the whole exponential saves; a weight of 1 would only
 * multiply by 1, which changes no bit).
 */
function weightedOrNot(c: CodeBuilder, W: number, body: (weighted: boolean) => void): void {
  c.localGet(W).bytes.push(IF, 0x40);
  body(true);
  c.op(ELSE);
  body(false);
  c.end();
}

/** Multiplies the value on the stack by the weights in local WV (nothing when unweighted). */
function timesWeight(c: CodeBuilder, WV: number, weighted: boolean): void {
  if (weighted) c.localGet(WV).simd(Simd.f64x2Mul);
}

/** Stores the f64x2 in local `v` as f32 at `base` + 4·(R + row) (two when paired, else one). */
function storeF32Rows(c: CodeBuilder, base: number, R: number, v: number, paired: boolean, row = 0): void {
  c.localGet(base).localGet(R).i32Const(2).op(Op.i32Shl).op(Op.i32Add).localGet(v).simd(Simd.f32x4DemoteF64x2Zero);
  laneMem(c, paired ? Simd.v128Store64Lane : Simd.v128Store32Lane, paired ? 3 : 2, 4 * row, 0);
}

/** Stores the f64x2 in local `v` at `base` + 8·(R + row − A) + `offset` bytes (one double when not paired). */
function storeTerm(c: CodeBuilder, base: number, A: number, R: number, v: number, paired: boolean, offset: number, row = 0): void {
  c.localGet(base).localGet(R).localGet(A).op(Op.i32Sub).i32Const(3).op(Op.i32Shl).op(Op.i32Add).localGet(v);
  if (paired) c.simdMem(Simd.v128Store, 3, offset + 8 * row);
  else laneMem(c, Simd.v128Store64Lane, 3, offset + 8 * row, 0);
}

/**
 * logistic(raw, y, w, g, h, terms, a, b): scikit-learn's half binomial loss for rows a..b−1
 * (losses.ts `logistic`): with e = exp(−z) (exp(z) at z ≤ −700), q = 1 + e, gradient
 * w·((1 − y) − y·e)/q (w·((1 − y)·e − y)/q), hessian w·e/q². Loss terms: (1 − y)·z and q
 * (y·z and e at z ≤ −700).
 */
function logisticFunction(): WasmFunction {
  const [RAW, Y, W, G, H, T, A, B] = [0, 1, 2, 3, 4, 5, 6, 7];
  const L = new Locals(8);
  const R = L.take(i32);
  const jobs = Array.from({ length: WAYS }, () => ({ e: L.exp(), v: L.v128s(6) }));
  const c = new CodeBuilder();
  const S = Simd;
  weightedOrNot(c, W, (weighted) => {
    rowLoop(c, A, B, R, WAYS, (paired, ways) => {
      const js = jobs.slice(0, ways);
      js.forEach(({ e, v: [Z, , , MK] }, j) => {
        loadRows(c, RAW, R, paired, 2 * j);
        c.localTee(Z).simd(S.f64x2Neg).localGet(Z).localGet(Z);
        f64x2Const(c, -700);
        c.simd(S.f64x2Gt).localTee(MK).simd(S.v128Bitselect).localSet(e.x); // z > −700: exp(−z), else exp(z)
      });
      expF64x2(c, js.map((j) => j.e));
      js.forEach(({ e: { out: E }, v: [Z, YV, WV, MK, Q, V] }, j) => {
        loadRows(c, Y, R, paired, 2 * j);
        c.localSet(YV);
        if (weighted) {
          loadRows(c, W, R, paired, 2 * j);
          c.localSet(WV);
        }
        c.localGet(E);
        f64x2Const(c, 1);
        c.simd(S.f64x2Add).localSet(Q);
        // gradient: w · ((1 − y) − y·e)/q, or w · ((1 − y)·e − y)/q (the numerator picked, one division)
        f64x2Const(c, 1);
        c.localGet(YV).simd(S.f64x2Sub).localGet(YV).localGet(E).simd(S.f64x2Mul).simd(S.f64x2Sub);
        f64x2Const(c, 1);
        c.localGet(YV).simd(S.f64x2Sub).localGet(E).simd(S.f64x2Mul).localGet(YV).simd(S.f64x2Sub);
        c.localGet(MK).simd(S.v128Bitselect).localGet(Q).simd(S.f64x2Div);
        timesWeight(c, WV, weighted);
        c.localSet(V);
        storeF32Rows(c, G, R, V, paired, 2 * j);
        // hessian: w · e/(q·q)
        c.localGet(E).localGet(Q).localGet(Q).simd(S.f64x2Mul).simd(S.f64x2Div);
        timesWeight(c, WV, weighted);
        c.localSet(V);
        storeF32Rows(c, H, R, V, paired, 2 * j);
        // loss terms: (1 − y)·z and q, or y·z and e
        f64x2Const(c, 1);
        c.localGet(YV).simd(S.f64x2Sub).localGet(Z).simd(S.f64x2Mul).localGet(YV).localGet(Z).simd(S.f64x2Mul).localGet(MK).simd(S.v128Bitselect).localSet(V);
        storeTerm(c, T, A, R, V, paired, 0, 2 * j);
        c.localGet(Q).localGet(E).localGet(MK).simd(S.v128Bitselect).localSet(V);
        storeTerm(c, T, A, R, V, paired, 8 * GRAD_CHUNK, 2 * j);
      });
    });
  });
  return { name: "logistic", params: new Array(8).fill(i32), results: [], locals: L.types, body: c };
}

/**
 * poisson(raw, y, w, g, h, terms, a, b): half Poisson deviance (losses.ts `poisson`): μ = exp(z),
 * gradient w·(μ − y), hessian w·μ; loss term w·(μ − y·z).
 */
function poissonFunction(): WasmFunction {
  const [RAW, Y, W, G, H, T, A, B] = [0, 1, 2, 3, 4, 5, 6, 7];
  const L = new Locals(8);
  const R = L.take(i32);
  const jobs = Array.from({ length: WAYS }, () => ({ e: L.exp(), v: L.v128s(3) }));
  const c = new CodeBuilder();
  const S = Simd;
  weightedOrNot(c, W, (weighted) => {
    rowLoop(c, A, B, R, WAYS, (paired, ways) => {
      const js = jobs.slice(0, ways);
      js.forEach(({ e }, j) => {
        loadRows(c, RAW, R, paired, 2 * j);
        c.localSet(e.x);
      });
      expF64x2(c, js.map((j) => j.e));
      js.forEach(({ e: { x: Z, out: MU }, v: [YV, WV, V] }, j) => {
        loadRows(c, Y, R, paired, 2 * j);
        c.localSet(YV);
        if (weighted) {
          loadRows(c, W, R, paired, 2 * j);
          c.localSet(WV);
        }
        c.localGet(MU).localGet(YV).simd(S.f64x2Sub);
        timesWeight(c, WV, weighted);
        c.localSet(V);
        storeF32Rows(c, G, R, V, paired, 2 * j);
        c.localGet(MU);
        timesWeight(c, WV, weighted);
        c.localSet(V);
        storeF32Rows(c, H, R, V, paired, 2 * j);
        c.localGet(MU).localGet(YV).localGet(Z).simd(S.f64x2Mul).simd(S.f64x2Sub);
        timesWeight(c, WV, weighted);
        c.localSet(V);
        storeTerm(c, T, A, R, V, paired, 0, 2 * j);
      });
    });
  });
  return { name: "poisson", params: new Array(8).fill(i32), results: [], locals: L.types, body: c };
}

/**
 * softmax(raw, y, w, g, h, terms, classBytes, K, a, b): scikit-learn's half multinomial loss
 * (losses.ts `softmax`): m = max_k z_k (the first, then any larger), e_k = exp(z_k − m),
 * s = Σ_k e_k (k in order), p_k = e_k/s, gradient w·(p_k − [y = k]), hessian w·p_k(1 − p_k),
 * class k's at `g` + k·classBytes. Loss terms: m − z_y and s. Generated for `K` classes: unrolled
 * up to `SOFTMAX_UNROLL_MAX` (the exponentials four side by side), else a loop over the classes
 * (its e_k waiting in `terms` after the two term arrays; the K parameter is then used).
 */
function softmaxFunction(K: number): WasmFunction {
  const [RAW, Y, W, G, H, T, CB, KP, A, B] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const L = new Locals(10);
  const R = L.take(i32);
  const [QA, QB, GA, HA] = [L.take(i32), L.take(i32), L.take(i32), L.take(i32)];
  const [M, SUM, CV, WV, ZC, P, V] = L.v128s(7);
  const c = new CodeBuilder();
  const S = Simd;
  /** Pushes the rows' scores of class `k` (QA, QB: their first scores; `k` a constant offset). */
  const pair = (paired: boolean, k: number) => {
    if (paired) c.localGet(QB);
    c.localGet(QA).simdMem(S.v128Load64Splat, 3, 8 * k);
    if (paired) laneMem(c, S.v128Load64Lane, 3, 8 * k, 1);
  };
  /** Pushes the mask of lanes whose class is `k` (a constant, or the value of an i32 local). */
  const isClass = (k: number | { local: number }) => {
    c.localGet(CV);
    if (typeof k === "number") f64x2Const(c, k);
    else c.localGet(k.local).op(F64_CONVERT_I32_S).simd(S.f64x2Splat);
    c.simd(S.f64x2Eq);
  };
  /** p from the local P: stores w·(p − [y = k]) and w·p(1 − p) at GA, HA, then moves them to the next class. */
  const gradients = (paired: boolean, weighted: boolean, k: number | { local: number }) => {
    c.localGet(P);
    isClass(k);
    f64x2Const(c, 1);
    c.simd(S.v128And).simd(S.f64x2Sub);
    timesWeight(c, WV, weighted);
    c.localSet(V);
    storeF32Rows(c, GA, R, V, paired);
    c.localGet(P);
    f64x2Const(c, 1);
    c.localGet(P).simd(S.f64x2Sub).simd(S.f64x2Mul);
    timesWeight(c, WV, weighted);
    c.localSet(V);
    storeF32Rows(c, HA, R, V, paired);
    c.localGet(GA).localGet(CB).op(Op.i32Add).localSet(GA);
    c.localGet(HA).localGet(CB).op(Op.i32Add).localSet(HA);
  };
  const unrolled = K <= SOFTMAX_UNROLL_MAX;
  const Z = unrolled ? L.v128s(K) : [L.take(v128)];
  const groupSize = Math.ceil(K / Math.ceil(K / EXP_GROUP));
  const exps = unrolled ? Array.from({ length: K }, (_, k) => (k < groupSize ? L.exp() : null)) : [L.exp()];
  const KK = L.take(i32);
  const EP = L.take(i32);
  weightedOrNot(c, W, (weighted) => {
    rowLoop(c, A, B, R, 1, (paired) => {
      loadRows(c, Y, R, paired);
      c.localSet(CV);
      if (weighted) {
        loadRows(c, W, R, paired);
        c.localSet(WV);
      }
      // QA, QB: the rows' first scores
      c.localGet(R).localGet(KP).op(Op.i32Mul).i32Const(3).op(Op.i32Shl).localGet(RAW).op(Op.i32Add).localTee(QA);
      c.localGet(KP).i32Const(3).op(Op.i32Shl).op(Op.i32Add).localSet(QB);
      c.localGet(G).localSet(GA);
      c.localGet(H).localSet(HA);
      f64x2Const(c, 0);
      c.localTee(SUM).localSet(ZC);
      if (unrolled) {
        for (let k = 0; k < K; k++) {
          pair(paired, k);
          c.localSet(Z[k]);
        }
        // m: the first score, then any larger one (as `if (m < z) m = z`)
        c.localGet(Z[0]).localSet(M);
        for (let k = 1; k < K; k++) c.localGet(Z[k]).localGet(M).localGet(M).localGet(Z[k]).simd(S.f64x2Lt).simd(S.v128Bitselect).localSet(M);
        // e_k = exp(z_k − m), four at a time side by side (each group's results kept in the Z locals)
        for (let k0 = 0; k0 < K; k0 += groupSize) {
          const group = [];
          for (let k = k0; k < Math.min(K, k0 + groupSize); k++) {
            const job = exps[k - k0]!;
            c.localGet(Z[k]).localGet(M).simd(S.f64x2Sub).localSet(job.x);
            group.push(job);
          }
          // z_y before the scores give way to the exponentials
          for (let k = k0; k < Math.min(K, k0 + groupSize); k++) {
            c.localGet(Z[k]).localGet(ZC);
            isClass(k);
            c.simd(S.v128Bitselect).localSet(ZC);
          }
          expF64x2(c, group, { nonPositive: true }); // z − m ≤ 0, or NaN
          group.forEach((job, j) => c.localGet(job.out).localSet(Z[k0 + j]));
        }
        for (let k = 0; k < K; k++) c.localGet(SUM).localGet(Z[k]).simd(S.f64x2Add).localSet(SUM);
        for (let k = 0; k < K; k++) {
          c.localGet(Z[k]).localGet(SUM).simd(S.f64x2Div).localSet(P);
          gradients(paired, weighted, k);
        }
      } else {
        const job = exps[0]!;
        /** for KK = 0..K−1 { body; QA += 8; QB += 8 } (QA, QB back at the first scores after). */
        const classLoop = (body: () => void) => {
          c.i32Const(0).localSet(KK);
          c.open(Op.block).open(Op.loop);
          c.localGet(KK).localGet(KP).op(I32_GE_S).br(1, true);
          body();
          c.localGet(QA).i32Const(8).op(Op.i32Add).localSet(QA);
          c.localGet(QB).i32Const(8).op(Op.i32Add).localSet(QB);
          c.localGet(KK).i32Const(1).op(Op.i32Add).localSet(KK).br(0);
          c.end().end();
          c.localGet(QA).localGet(KP).i32Const(3).op(Op.i32Shl).op(Op.i32Sub).localSet(QA);
          c.localGet(QB).localGet(KP).i32Const(3).op(Op.i32Shl).op(Op.i32Sub).localSet(QB);
        };
        classLoop(() => {
          pair(paired, 0);
          c.localSet(Z[0]);
          c.localGet(KK).op(Op.i32Eqz).bytes.push(IF, 0x40);
          c.localGet(Z[0]).localSet(M);
          c.op(ELSE);
          c.localGet(Z[0]).localGet(M).localGet(M).localGet(Z[0]).simd(S.f64x2Lt).simd(S.v128Bitselect).localSet(M);
          c.end();
        });
        c.localGet(T).i32Const(16 * GRAD_CHUNK).op(Op.i32Add).localSet(EP);
        classLoop(() => {
          pair(paired, 0);
          c.localTee(Z[0]).localGet(M).simd(S.f64x2Sub).localSet(job.x);
          expF64x2(c, [job], { nonPositive: true });
          c.localGet(EP).localGet(job.out).simdMem(S.v128Store, 4, 0);
          c.localGet(EP).i32Const(16).op(Op.i32Add).localSet(EP);
          c.localGet(SUM).localGet(job.out).simd(S.f64x2Add).localSet(SUM);
          c.localGet(Z[0]).localGet(ZC);
          isClass({ local: KK });
          c.simd(S.v128Bitselect).localSet(ZC);
        });
        c.localGet(T).i32Const(16 * GRAD_CHUNK).op(Op.i32Add).localSet(EP);
        classLoop(() => {
          c.localGet(EP).simdMem(S.v128Load, 4, 0).localGet(SUM).simd(S.f64x2Div).localSet(P);
          c.localGet(EP).i32Const(16).op(Op.i32Add).localSet(EP);
          gradients(paired, weighted, { local: KK });
        });
      }
      // loss terms: m − z_y and s
      c.localGet(M).localGet(ZC).simd(S.f64x2Sub).localSet(V);
      storeTerm(c, T, A, R, V, paired, 0);
      storeTerm(c, T, A, R, SUM, paired, 8 * GRAD_CHUNK);
    });
  });
  return { name: "softmax", params: new Array(10).fill(i32), results: [], locals: L.types, body: c };
}

/**
 * Loss sums over a chunk's terms in row order, as losses.ts adds them (so the same bits), from term
 * i to m − 1; the running sums (loss, product) wait at `acc`. Returns where it stopped: at m; after
 * the row whose factor took the product past `PRODUCT_LIMIT` (the caller adds its log and resets
 * it to 1); or (logistic) at a row the caller must add itself (z ≤ −700, or q ≥ 1e100: their logs
 * are taken in JavaScript).
 * - `sum` (poisson) sum(terms, 0, i, m, acc): loss += t0
 * - `product` (softmax) product(terms, 0, i, m, acc): loss += t0, prod *= t1
 * - `logistic` logisticSum(terms, raw, i, m, acc) (raw at the chunk's first row): the same, for rows
 *   with z > −700 and q < 1e100
 */
function sumFunction(kind: "sum" | "product" | "logistic"): WasmFunction {
  const [T, RAW, I, M, ACC] = [0, 1, 2, 3, 4];
  const L = new Locals(5);
  const [LOSS, PROD, T1] = [L.take(f64), L.take(f64), L.take(f64)];
  const c = new CodeBuilder();
  const at = (base: number, offset: number) => c.localGet(base).localGet(I).i32Const(3).op(Op.i32Shl).op(Op.i32Add).mem(Op.f64Load, 3, offset);
  c.localGet(ACC).mem(Op.f64Load, 3, 0).localSet(LOSS);
  c.localGet(ACC).mem(Op.f64Load, 3, 8).localSet(PROD);
  c.open(Op.block).open(Op.loop);
  c.localGet(I).localGet(M).op(I32_GE_S).br(1, true);
  if (kind !== "sum") {
    at(T, 8 * GRAD_CHUNK).localSet(T1);
    if (kind === "logistic") {
      at(RAW, 0);
      c.f64Const(-700).op(F64_GT).op(Op.i32Eqz).br(1, true);
      c.localGet(T1).f64Const(1e100).op(F64_LT).op(Op.i32Eqz).br(1, true);
    }
  }
  c.localGet(LOSS);
  at(T, 0);
  c.op(Op.f64Add).localSet(LOSS);
  c.localGet(I).i32Const(1).op(Op.i32Add).localSet(I);
  if (kind !== "sum") {
    c.localGet(PROD).localGet(T1).op(F64_MUL).localTee(PROD).f64Const(PRODUCT_LIMIT).op(F64_GT).br(1, true);
  }
  c.br(0);
  c.end().end();
  c.localGet(ACC).localGet(LOSS).mem(Op.f64Store, 3, 0);
  c.localGet(ACC).localGet(PROD).mem(Op.f64Store, 3, 8);
  c.localGet(I);
  return { name: kind === "logistic" ? "logisticSum" : kind, params: new Array(5).fill(i32), results: [i32], locals: L.types, body: c };
}

/** exp(src, dst, a, b): dst[i] = e^src[i] for i in a..b−1 (doubles; the vector exp alone, for tests and benches). */
function expFunction(): WasmFunction {
  const [SRC, DST, A, B] = [0, 1, 2, 3];
  const L = new Locals(4);
  const R = L.take(i32);
  const jobs = Array.from({ length: WAYS }, () => L.exp());
  const c = new CodeBuilder();
  rowLoop(c, A, B, R, WAYS, (paired, ways) => {
    const js = jobs.slice(0, ways);
    js.forEach((job, j) => {
      loadRows(c, SRC, R, paired, 2 * j);
      c.localSet(job.x);
    });
    expF64x2(c, js);
    js.forEach((job, j) => {
      c.localGet(DST).localGet(R).i32Const(3).op(Op.i32Shl).op(Op.i32Add).localGet(job.out);
      if (paired) c.simdMem(Simd.v128Store, 3, 16 * j);
      else laneMem(c, Simd.v128Store64Lane, 3, 0, 0);
    });
  });
  return { name: "exp", params: [i32, i32, i32, i32], results: [], locals: L.types, body: c };
}

type Fn = (...args: number[]) => void;
type SumFn = (terms: number, raw: number, i: number, m: number, acc: number) => number;

/** One thread's gradient kernels over a memory (the training state's). */
export interface GradientKernels {
  /** dst[i] = Math.exp(src[i]) for i in a..b−1, two at a time; both arrays in the kernels' memory. */
  exp(src: Float64Array, dst: Float64Array, a: number, b: number): void;
  logistic: Fn;
  poisson: Fn;
  softmax: Fn;
  sum: SumFn;
  product: SumFn;
  logisticSum: SumFn;
  memory: WebAssembly.Memory;
}

/**
 * Compiles the gradient kernels over `memory` (shared or not; each thread compiles its own), the
 * softmax kernel for `K` classes.
 *
 * @example
 * ```ts
 * const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
 * const k = gradientKernels(memory, 1);
 * const x = new Float64Array(memory.buffer, 0, 4).fill(1);
 * const e = new Float64Array(memory.buffer, 32, 4);
 * k.exp(x, e, 0, 4); // e[i] === Math.exp(1)
 * ```
 */
export function gradientKernels(memory: WebAssembly.Memory, K: number): GradientKernels {
  const shared = memory.buffer instanceof SharedArrayBuffer;
  const bytes = encodeModule({ module: "env", name: "memory", minPages: 1, maxPages: WASM_MAX_PAGES, shared }, [expFunction(), logisticFunction(), poissonFunction(), softmaxFunction(K), sumFunction("sum"), sumFunction("product"), sumFunction("logistic")]);
  const ex = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as Record<string, Fn> & Record<"sum" | "product" | "logisticSum", SumFn>;
  return {
    exp(src, dst, a, b) {
      if (src.buffer !== memory.buffer || dst.buffer !== memory.buffer) throw new Error("gradient kernels: exp's arrays must be views of the kernels' WebAssembly memory");
      if (b > a) ex.exp(src.byteOffset, dst.byteOffset, a, b);
    },
    logistic: ex.logistic,
    poisson: ex.poisson,
    softmax: ex.softmax,
    sum: ex.sum,
    product: ex.product,
    logisticSum: ex.logisticSum,
    memory,
  };
}

const kernelsByState = new WeakMap<TrainState, GradientKernels>();

/** This thread's gradient kernels over the state's memory (compiled on first use). */
function kernelsFor(s: TrainState): GradientKernels {
  let k = kernelsByState.get(s);
  if (!k) kernelsByState.set(s, (k = gradientKernels(s.memory, s.K)));
  return k;
}

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
  const per = s.gradTerms.length / s.maxBlocks;
  const terms = s.gradTerms.subarray(blk * per, (blk + 1) * per);
  // one function per loss and weighting, as in losses.ts: V8 optimises each loop on its own
  if (code === LOSS_SOFTMAX) return s.w.length > 0 ? softmaxWeighted(s, terms, a, b) : softmaxUnweighted(s, terms, a, b);
  if (code === LOSS_LOGISTIC) return s.w.length > 0 ? logisticWeighted(s, terms, a, b) : logisticUnweighted(s, terms, a, b);
  return poisson(s, terms, a, b);
}

/** Runs the kernel of the state's loss on rows c0..c1−1 (terms of the chunk into `terms`). */
function runKernel(s: TrainState, code: number, terms: Float64Array, c0: number, c1: number): void {
  const kern = kernelsFor(s);
  const wAt = s.w.length > 0 ? s.w.byteOffset : 0;
  const [raw, y, g, h, t] = [s.raw.byteOffset, s.y.byteOffset, s.g.byteOffset, s.h.byteOffset, terms.byteOffset];
  if (code === LOSS_SOFTMAX) kern.softmax(raw, y, wAt, g, h, t, 4 * s.n, s.K, c0, c1);
  else if (code === LOSS_LOGISTIC) kern.logistic(raw, y, wAt, g, h, t, c0, c1);
  else kern.poisson(raw, y, wAt, g, h, t, c0, c1);
}

/** Unweighted softmax: Σ (m − z_y) + log Π s, the product flushed into its log before it overflows (summed in WebAssembly). */
function softmaxUnweighted(s: TrainState, terms: Float64Array, a: number, b: number): number {
  const kern = kernelsFor(s);
  const acc = terms.subarray(terms.length - 2);
  acc[0] = 0;
  acc[1] = 1;
  let logs = 0;
  for (let c0 = a; c0 < b; c0 += GRAD_CHUNK) {
    const m = Math.min(b, c0 + GRAD_CHUNK) - c0;
    runKernel(s, LOSS_SOFTMAX, terms, c0, c0 + m);
    for (let i = 0; i < m; ) {
      i = kern.product(terms.byteOffset, 0, i, m, acc.byteOffset);
      if (acc[1] > PRODUCT_LIMIT) {
        logs += Math.log(acc[1]);
        acc[1] = 1;
      }
    }
  }
  return acc[0] + logs + Math.log(acc[1]);
}

/** Weighted softmax: Σ w·(m − z_y + log s). */
function softmaxWeighted(s: TrainState, terms: Float64Array, a: number, b: number): number {
  const w = s.w;
  let loss = 0;
  for (let c0 = a; c0 < b; c0 += GRAD_CHUNK) {
    const m = Math.min(b, c0 + GRAD_CHUNK) - c0;
    runKernel(s, LOSS_SOFTMAX, terms, c0, c0 + m);
    for (let i = 0; i < m; i++) loss += w[c0 + i] * (terms[i] + Math.log(terms[GRAD_CHUNK + i]));
  }
  return loss;
}

/**
 * Unweighted binary log loss: Σ (1 − y)·z + log Π q (factors below 1e100; larger ones logged
 * alone); log1p(e) − y·z at z ≤ −700 (summed in WebAssembly but for the rows needing a log).
 */
function logisticUnweighted(s: TrainState, terms: Float64Array, a: number, b: number): number {
  const kern = kernelsFor(s);
  const raw = s.raw;
  const acc = terms.subarray(terms.length - 2);
  acc[0] = 0;
  acc[1] = 1;
  let logs = 0;
  for (let c0 = a; c0 < b; c0 += GRAD_CHUNK) {
    const m = Math.min(b, c0 + GRAD_CHUNK) - c0;
    runKernel(s, LOSS_LOGISTIC, terms, c0, c0 + m);
    for (let i = 0; i < m; ) {
      i = kern.logisticSum(terms.byteOffset, raw.byteOffset + 8 * c0, i, m, acc.byteOffset);
      if (acc[1] > PRODUCT_LIMIT) {
        logs += Math.log(acc[1]);
        acc[1] = 1;
      } else if (i < m) {
        // a row the sums left: q ≥ 1e100 (terms (1 − y)·z and q), or z ≤ −700 (terms y·z and e)
        if (raw[c0 + i] > -700) {
          acc[0] += terms[i];
          logs += Math.log(terms[GRAD_CHUNK + i]);
        } else acc[0] += Math.log1p(terms[GRAD_CHUNK + i]) - terms[i];
        i++;
      }
    }
  }
  return acc[0] + logs + Math.log(acc[1]);
}

/** Weighted binary log loss: Σ w·((1 − y)·z + log q), w·(log1p(e) − y·z) at z ≤ −700. */
function logisticWeighted(s: TrainState, terms: Float64Array, a: number, b: number): number {
  const { raw, w } = s;
  let loss = 0;
  for (let c0 = a; c0 < b; c0 += GRAD_CHUNK) {
    const m = Math.min(b, c0 + GRAD_CHUNK) - c0;
    runKernel(s, LOSS_LOGISTIC, terms, c0, c0 + m);
    for (let i = 0; i < m; i++) {
      const t0 = terms[i];
      const t1 = terms[GRAD_CHUNK + i];
      loss += w[c0 + i] * (raw[c0 + i] > -700 ? t0 + Math.log(t1) : Math.log1p(t1) - t0);
    }
  }
  return loss;
}

/** Half Poisson deviance: Σ w·(μ − y·z), the terms the kernel wrote (summed in WebAssembly). */
function poisson(s: TrainState, terms: Float64Array, a: number, b: number): number {
  const kern = kernelsFor(s);
  const acc = terms.subarray(terms.length - 2);
  acc[0] = 0;
  for (let c0 = a; c0 < b; c0 += GRAD_CHUNK) {
    const m = Math.min(b, c0 + GRAD_CHUNK) - c0;
    runKernel(s, LOSS_POISSON, terms, c0, c0 + m);
    kern.sum(terms.byteOffset, 0, 0, m, acc.byteOffset);
  }
  return acc[0];
}
