/**
 * The fitted form shared by the least-squares regressors (linear regression, ridge, lasso,
 * elastic net): ŷ = x·w + b over the training columns, saved as typed buffers.
 */
import type { Json } from "../../core/index.js";
import type { Frame } from "../../data/index.js";
import { type ModelArtifact, type Regressor, type Signature, type Spec, ArtifactReader, predictFeatures } from "../../estimator/index.js";

/** A fitted linear regressor: coefficients per input feature, the intercept and solver statistics. */
export interface FittedLinearRegressor extends Regressor {
  /** One coefficient per input column, in signature order. */
  readonly coef: Float64Array;
  readonly intercept: number;
  /** Solver iterations (coordinate descent epochs; 0 for closed forms). */
  readonly nIter: number;
  /** Extra fitted values (e.g. the final duality gap, the rank). */
  readonly info: Readonly<Record<string, number>>;
}

export class LinearRegressorModel implements FittedLinearRegressor {
  readonly task = "regression" as const;
  constructor(
    readonly spec: Spec,
    readonly signature: Signature,
    readonly coef: Float64Array,
    readonly intercept: number,
    readonly nIter: number,
    readonly info: Readonly<Record<string, number>> = {},
  ) {}

  predict(data: Frame): Float64Array {
    const target = (this.signature.output as { target: string }).target;
    const X = predictFeatures(this.signature.inputs, data, target, this.spec.kind);
    const n = data.nRows;
    const out = new Float64Array(n).fill(this.intercept);
    for (let j = 0; j < X.columns.length; j++) {
      const c = X.columns[j];
      const w = this.coef[j];
      if (w === 0) continue;
      for (let i = 0; i < n; i++) out[i] += w * c[i];
    }
    return out;
  }

  save(): ModelArtifact {
    return {
      kind: this.spec.kind,
      params: { ...this.spec.params } as Record<string, Json>,
      signature: this.signature,
      state: { intercept: this.intercept, nIter: this.nIter, info: { ...this.info } },
      buffers: { coef: this.coef },
    };
  }

  /** Rebuild from an artifact written by `save`. */
  static load(artifact: ModelArtifact, spec: Spec): LinearRegressorModel {
    const r = new ArtifactReader(artifact);
    const coef = r.finite("coef", r.f64("coef", r.inputs().length));
    const info = r.raw("info") ?? {};
    if (typeof info !== "object" || info === null || Array.isArray(info) || !Object.values(info).every((v) => typeof v === "number" || v === null)) throw r.corrupt("state.info", info, "an object of numbers");
    return new LinearRegressorModel(spec, artifact.signature, coef, r.number("intercept"), r.integer("nIter"), info as Record<string, number>);
  }
}
