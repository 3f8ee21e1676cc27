/**
 * Which columns a gradient-boosting model uses and how: numeric features (numeric, boolean,
 * datetime, and categorical columns not chosen for native splits, read as their codes) and native
 * categorical features (split by category sets). Also turns an aligned frame into the arrays the
 * binner and the predictor read.
 */
import { InvalidInputError, show } from "../../core/index.js";
import { type Column, type ColumnKind, MISSING_BOOL, type Frame } from "../../data/index.js";
import type { GbdtSettings } from "./params.js";

/** The largest category code a numeric column used as a native categorical feature may hold. */
export const MAX_NUMERIC_CATEGORY = 1 << 20;

export interface FeatureLayout {
  names: string[];
  /** 1 when the feature is split by category sets. */
  isCat: Uint8Array;
  /**
   * Native categorical features: size of the training dictionary (codes ≥ it are unseen).
   * Categorical columns read as codes: the dictionary size too (unseen codes read as missing).
   */
  nCats: Int32Array;
  /** Kind of each feature's column in the training frame. */
  kinds: ColumnKind[];
  /** -1, 0 or 1 per feature. */
  monotonic: Int8Array;
}

/** One feature's training values: numbers (NaN missing) or category codes (−1 missing). */
export type FeatureColumn = { cat: false; values: Float64Array } | { cat: true; codes: Int32Array; nCats: number };

/** Decide the features of `data` (all columns but the target) from the settings. */
export function resolveFeatures(data: Frame, target: string, s: Pick<GbdtSettings, "categorical" | "monotonic">, kind: string): FeatureLayout {
  const names = data.names.filter((n) => n !== target);
  if (names.length === 0) throw new InvalidInputError(`${kind}: the data has no feature columns besides the target ${show(target)}`, { path: "data", expected: "at least one feature column" });
  let catNames: Set<string>;
  if (s.categorical === "auto") catNames = new Set(names.filter((n) => data.kind(n) === "categorical"));
  else if (s.categorical === null) catNames = new Set();
  else {
    catNames = new Set(s.categorical);
    for (const c of s.categorical) {
      if (c === target) throw new InvalidInputError(`${kind}: categorical lists the target column ${show(c)}`, { path: `${kind}.categorical`, expected: "feature column names", received: c });
      if (!data.has(c)) throw new InvalidInputError(`${kind}: categorical column ${show(c)} is not in the data; columns are ${show(names, 200)}`, { path: `${kind}.categorical`, expected: `one of ${names.join(", ")}`, received: c });
    }
  }
  const p = names.length;
  const isCat = new Uint8Array(p);
  const nCats = new Int32Array(p);
  const kinds: ColumnKind[] = [];
  const monotonic = new Int8Array(p);
  names.forEach((name, f) => {
    const col = data.column(name);
    kinds.push(col.kind);
    if (col.kind === "text") {
      throw new InvalidInputError(`${kind}: column ${show(name)} is text; encode it first (e.g. as categorical or hashed features) or drop it`, { path: name, expected: "numeric, boolean, datetime or categorical", received: "text" });
    }
    if (catNames.has(name)) {
      isCat[f] = 1;
      if (col.kind === "categorical") nCats[f] = col.categories.length;
      else if (col.kind === "boolean") nCats[f] = 2;
      else if (col.kind === "numeric") nCats[f] = numericCategoryCount(col.values, name, kind);
      else throw new InvalidInputError(`${kind}: column ${show(name)} is ${col.kind} and cannot be categorical`, { path: `${kind}.categorical`, expected: "a categorical, boolean or integer column", received: col.kind });
    } else if (col.kind === "categorical") nCats[f] = col.categories.length;
  });
  if (s.monotonic) {
    for (const [name, c] of Object.entries(s.monotonic)) {
      const f = names.indexOf(name);
      if (f < 0) throw new InvalidInputError(`${kind}: monotonic names column ${show(name)}, which is not a feature; features are ${show(names, 200)}`, { path: `${kind}.monotonic`, expected: `one of ${names.join(", ")}`, received: name });
      if (c !== 0 && isCat[f]) throw new InvalidInputError(`${kind}: monotonic constraint on categorical feature ${show(name)}; constraints apply to numeric features only`, { path: `${kind}.monotonic.${name}`, expected: "a numeric feature", received: name });
      monotonic[f] = c;
    }
  }
  return { names, isCat, nCats, kinds, monotonic };
}

function numericCategoryCount(v: Float64Array, name: string, kind: string): number {
  let max = -1;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x !== x) continue;
    if (!(x >= 0 && x < MAX_NUMERIC_CATEGORY && Number.isInteger(x))) {
      throw new InvalidInputError(`${kind}: categorical column ${show(name)} row ${i}: ${show(x)} is not a category code (an integer in [0, ${MAX_NUMERIC_CATEGORY}))`, { path: `${name}[${i}]`, expected: "an integer category code ≥ 0", received: x });
    }
    if (x > max) max = x;
  }
  return max + 1;
}

/** A frame's feature values for binning (the frame is aligned to the training signature). */
export function featureColumns(data: Frame, layout: FeatureLayout): FeatureColumn[] {
  return layout.names.map((name, f) => {
    const col = data.column(name);
    if (layout.isCat[f]) return { cat: true, codes: categoryCodes(col, layout.nCats[f]), nCats: layout.nCats[f] };
    return { cat: false, values: numericValues(col, layout.nCats[f]) };
  });
}

function categoryCodes(col: Column, nCats: number): Int32Array {
  if (col.kind === "categorical") return col.codes;
  const n = col.kind === "text" ? col.values.length : col.values.length;
  const out = new Int32Array(n);
  if (col.kind === "boolean") {
    for (let i = 0; i < n; i++) out[i] = col.values[i] === MISSING_BOOL ? -1 : col.values[i];
  } else if (col.kind === "numeric" || col.kind === "datetime") {
    const v = col.values;
    for (let i = 0; i < n; i++) {
      const x = v[i];
      out[i] = x >= 0 && x < nCats && Number.isInteger(x) ? x : x !== x ? -1 : nCats; // nCats: an unseen code
    }
  } else out.fill(-1);
  return out;
}

function numericValues(col: Column, nCats: number): Float64Array {
  switch (col.kind) {
    case "numeric":
    case "datetime":
      return col.values;
    case "boolean": {
      const out = new Float64Array(col.values.length);
      for (let i = 0; i < out.length; i++) out[i] = col.values[i] === MISSING_BOOL ? NaN : col.values[i];
      return out;
    }
    case "categorical": {
      const out = new Float64Array(col.codes.length);
      for (let i = 0; i < out.length; i++) {
        const c = col.codes[i];
        out[i] = c >= 0 && c < nCats ? c : NaN;
      }
      return out;
    }
    case "text":
      return new Float64Array(col.values.length).fill(NaN);
  }
}
