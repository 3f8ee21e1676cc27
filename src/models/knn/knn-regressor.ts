/**
 * `knn-regressor`: k-nearest-neighbours regression, as scikit-learn's `KNeighborsRegressor`
 * (brute force): the (uniform or 1/distance weighted) mean target of the k nearest training rows.
 */
import type { Json } from "../../core/index.js";
import type { Frame } from "../../data/index.js";
import { defineEstimator, modelSignature, type ModelArtifact, type Regressor, type Signature, type Spec, featureNames, numericFeatures, regressionTarget, ArtifactReader } from "../../estimator/index.js";
import { checkKnnFit, knnSchema, knnTraining, neighborIndex, queryNeighbors, rowMajor } from "./knn-common.js";
import type { NeighborIndex } from "./neighbors.js";

const KIND = "knn-regressor";

export interface FittedKnnRegressor extends Regressor {
  kneighbors(data: Frame): { index: Int32Array; distance: Float64Array; k: number };
}

/**
 * Spec factory for "knn-regressor": the (weighted) mean target of the k nearest rows (scikit-learn's `KNeighborsRegressor`).
 * @example
 * ```ts
 * const model = await autoPipeline(knnRegressor({ nNeighbors: 10 })).fit(frame, { target: "price" });
 * ```
 */
export const knnRegressor = defineEstimator<FittedKnnRegressor>({
  kind: KIND,
  role: "regressor",
  doc: "k-nearest-neighbours regressor (uniform or distance weights)",
  needsTarget: true,
  schema: knnSchema,
  async fit(params, data, options, spec) {
    const target = options.target!;
    checkKnnFit(KIND, params, data.nRows, options);
    const names = featureNames(data, target);
    const X = numericFeatures(data, names, KIND);
    const y = Float64Array.from(regressionTarget(data, target, KIND));
    return new KnnRegressorModel(spec, modelSignature(data, target, "regression"), rowMajor(X), y);
  },
  load(artifact, spec) {
    const r = new ArtifactReader(artifact);
    const { train, n } = knnTraining(r, spec.params.nNeighbors as number);
    return new KnnRegressorModel(spec, artifact.signature, train, r.finite("y", r.f64("y", n)));
  },
});

class KnnRegressorModel implements FittedKnnRegressor {
  readonly task = "regression" as const;
  constructor(
    readonly spec: Spec<FittedKnnRegressor>,
    readonly signature: Signature,
    private readonly train: Float64Array,
    private readonly y: Float64Array,
  ) {}

  private cached: NeighborIndex | null = null;

  /** The search index (k-d tree or brute force), built on first use. */
  private get index(): NeighborIndex {
    this.cached ??= neighborIndex(this.train, this.signature.inputs.length);
    return this.cached;
  }

  kneighbors(data: Frame): { index: Int32Array; distance: Float64Array; k: number } {
    const r = queryNeighbors(KIND, this.signature, this.spec.params, this.index, data);
    return { index: r.index, distance: r.distance, k: r.k };
  }

  predict(data: Frame): Float64Array {
    const { index, weights, k } = queryNeighbors(KIND, this.signature, this.spec.params, this.index, data);
    const m = data.nRows;
    const out = new Float64Array(m);
    for (let q = 0; q < m; q++) {
      let s = 0;
      let t2 = 0;
      for (let t = 0; t < k; t++) {
        const w = weights[q * k + t];
        s += w * this.y[index[q * k + t]];
        t2 += w;
      }
      out[q] = s / t2;
    }
    return out;
  }

  save(): ModelArtifact {
    return { kind: KIND, params: { ...this.spec.params } as Record<string, Json>, signature: this.signature, state: {}, buffers: { train: this.train, y: this.y } };
  }
}
