/**
 * The fitted shape shared by column-wise transformers (imputers, scalers, encoders, date parts,
 * hashing): each selected input column is replaced, in place, by the columns its plan outputs;
 * every other column passes through unchanged; "extra" outputs (missing indicators) are appended
 * at the end, as scikit-learn appends them.
 *
 * The target column (`FitOptions.target`) is never transformed. At transform time it is
 * ignored if present, so a fitted transformer gives the same output with or without it; while
 * fitting a pipeline, the pipeline carries the target past each step to the next one.
 *
 * A kind builds its fitted object from its fitted state with one function used both by `fit`
 * and by `load`, so a loaded transformer is the fitted one, byte for byte.
 */
import { InvalidInputError, show, type Json } from "../core/index.js";
import { type Column, Frame } from "../data/index.js";
import { alignInput, type ModelArtifact, type Signature, type SignatureColumn, type Spec, type Transformer, type TypedArray } from "../estimator/index.js";
import { FEATURES_STATE_VERSION } from "./state.js";

/** How one selected input column becomes its output columns. */
export interface ColumnPlan {
  /** The input column. */
  readonly input: string;
  /** Output column names, in order (empty: the column is removed). */
  readonly outputs: readonly string[];
  /** The output columns for the aligned input column (`n` rows), one per name in `outputs`. */
  apply(col: Column, n: number): Column[];
}

/** Outputs appended after all columns (e.g. missing indicators), computed from the aligned frame. */
export interface ExtraPlan {
  readonly outputs: readonly string[];
  /** The input column each output is computed from, one per output. */
  readonly sources: readonly string[];
  apply(aligned: Frame): Column[];
}

export interface ColumnwiseParts {
  /** Input columns seen at fit (all but the target), with kinds and categories. */
  inputs: SignatureColumn[];
  target: string | null;
  plans: ColumnPlan[];
  extras?: ExtraPlan[];
  /** Kind-specific state to save (small JSON values). */
  state: Record<string, Json>;
  /** Kind-specific arrays to save. */
  buffers?: Record<string, TypedArray>;
}

/** A frame with the given columns and no rows (for output signatures). */
export function emptyFrame(inputs: readonly SignatureColumn[]): Frame {
  const cols = new Map<string, Column>();
  for (const c of inputs) {
    switch (c.kind) {
      case "numeric":
      case "datetime":
        cols.set(c.name, { kind: c.kind, values: new Float64Array(0) });
        break;
      case "categorical":
        cols.set(c.name, { kind: "categorical", codes: new Int32Array(0), categories: [...(c.categories ?? [])] });
        break;
      case "boolean":
        cols.set(c.name, { kind: "boolean", values: new Uint8Array(0) });
        break;
      case "text":
        cols.set(c.name, { kind: "text", values: [] });
        break;
    }
  }
  return Frame.fromColumns(cols, 0);
}

/** The signature of a frame's columns (the output side of a transformer). */
export function frameColumns(frame: Frame): SignatureColumn[] {
  return frame.names.map((name) => {
    const c = frame.column(name);
    return c.kind === "categorical" ? { name, kind: c.kind, categories: [...c.categories] } : { name, kind: c.kind };
  });
}

/** Throw naming the first duplicate output name, if any. */
export function checkUniqueNames(kind: string, names: readonly string[]): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) {
      throw new InvalidInputError(`${kind}: two output columns would be named ${show(n)}; rename the input column that clashes with it`, { path: n, expected: "unique output column names", received: n });
    }
    seen.add(n);
  }
}

/**
 * A fitted transformer that maps each selected column on its own (imputers, scalers, encoders); other columns pass through.
 * @example
 * ```ts
 * const scaler = await standardScaler().fit(frame);
 * const scaled = scaler.transform(frame);
 * ```
 */
export class ColumnwiseTransformer implements Transformer {
  readonly spec: Spec;
  readonly signature: Signature;
  readonly featureNames: readonly string[];
  private readonly parts: ColumnwiseParts;
  private readonly planOf: ReadonlyMap<string, ColumnPlan>;

  constructor(spec: Spec, parts: ColumnwiseParts) {
    this.spec = spec;
    this.parts = parts;
    this.planOf = new Map(parts.plans.map((p) => [p.input, p]));
    const names: string[] = [];
    for (const c of parts.inputs) {
      const p = this.planOf.get(c.name);
      if (p) names.push(...p.outputs);
      else names.push(c.name);
    }
    for (const e of parts.extras ?? []) names.push(...e.outputs);
    checkUniqueNames(spec.kind, names);
    this.featureNames = Object.freeze(names);
    const out = this.apply(emptyFrame(parts.inputs));
    this.signature = { inputs: parts.inputs, output: { type: "frame", columns: frameColumns(out) } };
  }

  /** The input column each output feature comes from, in `featureNames` order (feature provenance). */
  get featureSources(): string[] {
    const sources: string[] = [];
    for (const c of this.parts.inputs) {
      const p = this.planOf.get(c.name);
      if (p) for (let j = 0; j < p.outputs.length; j++) sources.push(c.name);
      else sources.push(c.name);
    }
    for (const e of this.parts.extras ?? []) sources.push(...e.sources);
    return sources;
  }

  /** The columns this transformer changes (the others pass through). */
  get transformedColumns(): string[] {
    return this.parts.plans.map((p) => p.input);
  }

  transform(data: Frame): Frame {
    const aligned = alignInput(this.parts.inputs, data, { ignore: this.parts.target === null ? [] : [this.parts.target] });
    return this.apply(aligned);
  }

  /**
   * `transform`, except that the outputs of some transformed columns are given (`overrides`:
   * input column → its output columns). Used to assemble training-time (cross-fitted) output.
   */
  transformWith(data: Frame, overrides: ReadonlyMap<string, Column[]>): Frame {
    const aligned = alignInput(this.parts.inputs, data, { ignore: this.parts.target === null ? [] : [this.parts.target] });
    return this.apply(aligned, overrides);
  }

  private apply(aligned: Frame, overrides?: ReadonlyMap<string, Column[]>): Frame {
    const n = aligned.nRows;
    const out = new Map<string, Column>();
    for (const c of this.parts.inputs) {
      const col = aligned.column(c.name);
      const p = this.planOf.get(c.name);
      if (!p) {
        out.set(c.name, col);
        continue;
      }
      const made = overrides?.get(c.name) ?? p.apply(col, n);
      for (let j = 0; j < p.outputs.length; j++) out.set(p.outputs[j], made[j]);
    }
    for (const e of this.parts.extras ?? []) {
      const made = e.apply(aligned);
      for (let j = 0; j < e.outputs.length; j++) out.set(e.outputs[j], made[j]);
    }
    return Frame.fromColumns(out, n);
  }

  save(): ModelArtifact {
    return {
      kind: this.spec.kind,
      params: this.spec.toJSON().params,
      signature: this.signature,
      state: { version: FEATURES_STATE_VERSION, target: this.parts.target, ...this.parts.state },
      buffers: { ...(this.parts.buffers ?? {}) },
    };
  }
}
