/**
 * `dummy-regressor`: the baseline every regressor must beat, as scikit-learn's `DummyRegressor`.
 * It predicts one number for every row: the (sample-weighted) `mean`, the `median` (`np.median`),
 * a `quantile` (`np.percentile(y, 100·q)` without weights; scikit-learn's `_weighted_percentile` —
 * the smallest value whose cumulative weight reaches q — with weights), or a `constant`.
 */
import { z } from "zod";
import { InvalidInputError, type Json, median, percentile, weightedPercentile } from "../../core/index.js";
import type { Frame } from "../../data/index.js";
import { ArtifactReader, defineEstimator, alignInput, modelSignature, type ModelArtifact, type Regressor, type Signature, type Spec, regressionTarget } from "../../estimator/index.js";

const KIND = "dummy-regressor";

export interface FittedDummyRegressor extends Regressor {
  /** The value predicted for every row. */
  readonly constant: number;
}

/**
 * Spec factory for "dummy-regressor": a baseline predicting one number (scikit-learn's `DummyRegressor`).
 * @example
 * ```ts
 * const baseline = await dummyRegressor({ strategy: "median" }).fit(frame, { target: "price" });
 * ```
 */
export const dummyRegressor = defineEstimator<FittedDummyRegressor>({
  kind: KIND,
  role: "regressor",
  doc: "Baseline regressor that predicts one number (mean, median, quantile, constant)",
  needsTarget: true,
  schema: {
    strategy: z.enum(["mean", "median", "quantile", "constant"]).default("mean").describe("what to predict"),
    quantile: z.number().min(0).max(1).nullable().default(null).describe("the quantile, for strategy quantile"),
    constant: z.number().nullable().default(null).describe("the value, for strategy constant"),
  },
  checkParams(p) {
    if (p.strategy === "quantile" && p.quantile === null) return `strategy "quantile" needs the parameter quantile (a number in [0, 1])`;
    if (p.strategy === "constant" && p.constant === null) return `strategy "constant" needs the parameter constant (a number)`;
    return null;
  },
  async fit(params, data, options, spec) {
    const target = options.target!;
    const y = regressionTarget(data, target, KIND);
    const w = options.weights ?? null;
    let value: number;
    switch (params.strategy) {
      case "mean": {
        let s = 0;
        let t = 0;
        for (let i = 0; i < y.length; i++) {
          const wi = w ? w[i] : 1;
          s += wi * y[i];
          t += wi;
        }
        if (!(t > 0)) throw new InvalidInputError(`${KIND}: the sample weights sum to 0`, { path: "weights", expected: "a positive total weight" });
        value = s / t;
        break;
      }
      case "median":
        value = w ? weightedPercentile(y, w, 50) : median(y);
        break;
      case "quantile":
        value = w ? weightedPercentile(y, w, (params.quantile as number) * 100) : percentile(y, (params.quantile as number) * 100);
        break;
      default:
        value = params.constant as number;
    }
    return new DummyRegressorModel(spec, modelSignature(data, target, "regression"), value);
  },
  load(artifact, spec) {
    return new DummyRegressorModel(spec, artifact.signature, new ArtifactReader(artifact).number("constant"));
  },
});

class DummyRegressorModel implements FittedDummyRegressor {
  readonly task = "regression" as const;
  constructor(readonly spec: Spec<FittedDummyRegressor>, readonly signature: Signature, readonly constant: number) {}

  predict(data: Frame): Float64Array {
    alignInput(this.signature.inputs, data, { ignore: [(this.signature.output as { target: string }).target] });
    return new Float64Array(data.nRows).fill(this.constant);
  }

  save(): ModelArtifact {
    return { kind: KIND, params: { ...this.spec.params } as Record<string, Json>, signature: this.signature, state: { constant: this.constant }, buffers: {} };
  }
}
