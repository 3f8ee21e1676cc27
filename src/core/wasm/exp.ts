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
import { type CodeBuilder, ValType } from "./encoder.js";

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

/** v128 scratch locals `expF64x2` needs, numbered from its `scratch` argument. */
export const EXP_SCRATCH_LOCALS = 6;

/**
 * Emits code that pushes e^x of the two lanes of the v128 local `x` (x is left unchanged), using
 * `EXP_SCRATCH_LOCALS` v128 locals from `scratch` on. Equals `Math.exp` in each lane bit for bit:
 * fdlibm's branches become lane masks (k = 0 near zero, 1 + x below 2^−28, e at exactly 1,
 * +∞ above the overflow threshold, +0 below the underflow threshold, NaN → NaN).
 *
 * @example
 * ```ts
 * const c = new CodeBuilder().localGet(0).simdMem(Simd.v128Load, 3, 0).localSet(2);
 * expF64x2(c, 2, 3);                 // e^x of the pair at address local 0, on the stack
 * c.localSet(2).localGet(1).localGet(2).simdMem(Simd.v128Store, 3, 0);
 * // params [i32 src, i32 dst], locals [v128 × (1 + EXP_SCRATCH_LOCALS)]
 * ```
 */
export function expF64x2(c: CodeBuilder, x: number, scratch: number): CodeBuilder {
  const [AX, KF, HI, LO, R, T] = [0, 1, 2, 3, 4, 5].map((i) => scratch + i);
  const S = Simd;
  const op = (code: number) => c.simd(code);
  // AX = |x|
  c.localGet(x);
  op(S.f64x2Abs);
  c.localSet(AX);
  // KF = trunc(x/ln2 + ½·sign x), 0 where |x| ≤ ½ln2 (by fdlibm's high-word test)
  c.localGet(x);
  f64x2Const(c, INV_LN2);
  op(S.f64x2Mul);
  c.localGet(x);
  i64x2Const(c, 0x8000000000000000n);
  op(S.v128And);
  f64x2Const(c, 0.5);
  op(S.v128Or);
  op(S.f64x2Add);
  op(S.f64x2Trunc);
  c.localGet(AX);
  f64x2Const(c, K0_LIMIT);
  op(S.f64x2Le);
  op(S.v128AndNot);
  c.localSet(KF);
  // HI = x − k·ln2HI (exact), LO = k·ln2LO, R = HI − LO
  c.localGet(x).localGet(KF);
  f64x2Const(c, LN2_HI);
  op(S.f64x2Mul);
  op(S.f64x2Sub);
  c.localTee(HI);
  c.localGet(KF);
  f64x2Const(c, LN2_LO);
  op(S.f64x2Mul);
  c.localTee(LO);
  op(S.f64x2Sub);
  c.localTee(R);
  // T = R², then c = R − T·(P1 + T·(P2 + T·(P3 + T·(P4 + T·P5)))) into T's place
  c.localGet(R);
  op(S.f64x2Mul);
  c.localSet(T);
  c.localGet(R).localGet(T);
  f64x2Const(c, P1).localGet(T);
  f64x2Const(c, P2).localGet(T);
  f64x2Const(c, P3).localGet(T);
  f64x2Const(c, P4).localGet(T);
  f64x2Const(c, P5);
  op(S.f64x2Mul);
  op(S.f64x2Add); // P4 + T·P5
  op(S.f64x2Mul);
  op(S.f64x2Add); // P3 + …
  op(S.f64x2Mul);
  op(S.f64x2Add); // P2 + …
  op(S.f64x2Mul);
  op(S.f64x2Add); // P1 + …
  op(S.f64x2Mul);
  op(S.f64x2Sub);
  c.localSet(T); // T = c
  // y = 1 − ((LO − (R·c)/(2 − c)) − HI)
  f64x2Const(c, 1);
  c.localGet(LO).localGet(R).localGet(T);
  op(S.f64x2Mul);
  f64x2Const(c, 2);
  c.localGet(T);
  op(S.f64x2Sub);
  op(S.f64x2Div);
  op(S.f64x2Sub);
  c.localGet(HI);
  op(S.f64x2Sub);
  op(S.f64x2Sub);
  c.localSet(R); // R = y
  // k as i64 (T), below −1021 (LO = mask): add k (or k + 1000) to the exponent, then × 1 (or 2^−1000)
  c.localGet(KF);
  op(S.i32x4TruncSatF64x2SZero);
  op(S.i64x2ExtendLowI32x4S);
  c.localTee(T);
  i64x2Const(c, -1021n);
  op(S.i64x2LtS);
  c.localSet(LO);
  c.localGet(R).localGet(T).localGet(LO);
  i64x2Const(c, 1000n);
  op(S.v128And);
  op(S.i64x2Add);
  c.i32Const(52);
  op(S.i64x2Shl);
  op(S.i64x2Add);
  f64x2Const(c, TWO_M1000);
  f64x2Const(c, 1);
  c.localGet(LO);
  op(S.v128Bitselect);
  op(S.f64x2Mul);
  // the special cases, each a select keeping y where the case does not apply
  f64x2Const(c, 1).localGet(x);
  op(S.f64x2Add);
  c.localGet(AX);
  f64x2Const(c, TINY);
  op(S.f64x2Ge);
  op(S.v128Bitselect); // |x| < 2^−28: 1 + x
  f64x2Const(c, Math.E).localGet(x);
  f64x2Const(c, 1);
  op(S.f64x2Ne);
  op(S.v128Bitselect); // x = 1: e (V8's special case)
  f64x2Const(c, Infinity).localGet(x);
  f64x2Const(c, O_THRESHOLD);
  op(S.f64x2Le);
  op(S.v128Bitselect); // overflow: +∞
  f64x2Const(c, 0).localGet(x);
  f64x2Const(c, U_THRESHOLD);
  op(S.f64x2Ge);
  op(S.v128Bitselect); // underflow: +0
  c.localGet(x).localGet(x);
  op(S.f64x2Add);
  c.localGet(x).localGet(x);
  op(S.f64x2Eq);
  op(S.v128Bitselect); // NaN: x + x
  return c;
}

/** The locals an `expF64x2` caller declares for its input and scratch (v128 each). */
export function expLocals(): ValType[] {
  return new Array<ValType>(1 + EXP_SCRATCH_LOCALS).fill(ValType.v128);
}
