/**
 * e^x on two doubles at once (f64x2), emitted into a WebAssembly function body: the algorithm of
 * fdlibm's `__ieee754_exp` (Sun Microsystems 1993, as FreeBSD msun `e_exp.c` and V8's
 * `base::ieee754::exp`, which is what `Math.exp` runs) — range reduction x = k·ln2 + r with ln2 in
 * two parts (ln2HI·k exact), the rational approximation e^r = 1 + 2r/(R(r²) − r) with a degree-5
 * Remez polynomial, and 2^k put into the exponent bits (k < −1021 through a second scale by
 * 2^−1000, so subnormal results round once). Every operation is a separately rounded IEEE double
 * operation in the same order as the C code (WebAssembly has no fused multiply-add), and every
 * special case of the C code's branches is taken by a lane select — so each lane equals `Math.exp`
 * bit for bit (error < 1 ulp), NaN, ±Infinity, overflow (x > 709.78…) and underflow included.
 */
import type { CodeBuilder } from "./encoder.js";

/** SIMD opcodes (after the 0xFD prefix) of the vector math kernels. */
export const Simd = {
  v128Load: 0x00,
  v128Load64Splat: 0x0a,
  v128Store: 0x0b,
  v128Const: 0x0c,
  f64x2Splat: 0x14,
  f64x2ExtractLane: 0x21,
  f64x2ReplaceLane: 0x22,
  f64x2Eq: 0x47,
  f64x2Ne: 0x48,
  f64x2Lt: 0x49,
  f64x2Gt: 0x4a,
  f64x2Le: 0x4b,
  f64x2Ge: 0x4c,
  v128And: 0x4e,
  v128AndNot: 0x4f,
  v128Or: 0x50,
  v128Bitselect: 0x52,
  v128Load64Lane: 0x57,
  v128Store32Lane: 0x5a,
  v128Store64Lane: 0x5b,
  f32x4DemoteF64x2Zero: 0x5e,
  f64x2Trunc: 0x7a,
  i64x2ExtendLowI32x4S: 0xc7,
  i64x2Shl: 0xcb,
  i64x2Add: 0xce,
  i64x2LtS: 0xd8,
  f64x2Abs: 0xec,
  f64x2Neg: 0xed,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
  f64x2Mul: 0xf2,
  f64x2Div: 0xf3,
  i32x4TruncSatF64x2SZero: 0xfc,
} as const;

/**
 * Pushes a `v128.const` of two doubles (lane 0, lane 1).
 *
 * @example
 * ```ts
 * const c = new CodeBuilder();
 * f64x2Const(c, 0.5); // both lanes 0.5
 * c.bytes.length; // 18
 * ```
 */
export function f64x2Const(c: CodeBuilder, lo: number, hi = lo): CodeBuilder {
  const b = new Uint8Array(new Float64Array([lo, hi]).buffer);
  c.simd(Simd.v128Const).bytes.push(...b);
  return c;
}

/**
 * Pushes a `v128.const` of two 64-bit integers (both lanes `v`).
 *
 * @example
 * ```ts
 * const c = new CodeBuilder();
 * i64x2Const(c, 0x8000000000000000n); // the sign bit of both doubles
 * ```
 */
export function i64x2Const(c: CodeBuilder, v: bigint): CodeBuilder {
  const b = new Uint8Array(new BigInt64Array([BigInt.asIntN(64, v), BigInt.asIntN(64, v)]).buffer);
  c.simd(Simd.v128Const).bytes.push(...b);
  return c;
}

/** The double whose bits are `bits` (fdlibm's thresholds are given as words). */
function fromBits(bits: bigint): number {
  return new Float64Array(new BigUint64Array([bits]).buffer)[0];
}

