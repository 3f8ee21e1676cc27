/**
 * Scalers, as scikit-learn 1.2's: each numeric column is rescaled by statistics learned at fit.
 * NaN is ignored when fitting and stays NaN when transforming. Near-constant columns get scale 1
 * (sklearn's `_handle_zeros_in_scale`), so they are centred but never divided by ~0.
 *
 * - "standard-scaler": (x − mean) / std, population std (ddof 0); `withMean`, `withStd`; honours
 *   sample weights. A column counts as constant when var ≤ n·ε·var + (n·mean·ε)² (sklearn's
 *   `_is_constant_feature`, after Chan, Golub & LeVeque's error bound).
 * - "min-max-scaler": x·s + m with s = (b − a) / (max − min), m = a − min·s for
 *   `featureRange` [a, b]; optional `clip` to [a, b].
 * - "robust-scaler": (x − median) / (q_hi − q_lo), quantiles with NumPy's linear interpolation;
 *   `quantileRange` (25, 75), `withCentering`, `withScaling`.
 */
import { z } from "zod";
import { type Json, median, percentile, withoutNaN } from "../core/index.js";
import type { Column, Frame } from "../data/index.js";
import { defineEstimator, inputSignature, type FitOptions, type ModelArtifact, type SignatureColumn, type Spec } from "../estimator/index.js";
import { type ColumnPlan, ColumnwiseTransformer } from "./columnwise.js";
import { meanVariance } from "./mean-variance.js";
import { selectColumns, selectionParams } from "./select.js";
import { StateReader } from "./state.js";

const EPS = 2.220446049250313e-16;

/** Column-wise y = (x − offset[j]) / scale[j]. */
function affinePlan(name: string, offset: number, scale: number): ColumnPlan {
  return {
    input: name,
    outputs: [name],
    apply(col: Column, n: number): Column[] {
      const src = (col as { values: Float64Array }).values;
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = (src[i] - offset) / scale;
      return [{ kind: "numeric", values: out }];
    },
  };
}

/** Column-wise y = x·scale[j] + min[j], optionally clipped to [lo, hi]. */
function minMaxPlan(name: string, scale: number, min: number, clip: readonly [number, number] | null): ColumnPlan {
  return {
    input: name,
    outputs: [name],
    apply(col: Column, n: number): Column[] {
      const src = (col as { values: Float64Array }).values;
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = src[i] * scale + min;
      if (clip) for (let i = 0; i < n; i++) out[i] = out[i] < clip[0] ? clip[0] : out[i] > clip[1] ? clip[1] : out[i];
      return [{ kind: "numeric", values: out }];
    },
  };
}

/** Per-column parameters saved as two Float64Array buffers. */
interface AffineState {
  columns: string[];
  a: Float64Array;
  b: Float64Array;
}

function loadAffine(artifact: ModelArtifact): { inputs: SignatureColumn[]; target: string | null; s: AffineState } {
  const r = new StateReader(artifact);
  const inputs = r.inputs();
  const columns = r.strings("columns");
  r.checkColumnsIn("columns", columns, inputs);
  for (const c of columns) if (inputs.find((x) => x.name === c)!.kind !== "numeric") throw r.corrupt("state.columns", c, "a numeric input column");
  return { inputs, target: r.stringOrNull("target"), s: { columns, a: r.f64("a", columns.length), b: r.f64("b", columns.length) } };
}

function numericColumns(spec: Spec, data: Frame, params: Readonly<Record<string, Json>>, options: FitOptions): string[] {
  return selectColumns(spec.kind, data, params, options.target, ["numeric"], ["numeric"]);
}

function valuesOf(data: Frame, name: string): Float64Array {
  return (data.column(name) as { values: Float64Array }).values;
}

// ---------------------------------------------------------------- standard

function buildStandard(spec: Spec<ColumnwiseTransformer>, inputs: SignatureColumn[], target: string | null, s: AffineState): ColumnwiseTransformer {
  return new ColumnwiseTransformer(spec, {
    inputs,
    target,
    plans: s.columns.map((c, j) => affinePlan(c, s.a[j], s.b[j])),
    state: { columns: s.columns },
    buffers: { a: s.a, b: s.b },
  });
}

/**
 * Spec factory for "standard-scaler": (x − mean) / std (see the module comment).
 * @example
 * ```ts
 * const scaler = await standardScaler({ withMean: true }).fit(frame);
 * ```
 */
export const standardScaler = defineEstimator<ColumnwiseTransformer>({
  kind: "standard-scaler",
  role: "transformer",
  doc: "Centre numeric columns to mean 0 and scale them to unit (population) variance",
  schema: {
    withMean: z.boolean().default(true).describe("subtract the mean"),
    withStd: z.boolean().default(true).describe("divide by the standard deviation"),
    ...selectionParams("numeric"),
  },
  fit(params, data, options, spec) {
    const columns = numericColumns(spec, data, params, options);
    const offset = new Float64Array(columns.length);
    const scale = new Float64Array(columns.length);
    columns.forEach((name, j) => {
      const { mean, variance, count } = meanVariance(valuesOf(data, name), options.weights);
      offset[j] = params.withMean ? mean : 0;
      if (!params.withStd) scale[j] = 1;
      else {
        const constant = variance <= count * EPS * variance + (count * mean * EPS) ** 2;
        scale[j] = constant ? 1 : Math.sqrt(variance);
      }
    });
    return Promise.resolve(buildStandard(spec, inputSignature(data, options.target), options.target ?? null, { columns, a: offset, b: scale }));
  },
  load(artifact, spec) {
    const { inputs, target, s } = loadAffine(artifact);
    return buildStandard(spec, inputs, target, s);
  },
});

