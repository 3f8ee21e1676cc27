/**
 * The WebAssembly gradient kernels (src/models/gbdt/gradient-kernels.ts): their vector exp equals
 * Math.exp bit for bit over millions of arguments spanning the whole range and every special case,
 * and the logistic, softmax and Poisson passes write exactly the gradients, hessians and loss of
 * the JavaScript loops in losses.ts, weighted and unweighted, for any row range.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/core/rng.js";
import { gradientKernels, stateGradientBlock } from "../../../src/models/gbdt/gradient-kernels.js";
import { LOSS_LOGISTIC, LOSS_POISSON, LOSS_SOFTMAX, gradientBlock } from "../../../src/models/gbdt/losses.js";
import { allocState } from "../../../src/models/gbdt/state.js";

const bits = new Float64Array(1);
const word = new BigInt64Array(bits.buffer);
/** Distance in units in the last place between two finite doubles of one sign (0 when equal as Object.is). */
function ulps(a: number, b: number): number {
  if (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  bits[0] = a;
  const wa = word[0];
  bits[0] = b;
  const wb = word[0];
  return Number(wa > wb ? wa - wb : wb - wa);
}

/** fdlibm's thresholds and branch points, their neighbours, and the IEEE specials. */
function edgeCases(): number[] {
  const next = (x: number, d: number) => {
    bits[0] = x;
    word[0] += BigInt(d);
    return bits[0];
  };
  const points = [0, 1, 0.5 * Math.LN2, 1.5 * Math.LN2, 2 ** -28, 709.782712893384, 745.1332191019411, 708.3964185322641, 708.4, 709.089565712824, 1e-300, 5e-324, 1.7976931348623157e308, 700, 1022 * Math.LN2, 1021 * Math.LN2];
  const out = [NaN, -NaN, Infinity, -Infinity, -0];
  for (const p of points) for (const s of [1, -1]) for (let d = -3; d <= 3; d++) out.push(next(s * p, d));
  // ±∞'s neighbours by bits are NaNs with payloads
  return out;
}

describe("vector exp", () => {
  it("equals Math.exp bit for bit over 4 million arguments, the edges and specials included", () => {
    const n = 1 << 20;
    const memory = new WebAssembly.Memory({ initial: 257, maximum: 257 });
    const k = gradientKernels(memory, 1);
    const x = new Float64Array(memory.buffer, 0, n);
    const e = new Float64Array(memory.buffer, 8 * n, n);
    const rng = new Rng(7);
    const edges = edgeCases();
    let total = 0;
    let identical = 0;
    let maxUlps = 0;
    // four spans: the whole domain, the softmax range (≤ 0), the primary range, tiny arguments
    const draw = [() => (rng.float() - 0.5) * 1500, () => -rng.float() * 40, () => (rng.float() - 0.5) * 2, () => (rng.float() - 0.5) * 2 ** (-60 * rng.float())];
    for (let pass = 0; pass < 4; pass++) {
      for (let i = 0; i < n; i++) x[i] = i < edges.length ? edges[i] : draw[pass]();
      const m = n - pass; // odd lengths end in a single lane
      k.exp(x, e, 0, m);
      for (let i = 0; i < m; i++) {
        const d = ulps(e[i], Math.exp(x[i]));
        if (Number.isNaN(x[i])) expect(e[i]).toBeNaN();
        total++;
        if (d === 0) identical++;
        if (d > maxUlps) maxUlps = d;
      }
    }
    expect(total).toBeGreaterThan(4_000_000);
    expect(maxUlps).toBeLessThanOrEqual(1);
    expect(identical / total).toBe(1);
  });
});

/** The first index where two float arrays differ in their bits, or −1. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return x.length === y.length ? -1 : x.length;
}

function fill(loss: number, K: number, n: number, weighted: boolean, seed: number) {
  const s = allocState({ n, p: 1, K, histSize: 3, hoff: new Int32Array(1), maxLeaves: 4, weighted }, false);
  const rng = new Rng(seed);
  for (let i = 0; i < n * K; i++) {
    const u = rng.float();
    // mostly moderate scores, some huge ones (exp over- and underflows, logistic's z ≤ −700 branch)
    s.raw[i] = u < 0.02 ? (rng.float() - 0.5) * 2000 : u < 0.04 ? -700 - rng.float() * 50 : rng.normal() * 3;
  }
  for (let i = 0; i < n; i++) s.y[i] = loss === LOSS_SOFTMAX ? Math.floor(rng.float() * K) : loss === LOSS_LOGISTIC ? (rng.float() < 0.4 ? 1 : 0) : Math.floor(rng.float() * 6);
  if (loss === LOSS_POISSON) for (let i = 0; i < n * K; i++) s.raw[i] = Math.max(-800, Math.min(s.raw[i], 600));
  if (weighted) for (let i = 0; i < n; i++) s.w[i] = rng.float() < 0.1 ? 0 : 0.1 + 3 * rng.float();
  return s;
}

describe("gradient kernels", () => {
  const cases: [string, number, number][] = [
    ["logistic", LOSS_LOGISTIC, 1],
    ["softmax, 3 classes", LOSS_SOFTMAX, 3],
    ["softmax, 5 classes", LOSS_SOFTMAX, 5],
    ["softmax, 2 classes", LOSS_SOFTMAX, 2],
    ["softmax, 20 classes (the looped kernel)", LOSS_SOFTMAX, 20],
    ["poisson", LOSS_POISSON, 1],
  ];
  for (const [name, loss, K] of cases)
    for (const weighted of [false, true])
      it(`${name}, ${weighted ? "weighted" : "unweighted"}: gradients, hessians and loss equal the JavaScript loop's bit for bit`, () => {
        const n = 5003;
        const s = fill(loss, K, n, weighted, 11 + K);
        // uneven ranges: several chunks, an odd start, an odd length, a single row
        for (const [a, b] of [[0, n], [1, 2500], [2999, 3000], [4000, 4000], [17, 3088]] as const) {
          s.g.fill(NaN);
          s.h.fill(NaN);
          const got = stateGradientBlock(s, loss, 0, a, b, 0);
          const g = new Float32Array(n * K).fill(NaN);
          const h = new Float32Array(n * K).fill(NaN);
          const want = gradientBlock(loss, 0, K, s.y, s.w, s.raw, g, h, n, a, b);
          expect(Object.is(got, want) || got === want, `loss ${got} vs ${want} on rows ${a}..${b}`).toBe(true);
          expect(firstDifference(s.g, g), `gradients on rows ${a}..${b}`).toBe(-1);
          expect(firstDifference(s.h, h), `hessians on rows ${a}..${b}`).toBe(-1);
        }
      });
});
