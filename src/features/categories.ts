/**
 * Categories of a column as scikit-learn's encoders see them: the distinct non-missing values,
 * sorted (strings by code point, as NumPy's `np.unique` sorts them; numbers numerically; false
 * before true), with their counts. Missing values are counted apart; encoders that treat missing
 * as a category (as scikit-learn ≥ 1.1 does) put it last.
 */
import { InvalidInputError, show } from "../core/index.js";
import { type Column, MISSING_BOOL } from "../data/index.js";

/** Code-point order (NumPy's order for unicode strings). */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** The label a numeric or boolean value has as a category. */
export function numberLabel(v: number): string {
  return String(v);
}

export interface LabelCounts {
  /** Distinct non-missing labels, sorted. */
  labels: string[];
  /** Rows per label. */
  counts: Float64Array;
  /** Rows with a missing value. */
  missing: number;
}

/** Sorted distinct labels of a column, with counts. Datetime columns are refused. */
export function countLabels(col: Column, name: string, kind = "encoder"): LabelCounts {
  switch (col.kind) {
    case "categorical": {
      const byCode = new Float64Array(col.categories.length);
      let missing = 0;
      for (let i = 0; i < col.codes.length; i++) {
        const k = col.codes[i];
        if (k < 0) missing++;
        else byCode[k]++;
      }
      const present: number[] = [];
      for (let k = 0; k < byCode.length; k++) if (byCode[k] > 0) present.push(k);
      present.sort((a, b) => compareCodePoints(col.categories[a], col.categories[b]));
      return { labels: present.map((k) => col.categories[k]), counts: Float64Array.from(present, (k) => byCode[k]), missing };
    }
    case "boolean": {
      let f = 0, t = 0, missing = 0;
      for (let i = 0; i < col.values.length; i++) {
        const v = col.values[i];
        if (v === MISSING_BOOL) missing++;
        else if (v) t++;
        else f++;
      }
      const labels: string[] = [];
      const counts: number[] = [];
      if (f > 0) { labels.push("false"); counts.push(f); }
      if (t > 0) { labels.push("true"); counts.push(t); }
      return { labels, counts: Float64Array.from(counts), missing };
    }
    case "numeric": {
      const m = new Map<number, number>();
      let missing = 0;
      for (let i = 0; i < col.values.length; i++) {
        const v = col.values[i];
        if (v !== v) missing++;
        else {
          const key = v === 0 ? 0 : v; // -0 and 0 are one category
          m.set(key, (m.get(key) ?? 0) + 1);
        }
      }
      const keys = [...m.keys()].sort((a, b) => a - b);
      return { labels: keys.map(numberLabel), counts: Float64Array.from(keys, (k) => m.get(k)!), missing };
    }
    case "text": {
      const m = new Map<string, number>();
      let missing = 0;
      for (const v of col.values) {
        if (v === null) missing++;
        else m.set(v, (m.get(v) ?? 0) + 1);
      }
      const keys = [...m.keys()].sort(compareCodePoints);
      return { labels: keys, counts: Float64Array.from(keys, (k) => m.get(k)!), missing };
    }
    case "datetime":
      throw new InvalidInputError(`${kind}: column ${show(name)} is datetime; extract date parts first (date-parts) or convert it`, { path: name, expected: "categorical, boolean, numeric or text", received: "datetime" });
  }
}

/** Row code meaning "missing value". */
export const MISSING = -1;
/** Row code meaning "a category not among the known labels". */
export const UNKNOWN = -2;

/**
 * Each row's index into `labels`, `MISSING` (−1) for a missing value, `UNKNOWN` (−2) for a value
 * that is not one of `labels`.
 */
export function indexLabels(col: Column, labels: readonly string[]): Int32Array {
  const index = new Map<string, number>();
  labels.forEach((l, i) => index.set(l, i));
  switch (col.kind) {
    case "categorical": {
      const remap = Int32Array.from(col.categories, (c) => index.get(c) ?? UNKNOWN);
      const out = new Int32Array(col.codes.length);
      for (let i = 0; i < out.length; i++) {
        const k = col.codes[i];
        out[i] = k < 0 ? MISSING : remap[k];
      }
      return out;
    }
    case "boolean": {
      const f = index.get("false") ?? UNKNOWN;
      const t = index.get("true") ?? UNKNOWN;
      const out = new Int32Array(col.values.length);
      for (let i = 0; i < out.length; i++) {
        const v = col.values[i];
        out[i] = v === MISSING_BOOL ? MISSING : v ? t : f;
      }
      return out;
    }
    case "numeric":
    case "datetime": {
      // labels of numbers are String(v), which Number() reads back exactly
      const byValue = new Map<number, number>();
      labels.forEach((l, i) => {
        const v = Number(l);
        if (l.trim() !== "" && !Number.isNaN(v) && numberLabel(v) === l) byValue.set(v, i);
      });
      const out = new Int32Array(col.values.length);
      for (let i = 0; i < out.length; i++) {
        const v = col.values[i];
        out[i] = v !== v ? MISSING : byValue.get(v === 0 ? 0 : v) ?? UNKNOWN;
      }
      return out;
    }
    case "text": {
      const out = new Int32Array(col.values.length);
      for (let i = 0; i < out.length; i++) {
        const v = col.values[i];
        out[i] = v === null ? MISSING : index.get(v) ?? UNKNOWN;
      }
      return out;
    }
  }
}

/** The value of row `i` as a label (for error messages). */
export function rowLabel(col: Column, i: number): string | null {
  switch (col.kind) {
    case "categorical":
      return col.codes[i] < 0 ? null : col.categories[col.codes[i]];
    case "boolean":
      return col.values[i] === MISSING_BOOL ? null : col.values[i] ? "true" : "false";
    case "numeric":
    case "datetime":
      return col.values[i] !== col.values[i] ? null : numberLabel(col.values[i]);
    case "text":
      return col.values[i];
  }
}
