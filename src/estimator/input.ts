/**
 * What every estimator does at its edges: record the input signature at fit, check and align a
 * frame to it at predict, and read the target column as class indices or numbers.
 */
import { InvalidInputError, SchemaMismatchError, show } from "../core/index.js";
import { type CategoricalColumn, type Column, type ColumnKind, MISSING_BOOL, cellValue, numeric, Frame, inferTargetTask } from "../data/index.js";
import type { Signature, SignatureColumn, Task } from "./types.js";

/**
 * The signature of a frame's feature columns (all but the target).
 * @example
 * ```ts
 * const inputs = inputSignature(frame, "Status"); // [{ name, kind, categories? }, …]
 * ```
 */
export function inputSignature(data: Frame, target?: string): SignatureColumn[] {
  return data.names
    .filter((n) => n !== target)
    .map((name) => {
      const c = data.column(name);
      return c.kind === "categorical" ? { name, kind: c.kind, categories: [...c.categories] } : { name, kind: c.kind };
    });
}

/**
 * `data` checked against `inputs` and aligned to it: columns in the signature's order, kinds
 * converted where the meaning is the same (a categorical column read as text, numbers read as
 * category labels), categorical codes remapped to the training dictionary. Categories never seen
 * in training get codes ≥ the training dictionary's length (the dictionary is extended), so models
 * can tell *unseen* from *missing* (−1). The target column and any `ignore` columns may be present
 * and are dropped. Other unknown columns and missing columns are SCHEMA_MISMATCH errors.
 * @example
 * ```ts
 * const aligned = alignInput(model.signature.inputs, await readTable("new.csv"));
 * ```
 */
export function alignInput(inputs: readonly SignatureColumn[], data: Frame, options: { ignore?: readonly string[]; allowExtra?: boolean } = {}): Frame {
  const expected = new Set(inputs.map((c) => c.name));
  const ignore = new Set(options.ignore ?? []);
  const missing = inputs.filter((c) => !data.has(c.name)).map((c) => c.name);
  if (missing.length > 0) {
    throw new SchemaMismatchError(`missing column${missing.length > 1 ? "s" : ""} ${missing.map((m) => show(m)).join(", ")}: the model was trained with ${show(inputs.map((c) => c.name), 200)}`, {
      path: missing[0],
      expected: "the columns the model was trained with",
      received: data.names,
    });
  }
  if (!options.allowExtra) {
    const extra = data.names.filter((n) => !expected.has(n) && !ignore.has(n));
    if (extra.length > 0) {
      throw new SchemaMismatchError(`column${extra.length > 1 ? "s" : ""} ${extra.map((m) => show(m)).join(", ")} ${extra.length > 1 ? "were" : "was"} not seen in training; the model takes ${show(inputs.map((c) => c.name), 200)}`, {
        path: extra[0],
        expected: "only the columns the model was trained with",
        received: extra,
      });
    }
  }
  const cols = new Map<string, Column>();
  for (const spec of inputs) cols.set(spec.name, alignColumn(spec, data.column(spec.name)));
  return Frame.fromColumns(cols, data.nRows);
}

function alignColumn(spec: SignatureColumn, col: Column): Column {
  if (spec.kind === "categorical") return toCategories(col, spec.categories ?? []);
  if (col.kind === spec.kind) return col;
  if (spec.kind === "numeric") return toNumeric(col, spec.name);
  if (spec.kind === "datetime" && col.kind === "numeric") return { kind: "datetime", values: col.values };
  if (spec.kind === "boolean") return toBoolean(col, spec.name);
  if (spec.kind === "text") {
    const n = col.kind === "categorical" ? col.codes.length : col.values.length;
    const out: (string | null)[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const v = cellValue(col, i);
      out[i] = v === null ? null : v instanceof Date ? v.toISOString() : String(v);
    }
    return { kind: "text", values: out };
  }
  throw new SchemaMismatchError(`column ${show(spec.name)} is ${col.kind}, the model expects ${spec.kind}`, { path: spec.name, expected: spec.kind, received: col.kind });
}

/** Remap any column to the training categories; unseen labels extend the dictionary. */
function toCategories(col: Column, categories: readonly string[]): CategoricalColumn {
  if (col.kind === "categorical" && sameList(col.categories, categories)) return col;
  const index = new Map(categories.map((c, i) => [c, i]));
  const dict = [...categories];
  if (col.kind === "categorical") {
    const remap = col.categories.map((c) => {
      let k = index.get(c);
      if (k === undefined) {
        k = dict.length;
        index.set(c, k);
        dict.push(c);
      }
      return k;
    });
    const codes = new Int32Array(col.codes.length);
    for (let i = 0; i < codes.length; i++) codes[i] = col.codes[i] < 0 ? -1 : remap[col.codes[i]];
    return { kind: "categorical", codes, categories: dict };
  }
  const n = col.values.length;
  const labels: (string | null)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = cellValue(col, i);
    labels[i] = v === null ? null : v instanceof Date ? v.toISOString() : labelOf(v);
  }
  return categoricalFromValuesExtending(labels, dict, index);
}