// ---------------------------------------------------------------- min-max

function buildMinMax(spec: Spec<ColumnwiseTransformer>, inputs: SignatureColumn[], target: string | null, s: AffineState): ColumnwiseTransformer {
  const range = spec.params.featureRange as [number, number];
  const clip = spec.params.clip ? range : null;
  return new ColumnwiseTransformer(spec, {
    inputs,
    target,
    plans: s.columns.map((c, j) => minMaxPlan(c, s.a[j], s.b[j], clip)),
    state: { columns: s.columns },
    buffers: { a: s.a, b: s.b },
  });
}

/**
 * Spec factory for "min-max-scaler": x·s + m mapping [min, max] to `featureRange`.
 * @example
 * ```ts
 * const scaler = await minMaxScaler({ featureRange: [-1, 1], clip: true }).fit(frame);
 * ```
 */
export const minMaxScaler = defineEstimator<ColumnwiseTransformer>({
  kind: "min-max-scaler",
  role: "transformer",
  doc: "Scale numeric columns linearly so the training range maps to featureRange (default [0, 1])",
  schema: {
    featureRange: z.array(z.number()).default([0, 1]).describe("[low, high] of the output range"),
    clip: z.boolean().default(false).describe("clip transformed values to featureRange"),
    ...selectionParams("numeric"),
  },
  checkParams(params) {
    const r = params.featureRange as number[];
    return r.length === 2 && r[0] < r[1] ? null : `parameter "featureRange" must be [low, high] with low < high, got ${JSON.stringify(r)}`;
  },
  fit(params, data, options, spec) {
    const [lo, hi] = params.featureRange as [number, number];
    const columns = numericColumns(spec, data, params, options);
    const scale = new Float64Array(columns.length);
    const min = new Float64Array(columns.length);
    columns.forEach((name, j) => {
      const v = valuesOf(data, name);
      let dmin = Infinity, dmax = -Infinity, seen = false;
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (x !== x) continue;
        seen = true;
        if (x < dmin) dmin = x;
        if (x > dmax) dmax = x;
      }
      if (!seen) dmin = dmax = NaN;
      let range = dmax - dmin;
      if (range < 10 * EPS) range = 1;
      scale[j] = (hi - lo) / range;
      min[j] = lo - dmin * scale[j];
    });
    return Promise.resolve(buildMinMax(spec, inputSignature(data, options.target), options.target ?? null, { columns, a: scale, b: min }));
  },
  load(artifact, spec) {
    const { inputs, target, s } = loadAffine(artifact);
    return buildMinMax(spec, inputs, target, s);
  },
});

// ---------------------------------------------------------------- robust

/**
 * Spec factory for "robust-scaler": (x − median) / interquantile range.
 * @example
 * ```ts
 * const scaler = await robustScaler({ quantileRange: [10, 90] }).fit(frame);
 * ```
 */
export const robustScaler = defineEstimator<ColumnwiseTransformer>({
  kind: "robust-scaler",
  role: "transformer",
  doc: "Centre numeric columns on the median and scale by an interquantile range (default 25–75)",
  schema: {
    withCentering: z.boolean().default(true).describe("subtract the median"),
    withScaling: z.boolean().default(true).describe("divide by the interquantile range"),
    quantileRange: z.array(z.number()).default([25, 75]).describe("[q_low, q_high] percentiles, 0 ≤ q_low ≤ q_high ≤ 100"),
    ...selectionParams("numeric"),
  },
  checkParams(params) {
    const q = params.quantileRange as number[];
    return q.length === 2 && 0 <= q[0] && q[0] <= q[1] && q[1] <= 100 ? null : `parameter "quantileRange" must be [low, high] with 0 ≤ low ≤ high ≤ 100, got ${JSON.stringify(q)}`;
  },
  fit(params, data, options, spec) {
    const [qlo, qhi] = params.quantileRange as [number, number];
    const columns = numericColumns(spec, data, params, options);
    const center = new Float64Array(columns.length);
    const scale = new Float64Array(columns.length);
    columns.forEach((name, j) => {
      const values = withoutNaN(valuesOf(data, name));
      center[j] = params.withCentering ? median(values) : 0;
      if (!params.withScaling) scale[j] = 1;
      else {
        const iqr = percentile(values, qhi) - percentile(values, qlo);
        scale[j] = iqr < 10 * EPS ? 1 : iqr;
      }
    });
    return Promise.resolve(buildStandard(spec, inputSignature(data, options.target), options.target ?? null, { columns, a: center, b: scale }));
  },
  load(artifact, spec) {
    const { inputs, target, s } = loadAffine(artifact);
    return buildStandard(spec, inputs, target, s);
  },
});
