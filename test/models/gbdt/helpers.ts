/**
 * Shared helpers for the gbdt tests: the reference fixture, frames built from it, and the scores
 * the tests compare (ROC AUC by ranks, accuracy, R²).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Frame } from "../../../src/data/frame.js";

const here = path.dirname(fileURLToPath(import.meta.url));

export interface DataSet {
  features: string[];
  X: (number | null)[][];
  y: number[];
  train: number[];
  test: number[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const reference: any = JSON.parse(readFileSync(path.join(here, "../../fixtures/gbdt/reference.json"), "utf8"));

/** A frame of the rows `idx` of a data set; the target is "y" (as class labels when `labels`). */
export function frameOf(d: { features: string[]; X: (number | null)[][]; y: number[] }, idx: number[], labels = false, X = d.X): Frame {
  const cols: Record<string, Float64Array | string[]> = {};
  d.features.forEach((name, j) => (cols[name] = Float64Array.from(idx, (i) => X[i][j] ?? NaN)));
  cols.y = labels ? idx.map((i) => String(d.y[i])) : Float64Array.from(idx, (i) => d.y[i]);
  return Frame.fromColumns(cols);
}

/** ROC AUC (Mann–Whitney U), ties averaged; `y` is 1 for positives. */
export function auc(score: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = score.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a] - score[b]);
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && score[order[j + 1]] === score[order[i]]) j++;
    for (let k = i; k <= j; k++) {
      if (y[order[k]] === 1) {
        pos++;
        rankSum += (i + j) / 2 + 1;
      }
    }
    i = j + 1;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * (n - pos));
}

export function r2(pred: ArrayLike<number>, y: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < y.length; i++) mean += y[i];
  mean /= y.length;
  let ss = 0;
  let st = 0;
  for (let i = 0; i < y.length; i++) {
    ss += (y[i] - pred[i]) ** 2;
    st += (y[i] - mean) ** 2;
  }
  return 1 - ss / st;
}

/** Column 1 of a rows × 2 probability matrix. */
export function positive(proba: Float64Array): Float64Array {
  const out = new Float64Array(proba.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = proba[2 * i + 1];
  return out;
}

/**
 * Deterministic synthetic rows: numeric x1, x2 (5 % missing), categorical `shop` (8 levels, 3 % missing),
 * a binary label `label` ("no"/"yes"), a numeric target `value` and a count target `count`.
 */
export function synthetic(n: number, seed = 1): Frame {
  let s = seed >>> 0 || 1;
  const rnd = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const shops = ["a", "b", "c", "d", "e", "f", "g", "h"];
  const effect = [1, -0.5, 0.3, -1, 0.8, 0, -0.2, 0.6];
  const x1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const shop: (string | null)[] = [];
  const label: string[] = [];
  const value = new Float64Array(n);
  const count = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x1[i] = normal();
    x2[i] = rnd() < 0.05 ? NaN : normal();
    const k = Math.floor(rnd() * 8);
    shop.push(rnd() < 0.03 ? null : shops[k]);
    const z = x1[i] + 0.5 * (x2[i] === x2[i] ? x2[i] * x2[i] : 1) + effect[k];
    label.push(z + 0.7 * normal() > 0.6 ? "yes" : "no");
    value[i] = 3 * z + normal();
    const mu = Math.exp(0.4 * z);
    let c = 0;
    for (let t = Math.exp(-mu), pr = t, u = rnd(); u > pr && c < 50; ) {
      c++;
      t *= mu / c;
      pr += t;
    }
    count[i] = c;
  }
  return Frame.fromColumns({ x1, x2, shop, label, value, count });
}

/** A 32-bit integer hash of (i, j) scaled to [0, 1): the same numbers as make_reference.py's `hash32`. */
function hash32(i: number, j: number): number {
  let h = (Math.imul(i, 0x9e3779b1) + Math.imul(j, 0x85ebca77)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b) >>> 0;
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/**
 * Rows 0..n−1 of the hashed data set of make_reference.py's "large" section: features x0..x4 (x4
 * 10 % missing), a binary target `yes` and a numeric target `value`, made with + − × only so the
 * bits equal NumPy's.
 */
export function hashedRows(n: number): { cols: Record<string, Float64Array>; binary: Int32Array; value: Float64Array } {
  const cols: Record<string, Float64Array> = {};
  for (let j = 0; j < 5; j++) cols[`x${j}`] = Float64Array.from({ length: n }, (_, i) => hash32(i, j));
  for (let i = 0; i < n; i++) if (hash32(i, 8) < 0.1) cols.x4[i] = NaN;
  const binary = new Int32Array(n);
  const value = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x4 = cols.x4[i];
    const score = cols.x0[i] + cols.x1[i] * cols.x2[i] - 0.5 * cols.x3[i] + (x4 !== x4 ? 0.3 : x4 * 0.4) + 0.6 * (hash32(i, 7) - 0.5);
    binary[i] = score > 0.75 ? 1 : 0;
    value[i] = score * 10;
  }
  return { cols, binary, value };
}