// fdlibm e_exp.c constants
const O_THRESHOLD = 7.09782712893383973096e2;
const U_THRESHOLD = -7.45133219101941108420e2;
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.4426950408889634;
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.65339022054652515390e-6;
const P5 = 4.13813679705723846039e-8;
const TWO_M1000 = 2 ** -1000;
/** |x| whose high word is 0x3FD62E42 or less (≈ ½ln2) takes k = 0. */
const K0_LIMIT = fromBits(0x3fd62e42ffffffffn);
/** |x| whose high word is below 0x3E300000 (2^−28) gives 1 + x. */
const TINY = 2 ** -28;

/** v128 scratch locals each `expF64x2` job needs, numbered from its `scratch`. */
export const EXP_SCRATCH_LOCALS = 7;

/** One exponential for `expF64x2`: v128 locals of the input, the result, and the first of its scratch locals. */
export interface ExpJob {
  x: number;
  out: number;
  scratch: number;
}

/**
 * Emits code that sets each job's `out` to e^x of the two lanes of its `x` (x left unchanged),
 * each with its own `EXP_SCRATCH_LOCALS` v128 locals from `scratch` on (`out` another local).
 * The jobs' instructions are interleaved step by step: the computation is one long dependency
 * chain (≈ 100 cycles), and independent chains side by side let the processor overlap them
 * (four jobs run about twice as fast per value as one). fdlibm's branches become lane masks
 * (k = 0 near zero, 1 + x below 2^−28, e at exactly 1, +∞ above the overflow threshold, +0 below
 * the underflow threshold, subnormal results scaled twice, NaN → NaN), so each lane equals
 * `Math.exp` bit for bit. (A branch skipping the masks when no lane needs them measured slower.)
 * With `nonPositive` the caller promises every lane is ≤ 0 or NaN (softmax's z − max z): the
 * cases x = 1 and overflow are left out, and ½·sign x is −½.
 *
 * @example
 * ```ts
 * const c = new CodeBuilder().localGet(0).simdMem(Simd.v128Load, 3, 0).localSet(2);
 * expF64x2(c, [{ x: 2, out: 3, scratch: 4 }]); // local 3 = e^(local 2)
 * c.localGet(1).localGet(3).simdMem(Simd.v128Store, 3, 0);
 * // params [i32 src, i32 dst], locals [v128 × (2 + EXP_SCRATCH_LOCALS)]
 * ```
 */