function categoricalFromValuesExtending(labels: (string | null)[], dict: string[], index: Map<string, number>): CategoricalColumn {
  const codes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (v === null) {
      codes[i] = -1;
      continue;
    }
    let k = index.get(v);
    if (k === undefined) {
      k = dict.length;
      index.set(v, k);
      dict.push(v);
    }
    codes[i] = k;
  }
  return { kind: "categorical", codes, categories: dict };
}

/** A label for a number or boolean cell, as CSV readers write it ("1", "2.5", "true"). */
function labelOf(v: number | string | boolean): string {
  return typeof v === "string" ? v : String(v);
}

function toNumeric(col: Column, name: string): Column {
  if (col.kind === "boolean") {
    const out = new Float64Array(col.values.length);
    for (let i = 0; i < out.length; i++) out[i] = col.values[i] === MISSING_BOOL ? NaN : col.values[i];
    return numeric(out);
  }
  // strings that should be numbers: parse each, fail naming the first that is not
  const n = col.kind === "categorical" ? col.codes.length : col.values.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = cellValue(col, i);
    if (v === null) {
      out[i] = NaN;
      continue;
    }
    const x = typeof v === "number" ? v : v instanceof Date ? v.getTime() : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
    if (Number.isNaN(x)) {
      throw new SchemaMismatchError(`column ${show(name)} row ${i}: ${show(v)} is not a number, and the model expects numbers here`, { path: `${name}[${i}]`, expected: "a number", received: v });
    }
    out[i] = x;
  }
  return numeric(out);
}

function toBoolean(col: Column, name: string): Column {
  const n = col.kind === "categorical" ? col.codes.length : col.values.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = cellValue(col, i);
    if (v === null) out[i] = MISSING_BOOL;
    else if (v === true || v === 1 || v === "true" || v === "TRUE" || v === "True" || v === "1") out[i] = 1;
    else if (v === false || v === 0 || v === "false" || v === "FALSE" || v === "False" || v === "0") out[i] = 0;
    else throw new SchemaMismatchError(`column ${show(name)} row ${i}: ${show(v)} is not a boolean`, { path: `${name}[${i}]`, expected: "true or false", received: v });
  }
  return { kind: "boolean", values: out };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export { type ClassTarget, classTarget, sortLabels } from "./class-target.js";

/**
 * Read a regression target as doubles; missing or non-numeric values are errors.
 * @example
 * ```ts
 * const y = numericTarget(frame, "price");
 * ```
 */
export function numericTarget(data: Frame, target: string): Float64Array {
  const col = data.column(target);
  if (col.kind !== "numeric" && col.kind !== "boolean") {
    throw new InvalidInputError(`target column ${show(target)} is ${col.kind}; regression needs a numeric target`, { path: target, expected: "numeric", received: col.kind });
  }
  const y = col.kind === "numeric" ? col.values : Float64Array.from(col.values);
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i])) {
      throw new InvalidInputError(`target column ${show(target)} is ${Number.isNaN(y[i]) ? "missing" : show(y[i])} at row ${i}; regression needs a finite number in every row`, { path: `${target}[${i}]`, expected: "a finite number", received: y[i] });
    }
  }
  return y;
}

/**
 * The task a target implies (`inferTargetTask`, the one rule the profile and `keel init` use
 * too): classification for categorical, boolean and text targets and for numeric targets with
 * few distinct integer values; regression otherwise. Constant targets are an error.
 * @example
 * ```ts
 * const { task, classes } = inferTask(frame, "Status"); // "classification", ["bad", "good"]
 * ```
 */
export function inferTask(data: Frame, target: string): { task: Task; classes?: string[]; binary?: boolean } {
  const guess = inferTargetTask(data.column(target));
  if (guess.distinct.length < 2) {
    throw new InvalidInputError(`target column ${show(target)} has ${guess.distinct.length === 0 ? "no values" : `one value only (${show(guess.distinct[0])})`}; there is nothing to learn`, {
      path: target,
      expected: "at least two distinct values",
      received: [...guess.distinct],
    });
  }
  return guess.task === "regression" ? { task: "regression" } : { task: "classification", classes: guess.classes, binary: guess.binary };
}

/**
 * The signature every model records.
 * @example
 * ```ts
 * const signature = modelSignature(frame, "Status", "classification", ["bad", "good"]);
 * ```
 */
export function modelSignature(data: Frame, target: string, task: Task, classes?: readonly string[]): Signature {
  return {
    inputs: inputSignature(data, target),
    output: task === "classification" ? { type: "classification", target, classes: [...(classes ?? [])] } : { type: "regression", target },
  };
}

