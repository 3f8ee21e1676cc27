/**
 * The synthetic data sets of bench/gbdt-wide, made deterministically (seeded `Rng`) and written
 * once to a cache folder (`$KEEL_BENCH_CACHE`, else `<tmpdir>/keel-bench-cache`), never committed:
 *
 * - "wide": 1,000,000 rows × 30 numeric features (first 500,000 train, next 500,000 test), 5% of
 *   the cells missing at random; x ~ N(0, 1), a binary target from a logistic model over 12 of the
 *   features with interactions and non-linear terms (the other 18 are noise).
 * - "multiclass": 300,000 rows × 20 numeric features (first 200,000 train, next 100,000 test), no
 *   missing values, 5 classes: the arg-max of five random linear scores plus a non-linear term and
 *   Gumbel noise (a multinomial logit).
 *
 * Files: `X.f64` (column-major, feature j's n values at j·n), `y.f64` (0/1 or the class index),
 * `meta.json`. Python reads them with `np.fromfile`.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Rng } from "../src/core/rng.js";

export type WideKind = "wide" | "multiclass";

export interface WideData {
  dir: string;
  nTrain: number;
  nTest: number;
  p: number;
  classes: number;
  /** Column-major features, all rows. */
  X: Float64Array[];
  y: Float64Array;
}

const SPEC = {
  wide: { nTrain: 500_000, nTest: 500_000, p: 30, classes: 2, missing: 0.05 },
  multiclass: { nTrain: 200_000, nTest: 100_000, p: 20, classes: 5, missing: 0 },
} as const;
/** Bump when the generator changes, so stale caches are not reused. */
const VERSION = 1;

export function wideDataDir(kind: WideKind): string {
  const root = process.env.KEEL_BENCH_CACHE ?? path.join(os.tmpdir(), "keel-bench-cache");
  return path.join(root, `gbdt-${kind}-v${VERSION}`);
}

function generate(kind: WideKind): { X: Float64Array[]; y: Float64Array } {
  const s = SPEC[kind];
  const n = s.nTrain + s.nTest;
  const rng = new Rng(kind === "wide" ? 20261207 : 20261208);
  const X = Array.from({ length: s.p }, () => new Float64Array(n));
  const y = new Float64Array(n);
  // multiclass: a 5 × 20 weight matrix drawn once
  const W = Array.from({ length: s.classes }, () => Float64Array.from({ length: s.p }, () => 0.6 * rng.normal()));
  const scores = new Float64Array(s.classes);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < s.p; j++) X[j][i] = rng.normal();
    const x = (j: number) => X[j][i];
    if (kind === "wide") {
      const z =
        1.2 * x(0) - 0.9 * x(1) + 0.7 * x(2) + 0.5 * x(3) - 0.4 * x(4) +
        0.8 * x(5) * x(6) + Math.sin(2 * x(7)) + 0.6 * Math.abs(x(8)) - 0.5 +
        0.7 * (x(9) > 0.5 ? 1 : 0) - 0.4 * x(10) * x(10) + 0.4 + 0.3 * x(11);
      const u = rng.float();
      const noise = Math.log(u / (1 - u)) * 0.35; // logistic noise
      y[i] = z + noise > 0 ? 1 : 0;
    } else {
      for (let c = 0; c < s.classes; c++) {
        let z = 0;
        for (let j = 0; j < s.p; j++) z += W[c][j] * x(j);
        z += 0.5 * Math.sin(x(c) * 2) + 0.3 * x((c + 1) % s.p) * x((c + 2) % s.p);
        scores[c] = z - Math.log(-Math.log(rng.float() || 1e-300)); // + Gumbel noise
      }
      let best = 0;
      for (let c = 1; c < s.classes; c++) if (scores[c] > scores[best]) best = c;
      y[i] = best;
    }
  }
  if (s.missing > 0) for (let j = 0; j < s.p; j++) for (let i = 0; i < n; i++) if (rng.float() < s.missing) X[j][i] = NaN;
  return { X, y };
}

/** The data set, generated into the cache folder on first use and read back from there after. */
export function wideData(kind: WideKind): WideData {
  const s = SPEC[kind];
  const n = s.nTrain + s.nTest;
  const dir = wideDataDir(kind);
  if (!existsSync(path.join(dir, "meta.json"))) {
    const { X, y } = generate(kind);
    mkdirSync(path.dirname(dir), { recursive: true });
    const tmp = `${dir}.tmp-${process.pid}`;
    mkdirSync(tmp, { recursive: true });
    const flat = new Float64Array(s.p * n);
    X.forEach((col, j) => flat.set(col, j * n));
    writeFileSync(path.join(tmp, "X.f64"), new Uint8Array(flat.buffer));
    writeFileSync(path.join(tmp, "y.f64"), new Uint8Array(y.buffer));
    writeFileSync(path.join(tmp, "meta.json"), JSON.stringify({ kind, version: VERSION, nTrain: s.nTrain, nTest: s.nTest, p: s.p, classes: s.classes }));
    try {
      renameSync(tmp, dir);
    } catch {
      // another process made it meanwhile: theirs is the same bytes
    }
  }
  const xb = readFileSync(path.join(dir, "X.f64"));
  const flat = new Float64Array(xb.buffer, xb.byteOffset, xb.byteLength / 8);
  const yb = readFileSync(path.join(dir, "y.f64"));
  const y = new Float64Array(yb.buffer.slice(yb.byteOffset, yb.byteOffset + yb.byteLength));
  if (flat.length !== s.p * n || y.length !== n) throw new Error(`${dir}: unexpected sizes (${flat.length} values, ${y.length} labels); delete the folder to regenerate`);
  const X = Array.from({ length: s.p }, (_, j) => flat.subarray(j * n, (j + 1) * n));
  return { dir, nTrain: s.nTrain, nTest: s.nTest, p: s.p, classes: s.classes, X, y };
}
