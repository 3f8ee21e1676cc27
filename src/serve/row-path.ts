/**
 * The single-row fast path: one request row → the model's feature vector → scores, with no frame
 * per pipeline step and nothing allocated per row but the answer itself.
 *
 * It is compiled from the fitted pipeline by running that pipeline, not by re-implementing its
 * steps. Column-wise preprocessing (imputers, encoders, `to-numeric`, column-transformers of
 * them) maps each input column to its own output features, row by row, so:
 * - a categorical input has a finite domain — missing, each training category, unseen (every
 *   unseen label is treated alike) — and its output features for every value of that domain are
 *   read off one probe batch into a table;
 * - a numeric input's outputs are, for these steps, either the value itself when present (an
 *   imputer fills only NaN) or a flag (a missing indicator); which one, and the value used when
 *   missing, are read off probes;
 * - a boolean input has three values (false, true, missing): a table as for categories.
 * Outputs that depend on more than one input, a numeric output of another shape (a scaler),
 * datetime and text inputs, a model input other than a number or a category, or a model without
 * a single-row predictor (only gradient boosting has one: it walks raw values — numbers, and
 * labels for its categorical inputs — through the trees) mean no fast path: `compileRowPath`
 * returns null and requests take the frame path. The compiled path is then checked
 * against the frame path on every probe row, bit for bit, and dropped if any differs.
 */
import { MISSING_BOOL, type CategoricalColumn, type NumericColumn, type BooleanColumn, type Frame } from "../data/index.js";
import type { Fitted } from "../estimator/index.js";
import type { InputSchema, InputSlot } from "./input-schema.js";

/** A gradient-boosting model's single-row predictors (by feature index, in `featureNames` order). */
interface RowModel {
  readonly featureNames: readonly string[];
  predictProbaRow?(row: readonly unknown[]): Float64Array;
  predictRow(row: readonly unknown[]): unknown;
  /** The encoded form: each value as the model encodes it, the vector as a Float64Array (no encoding per request). */
  encodeFeature?(f: number, v: unknown): number;
  predictProbaEncoded?(x: Float64Array): Float64Array;
  predictEncoded?(x: Float64Array): number;
}

/** How one input slot reaches the feature vector. */
type SlotMap =
  /** Table rows: missing, then codes 0..k−1, then unseen (categorical) / missing, false, true (boolean). */
  | { kind: "table"; slot: string; categorical: boolean; nCodes: number; outputs: Int32Array; table: readonly FeatureValue[] }
  /** Numeric: `identity` outputs take the value (or `fill` when missing); `flag` outputs take `present` or `missing`. */
  | { kind: "numeric"; slot: string; identity: Int32Array; fill: Float64Array; flag: Int32Array; present: Float64Array; missing: Float64Array };

/** A model input value: a number, or a category's label (null: missing) for a categorical model input. */
type FeatureValue = number | string | null;

/** The table row of the frame's single row for a table slot (see `SlotMap`). */
function tableRow(frame: Frame, m: Extract<SlotMap, { kind: "table" }>): number {
  if (m.categorical) {
    const code = (frame.column(m.slot) as CategoricalColumn).codes[0];
    return code < 0 ? 0 : code < m.nCodes ? code + 1 : m.nCodes + 1;
  }
  const b = (frame.column(m.slot) as BooleanColumn).values[0];
  return b === MISSING_BOOL ? 0 : b + 1;
}

const UNSEEN = "\u0000keel-row-path-unseen";
const NUMERIC_PROBES = [1, -2.5, 1234.5678, -0, 1e300, 3e-310];

/** Object.is: NaN equals NaN, −0 differs from 0 (bit for bit as far as doubles go); labels by value. */
const same = (a: FeatureValue, b: FeatureValue) => Object.is(a, b);

/**
 * The compiled path of one served model; `scores` reads a one-row frame built by its schema.
 * When the model takes encoded vectors, the tables hold encoded values (category codes, not
 * labels) and the row is a Float64Array: what the model would make of the labels, done once.
 */
export class RowPath {
  private readonly xe: Float64Array | null;
  private readonly encodedMaps: readonly SlotMap[] | null;
  private readonly x: FeatureValue[];

