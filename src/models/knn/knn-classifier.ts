/**
 * `knn-classifier`: k-nearest-neighbours classification, as scikit-learn's
 * `KNeighborsClassifier` (brute force). A row's class probabilities are the (uniform or
 * 1/distance) weights of its k nearest training rows per class, normalised; the prediction is the
 * most probable class (ties: the first class).
 */
import { InvalidInputError, show, type Json } from "../../core/index.js";
import type { CategoricalColumn, Frame } from "../../data/index.js";
import { defineEstimator, classTarget, modelSignature, type Classifier, type ModelArtifact, type Signature, type Spec, argmaxRows, featureNames, labelColumn, numericFeatures, ArtifactReader } from "../../estimator/index.js";
import { checkKnnFit, knnSchema, knnTraining, neighborIndex, queryNeighbors, rowMajor } from "./knn-common.js";
import type { NeighborIndex } from "./neighbors.js";

const KIND = "knn-classifier";

export interface FittedKnnClassifier extends Classifier {
  /** Indices and distances of the k nearest training rows of each row of `data`. */
  kneighbors(data: Frame): { index: Int32Array; distance: Float64Array; k: number };
}

/**
 * Spec factory for "knn-classifier": k-nearest-neighbours voting (scikit-learn's `KNeighborsClassifier`, k-d tree search, Bentley 1975); numeric inputs only.
 * @example
 * ```ts
 * const model = await autoPipeline(knnClassifier({ nNeighbors: 15, weights: "distance" })).fit(frame, { target: "Status" });
 * ```
 */
export const knnClassifier = defineEstimator<FittedKnnClassifier>({
  kind: KIND,
  role: "classifier",
  doc: "k-nearest-neighbours classifier (uniform or distance weights)",
  needsTarget: true,
  schema: knnSchema,
  async fit(params, data, options, spec) {
    const target = options.target!;
    checkKnnFit(KIND, params, data.nRows, options);
    const names = featureNames(data, target);
    const X = numericFeatures(data, names, KIND);
    const { classes, y } = classTarget(data, target);
    if (classes.length < 2) {
      throw new InvalidInputError(`${KIND}: target column ${show(target)} has one class only (${show(classes[0])}); there is nothing to learn`, { path: target, expected: "at least two classes", received: classes });
    }
    return new KnnClassifierModel(spec, modelSignature(data, target, "classification", classes), classes, rowMajor(X), y);
  },
  load(artifact, spec) {
    const r = new ArtifactReader(artifact);
    const classes = r.classes(true, 2);
    const { train, n } = knnTraining(r, spec.params.nNeighbors as number);
    return new KnnClassifierModel(spec, artifact.signature, classes, train, r.codes("y", r.i32("y", n), 0, classes.length));
  },
});

class KnnClassifierModel implements FittedKnnClassifier {
  readonly task = "classification" as const;
  constructor(
    readonly spec: Spec<FittedKnnClassifier>,
    readonly signature: Signature,
    readonly classes: readonly string[],
    private readonly train: Float64Array,
    private readonly y: Int32Array,
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

  predictProba(data: Frame): Float64Array {
    const { index, weights, k } = queryNeighbors(KIND, this.signature, this.spec.params, this.index, data);
    const m = data.nRows;
    const K = this.classes.length;
    const out = new Float64Array(m * K);
    for (let q = 0; q < m; q++) {
      let s = 0;
      for (let t = 0; t < k; t++) {
        const w = weights[q * k + t];
        out[q * K + this.y[index[q * k + t]]] += w;
        s += w;
      }
      for (let c = 0; c < K; c++) out[q * K + c] /= s;
    }
    return out;
  }

  predict(data: Frame): CategoricalColumn {
    return labelColumn(this.classes, argmaxRows(this.predictProba(data), data.nRows, this.classes.length));
  }

  save(): ModelArtifact {
    return { kind: KIND, params: { ...this.spec.params } as Record<string, Json>, signature: this.signature, state: { classes: [...this.classes] }, buffers: { train: this.train, y: this.y } };
  }
}