export function expF64x2(c: CodeBuilder, jobs: ExpJob[], options: { nonPositive?: boolean } = {}): CodeBuilder {
  const S = Simd;
  const op = (code: number) => c.simd(code);
  const f = (v: number) => f64x2Const(c, v);
  const i = (v: bigint) => i64x2Const(c, v);
  type L = { X: number; Y: number; AX: number; KF: number; HI: number; LO: number; R: number; T: number; C: number };
  const locals: L[] = jobs.map(({ x, out, scratch }) => ({ X: x, Y: out, AX: scratch, KF: scratch + 1, HI: scratch + 2, LO: scratch + 3, R: scratch + 4, T: scratch + 5, C: scratch + 6 }));
  /** The computation in steps, each run for every job before the next. */
  const steps: ((l: L) => void)[] = [
    // KF = trunc(x/ln2 + ½·sign x), 0 where |x| ≤ ½ln2 (by fdlibm's high-word test; x = +0 with
    // −½ when nonPositive gives −0, masked to 0 all the same)
    ({ X, AX, KF }) => {
      c.localGet(X);
      f(INV_LN2);
      op(S.f64x2Mul);
      if (options.nonPositive) f(-0.5);
      else {
        c.localGet(X);
        i(0x8000000000000000n);
        op(S.v128And);
        f(0.5);
        op(S.v128Or);
      }
      op(S.f64x2Add);
      op(S.f64x2Trunc);
      c.localGet(AX);
      f(K0_LIMIT);
      op(S.f64x2Le);
      op(S.v128AndNot);
      c.localSet(KF);
    },
    // HI = x − k·ln2HI (exact), LO = k·ln2LO
    ({ X, KF, HI }) => {
      c.localGet(X).localGet(KF);
      f(LN2_HI);
      op(S.f64x2Mul);
      op(S.f64x2Sub);
      c.localSet(HI);
    },
    ({ KF, LO }) => {
      c.localGet(KF);
      f(LN2_LO);
      op(S.f64x2Mul);
      c.localSet(LO);
    },
    // R = HI − LO, T = R²
    ({ HI, LO, R, T }) => {
      c.localGet(HI).localGet(LO);
      op(S.f64x2Sub);
      c.localTee(R).localGet(R);
      op(S.f64x2Mul);
      c.localSet(T);
    },
    // c = R − T·(P1 + T·(P2 + T·(P3 + T·(P4 + T·P5))))
    ({ T, C }) => {
      f(P4);
      c.localGet(T);
      f(P5);
      op(S.f64x2Mul);
      op(S.f64x2Add);
      c.localSet(C);
    },
    ...[P3, P2, P1].map((p) => ({ T, C }: L) => {
      f(p);
      c.localGet(T).localGet(C);
      op(S.f64x2Mul);
      op(S.f64x2Add);
      c.localSet(C);
    }),
    ({ R, T, C }) => {
      c.localGet(R).localGet(T).localGet(C);
      op(S.f64x2Mul);
      op(S.f64x2Sub);
      c.localSet(C);
    },
    // T = (R·c)/(2 − c)
    ({ R, T, C }) => {
      c.localGet(R).localGet(C);
      op(S.f64x2Mul);
      f(2);
      c.localGet(C);
      op(S.f64x2Sub);
      op(S.f64x2Div);
      c.localSet(T);
    },
    // k as i64 (C), and the lanes where k < −1021 (R = mask)
    ({ KF, R, C }) => {
      c.localGet(KF);
      op(S.i32x4TruncSatF64x2SZero);
      op(S.i64x2ExtendLowI32x4S);
      c.localTee(C);
      i(-1021n);
      op(S.i64x2LtS);
      c.localSet(R);
    },
    // y = 1 − ((LO − T) − HI)
    ({ Y, HI, LO, T }) => {
      f(1);
      c.localGet(LO).localGet(T);
      op(S.f64x2Sub);
      c.localGet(HI);
      op(S.f64x2Sub);
      op(S.f64x2Sub);
      c.localSet(Y);
    },
    // add k to the exponent (k + 1000 where k < −1021, then × 2^−1000 there: one rounding to a subnormal)
    ({ Y, R, C }) => {
      c.localGet(Y).localGet(C).localGet(R);
      i(1000n);
      op(S.v128And);
      op(S.i64x2Add);
      c.i32Const(52);
      op(S.i64x2Shl);
      op(S.i64x2Add);
      f(TWO_M1000);
      f(1);
      c.localGet(R);
      op(S.v128Bitselect);
      op(S.f64x2Mul);
      c.localSet(Y);
    },
    // the special cases as selects. NaN lanes: 1 + x is x's NaN (as x + x in fdlibm), and every
    // later test is false for NaN, so they keep it
    ({ X, Y, AX }) => {
      c.localGet(Y);
      f(1);
      c.localGet(X);
      op(S.f64x2Add);
      c.localGet(AX);
      f(TINY);
      op(S.f64x2Ge);
      op(S.v128Bitselect); // |x| < 2^−28 (or NaN): 1 + x
      c.localSet(Y);
      const special = (value: number, test: number, bound: number) => {
        f(value);
        c.localGet(Y).localGet(X);
        f(bound);
        op(test);
        op(S.v128Bitselect);
        c.localSet(Y);
      };
      if (!options.nonPositive) {
        special(Math.E, S.f64x2Eq, 1); // x = 1: e (V8's special case)
        special(Infinity, S.f64x2Gt, O_THRESHOLD); // overflow: +∞
      }
      special(0, S.f64x2Lt, U_THRESHOLD); // underflow: +0
    },
  ];
  // AX = |x|
  for (const { X, AX } of locals) {
    c.localGet(X);
    op(S.f64x2Abs);
    c.localSet(AX);
  }
  for (const step of steps) for (const l of locals) step(l);
  return c;
}