  /** Built by `compileRowPath`. */
  constructor(
    private readonly maps: readonly SlotMap[],
    template: readonly FeatureValue[],
    private readonly model: RowModel,
    private readonly classifier: boolean,
  ) {
    this.x = [...template];
    let xe: Float64Array | null = null;
    let encodedMaps: SlotMap[] | null = null;
    const encode = model.encodeFeature?.bind(model);
    if (encode && (classifier ? model.predictProbaEncoded : model.predictEncoded)) {
      try {
        xe = Float64Array.from(template, (v, i) => encode(i, v));
        encodedMaps = maps.map((m) =>
          m.kind === "table"
            ? { ...m, table: m.table.map((v, k) => encode(m.outputs[k % m.outputs.length], v)) }
            : { ...m, fill: m.fill.map((v, t) => encode(m.identity[t], v)), present: m.present.map((v, t) => encode(m.flag[t], v)), missing: m.missing.map((v, t) => encode(m.flag[t], v)) },
        );
      } catch {
        // a value the model refuses to encode: the label path (which the probes then check) as it is
        xe = null;
        encodedMaps = null;
      }
    }
    this.xe = xe;
    this.encodedMaps = encodedMaps;
  }

  /** The encoded form of `scores` (see the class comment). */
  private scoresEncoded(frame: Frame, x: Float64Array, maps: readonly SlotMap[]): Float64Array {
    const model = this.model;
    for (let k = 0; k < maps.length; k++) {
      const m = maps[k];
      if (m.kind === "table") {
        const r = tableRow(frame, m);
        const w = m.outputs.length;
        for (let t = 0; t < w; t++) x[m.outputs[t]] = m.table[r * w + t] as number;
      } else {
        const v = (frame.column(m.slot) as NumericColumn).values[0];
        const missing = v !== v;
        for (let t = 0; t < m.identity.length; t++) x[m.identity[t]] = missing ? m.fill[t] : model.encodeFeature!(m.identity[t], v);
        for (let t = 0; t < m.flag.length; t++) x[m.flag[t]] = missing ? m.missing[t] : m.present[t];
      }
    }
    if (this.classifier) return model.predictProbaEncoded!(x);
    return Float64Array.of(model.predictEncoded!(x));
  }

  /**
   * Class probabilities (classifiers, length = classes) or the predicted value (regressors, length 1)
   * of the frame's single row.
   */
  scores(frame: Frame): Float64Array {
    if (this.xe !== null) return this.scoresEncoded(frame, this.xe, this.encodedMaps!);
    const x = this.x;
    for (const m of this.maps) {
      if (m.kind === "table") {
        const r = tableRow(frame, m);
        const w = m.outputs.length;
        for (let t = 0; t < w; t++) x[m.outputs[t]] = m.table[r * w + t];
      } else {
        const v = (frame.column(m.slot) as NumericColumn).values[0];
        const missing = v !== v;
        for (let t = 0; t < m.identity.length; t++) x[m.identity[t]] = missing ? m.fill[t] : v;
        for (let t = 0; t < m.flag.length; t++) x[m.flag[t]] = missing ? m.missing[t] : m.present[t];
      }
    }
    if (this.classifier) return this.model.predictProbaRow!(x);
    return Float64Array.of(this.model.predictRow(x) as number);
  }
}

/** One probe value per row of slot `j`, the other slots typical; null when the probe frame cannot be built. */
function probeFrame(schema: InputSchema, j: number, values: readonly unknown[]): Frame {
  const w = schema.writer(values.length);
  const slots = schema.slots;
  for (let s = 0; s < slots.length; s++) {
    w.present(s);
    for (let r = 0; r < values.length; r++) w.set(s, r, s === j ? values[r] : typical(slots[s]));
  }
  return w.frame();
}

function typical(s: InputSlot): unknown {
  return s.kind === "categorical" ? (s.categories[0] ?? UNSEEN) : s.kind === "boolean" ? false : 0;
}

/** The probe values of a slot (null: the slot kind has no fast path). */
function probeValues(s: InputSlot): unknown[] | null {
  switch (s.kind) {
    case "categorical":
      return [...(s.missingOk ? [null] : []), ...s.categories, UNSEEN];
    case "boolean":
      return [...(s.missingOk ? [null] : []), false, true];
    case "numeric":
      return [0, ...(s.missingOk ? [null, Infinity, -Infinity] : []), ...NUMERIC_PROBES];
    default:
      return null;
  }
}

/**
 * Compile the single-row path of a fitted model (a pipeline of column-wise preprocessing before a
 * gradient-boosting model, or such a model alone), or null when it has none. `predictFrame`
 * gives the frame path's scores for checking (the served model's own).
 */
