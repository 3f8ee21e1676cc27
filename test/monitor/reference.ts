/**
 * The SciPy reference (test/fixtures/monitor/reference.json) and the sample recipes of its script
 * (make_reference.py), rebuilt bit for bit: MINSTD integers, then +, −, ×, ÷ only.
 */
import { readFileSync } from "node:fs";

const M = 2147483647;

export interface SampleSpec {
  kind: "bell" | "ints" | "constant";
  n: number;
  seed?: number;
  k?: number;
  scale?: number;
  shift?: number;
  levels?: number;
  value?: number;
  nan_every?: number;
  set_every?: [number, number];
}
export interface LabelSpec {
  seed: number;
  n: number;
  weights: number[];
  labels: string[];
  missing_every?: number;
}

export function uniforms(seed: number, n: number): Float64Array {
  let s = seed;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s = (48271 * s) % M;
    out[i] = s / M;
  }
  return out;
}

export function sample(spec: SampleSpec): Float64Array {
  const n = spec.n;
  let x: Float64Array;
  if (spec.kind === "bell") {
    const k = spec.k ?? 3;
    const u = uniforms(spec.seed!, n * k);
    x = new Float64Array(n);
    const scale = spec.scale ?? 1;
    const shift = spec.shift ?? 0;
    for (let i = 0; i < n; i++) {
      let t = 0;
      for (let j = 0; j < k; j++) t = t + u[i * k + j];
      x[i] = (t - k / 2) * scale + shift;
    }
  } else if (spec.kind === "ints") {
    const u = uniforms(spec.seed!, n);
    x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = Math.floor(u[i] * spec.levels!) + (spec.shift ?? 0);
  } else x = new Float64Array(n).fill(spec.value!);
  if (spec.nan_every) for (let i = 0; i < n; i += spec.nan_every) x[i] = NaN;
  if (spec.set_every) for (let i = 0; i < n; i += spec.set_every[0]) x[i] = spec.set_every[1];
  return x;
}

export function labelSample(spec: LabelSpec): (string | null)[] {
  const u = uniforms(spec.seed, spec.n);
  const total = spec.weights.reduce((a, b) => a + b, 0);
  const out: (string | null)[] = [];
  for (let i = 0; i < spec.n; i++) {
    const t = u[i] * total;
    let acc = 0;
    let pick = spec.labels[spec.labels.length - 1];
    for (let j = 0; j < spec.weights.length; j++) {
      acc = acc + spec.weights[j];
      if (t < acc) {
        pick = spec.labels[j];
        break;
      }
    }
    out.push(pick);
  }
  if (spec.missing_every) for (let i = 0; i < spec.n; i += spec.missing_every) out[i] = null;
  return out;
}

export const reference = JSON.parse(readFileSync(new URL("../fixtures/monitor/reference.json", import.meta.url), "utf8"));

/** |actual − expected| ≤ rel·|expected| (or both 0 / both within 1e-300 of it). */
export function closeRel(actual: number, expected: number | null, rel = 1e-6): boolean {
  if (expected === null) return Number.isNaN(actual);
  if (actual === expected) return true;
  return Math.abs(actual - expected) <= rel * Math.abs(expected) + 1e-300;
}

export function sorted(x: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) n++;
  const out = new Float64Array(n);
  let o = 0;
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) out[o++] = x[i];
  return out.sort();
}