export function compileRowPath(fitted: Fitted, schema: InputSchema, predictFrame: (frame: Frame) => Float64Array): RowPath | null {
  const f = fitted as Fitted & { features?: (data: Frame) => Frame; steps?: readonly Fitted[] };
  const model = (typeof f.features === "function" && f.steps ? f.steps.at(-1) : fitted) as unknown as RowModel & Fitted;
  const features = typeof f.features === "function" ? (d: Frame) => f.features!(d) : (d: Frame) => d;
  const classifier = model.spec.kind === "gbdt-classifier";
  if (!(classifier || model.spec.kind === "gbdt-regressor") || typeof model.predictRow !== "function") return null;
  if (classifier && typeof model.predictProbaRow !== "function") return null;
  const names = model.featureNames;
  const position = new Map(names.map((n, i) => [n, i]));
  const slots = schema.slots;

  // outputs of every probe batch; `owner[i]` is the slot feature i varies with
  const owner = new Int32Array(names.length).fill(-1);
  const probes: { j: number; values: unknown[]; out: FeatureValue[][] }[] = [];
  let base: FeatureValue[] | null = null;
  try {
    for (let j = 0; j < slots.length; j++) {
      const values = probeValues(slots[j]);
      if (values === null) return null;
      const X = features(probeFrame(schema, j, values));
      if (X.nCols !== names.length) return null;
      const out: FeatureValue[][] = new Array(names.length);
      for (const name of X.names) {
        const i = position.get(name);
        const c = X.column(name);
        if (i === undefined) return null;
        if (c.kind === "numeric") out[i] = Array.from(c.values);
        else if (c.kind === "categorical") out[i] = Array.from(c.codes, (k) => (k < 0 ? null : c.categories[k]));
        else return null;
      }
      // the typical row's features (the typical value is in every probe batch)
      const t = values.indexOf(typical(slots[j]));
      if (t < 0) return null;
      const row = out.map((v) => v[t]);
      if (base === null) base = row;
      else if (!row.every((v, i) => same(v, base![i]))) return null;
      for (let i = 0; i < names.length; i++) {
        if (out[i].every((v) => same(v, out[i][0]))) continue;
        if (owner[i] >= 0) return null;
        owner[i] = j;
      }
      probes.push({ j, values, out });
    }
  } catch {
    return null;
  }
  if (base === null) return null;

  const maps: SlotMap[] = [];
  for (const { j, values, out } of probes) {
    const s = slots[j];
    const mine: number[] = [];
    for (let i = 0; i < names.length; i++) if (owner[i] === j) mine.push(i);
    if (mine.length === 0) continue;
    const outputs = Int32Array.from(mine);
    const rowOf = (v: unknown) => values.indexOf(v);
    if (s.kind === "categorical" || s.kind === "boolean") {
      const domain = s.kind === "categorical" ? [null, ...s.categories, UNSEEN] : [null, false, true];
      const table: FeatureValue[] = new Array(domain.length * mine.length).fill(null);
      domain.forEach((v, r) => {
        const p = rowOf(v);
        if (p >= 0) mine.forEach((i, t) => (table[r * mine.length + t] = out[i][p]));
      });
      maps.push({ kind: "table", slot: s.name, categorical: s.kind === "categorical", nCodes: s.categories.length, outputs, table });
      continue;
    }
    // numeric: each output is the value itself when present, or a flag
    const nanRow = rowOf(null);
    const identity: number[] = [];
    const fill: number[] = [];
    const flag: number[] = [];
    const present: number[] = [];
    const missing: number[] = [];
    for (const i of mine) {
      const col = out[i];
      const missingValue = nanRow >= 0 ? col[nanRow] : NaN;
      if (typeof col[0] !== "number" || typeof missingValue !== "number") return null;
      if (values.every((v, r) => v === null || same(col[r], v as number))) {
        identity.push(i);
        fill.push(missingValue);
      } else {
        const r0 = values.findIndex((v) => v !== null);
        if (!values.every((v, r) => v === null || same(col[r], col[r0]))) return null;
        flag.push(i);
        present.push(col[r0] as number);
        missing.push(missingValue);
      }
    }
    maps.push({ kind: "numeric", slot: s.name, identity: Int32Array.from(identity), fill: Float64Array.from(fill), flag: Int32Array.from(flag), present: Float64Array.from(present), missing: Float64Array.from(missing) });
  }
  const path = new RowPath(maps, [...base], model, classifier);

  // every probe row, one at a time, must score as the frame path scores it
  for (const { j, values } of probes) {
    const whole = predictFrame(probeFrame(schema, j, values));
    const k = whole.length / values.length;
    for (let r = 0; r < values.length; r++) {
      const one = path.scores(probeFrame(schema, j, [values[r]]));
      if (one.length !== k) return null;
      for (let c = 0; c < k; c++) if (!same(one[c], whole[r * k + c])) return null;
    }
  }
  return path;
}
