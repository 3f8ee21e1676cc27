/**
 * Preprocessing chosen by column kind, so a model can be fitted on a raw Frame:
 *
 * | kind        | branch | steps                                                                  |
 * |-------------|--------|------------------------------------------------------------------------|
 * | numeric     | `num`  | median imputer (+ standard scaler with `scale`)                        |
 * | boolean     | `bool` | to 0/1, most-frequent imputer                                          |
 * | categorical | `cat`  | most-frequent imputer, one-hot (unknown → the infrequent column if there is one, else all zeros; categories rarer than `minFrequency` grouped; at most `maxCategories` columns) |
 * | datetime    | `date` | date parts, median imputer (+ standard scaler with `scale`)            |
 * | text        | `text` | hashing encoder (`hashFeatures` columns)                               |
 *
 * The branches select by kind, so which ones run is decided by the training frame at fit time.
 * Output names are `<branch>__<feature>` (e.g. `num__age`, `cat__city_Paris`).
 */
import { ColumnTransformer, columns } from "./column-transformer.js";
import { dateParts } from "./date-parts.js";
import { hashingEncoder } from "./hashing.js";
import { simpleImputer } from "./imputers.js";
import { oneHot } from "./one-hot.js";
import { type ClassifierPipeline, type FittedPipeline, type RegressorPipeline, type StepInput, pipeline } from "./pipeline.js";
import { standardScaler } from "./scalers.js";
import { toNumeric } from "./to-numeric.js";
import type { Classifier, Regressor, Spec } from "../estimator/index.js";

/** Options of `defaultPreprocessing` and `autoPipeline`: scaling, rare-category grouping, hashed text width. */
export interface DefaultPreprocessingOptions {
  /** Standard-scale numeric and date-part columns (linear models, k-NN want it). Default false. */
  scale?: boolean;
  /** One-hot: categories with fewer rows (count ≥ 1, or fraction < 1) are grouped. Default 5. */
  minFrequency?: number | null;
  /** One-hot: at most this many columns per categorical column. Default 30. */
  maxCategories?: number | null;
  /** Hashing encoder columns per text column. Default 64. */
  hashFeatures?: number;
}

/**
 * The default preprocessing spec (a column transformer; see the module comment).
 * @example
 * ```ts
 * const model = await pipeline(defaultPreprocessing({ scale: true }), logistic()).fit(frame, { target: "Status" });
 * ```
 */
export function defaultPreprocessing(options: DefaultPreprocessingOptions = {}): Spec<ColumnTransformer> {
  const scale = options.scale ?? false;
  const scaler = scale ? [standardScaler()] : [];
  return columns({
    num: [{ kind: "numeric" }, simpleImputer({ strategy: "median" }), ...scaler],
    bool: [{ kind: "boolean" }, toNumeric(), simpleImputer({ strategy: "most_frequent" })],
    cat: [
      { kind: "categorical" },
      simpleImputer({ strategy: "most_frequent" }),
      oneHot({ handleUnknown: "infrequent_if_exist", minFrequency: options.minFrequency === undefined ? 5 : options.minFrequency, maxCategories: options.maxCategories === undefined ? 30 : options.maxCategories }),
    ],
    date: [{ kind: "datetime" }, dateParts(), simpleImputer({ strategy: "median" }), ...scaler],
    text: [{ kind: "text" }, hashingEncoder({ nFeatures: options.hashFeatures ?? 64 })],
    remainder: "drop",
  });
}

/**
 * Model kinds whose fit depends on feature scale (distances, penalties, gradient steps): they
 * get standardised inputs from `autoPipeline`. Tree ensembles, naive Bayes and dummies do not.
 */
const SCALE_SENSITIVE = /(linear|ridge|lasso|elastic|logistic|knn|neighbo|sgd|svm|svc|svr|mlp|perceptron)/;

/**
 * Does a model of this kind want standardised inputs?
 * @example
 * ```ts
 * wantsScaling("logistic"); // true
 * wantsScaling("gbdt-classifier"); // false
 * ```
 */
export function wantsScaling(kind: string): boolean {
  return SCALE_SENSITIVE.test(kind);
}

/**
 * `pipeline(defaultPreprocessing({ scale }), model)`, with `scale` true for scale-sensitive model
 * kinds (linear, logistic, k-NN, ...) unless `options.scale` says otherwise.
 * @example
 * ```ts
 * const model = await autoPipeline(gbdtClassifier({ maxLeaves: 15 })).fit(frame, { target: "Status" });
 * ```
 */
export function autoPipeline(model: Spec<Classifier>, options?: DefaultPreprocessingOptions): Spec<ClassifierPipeline>;
export function autoPipeline(model: Spec<Regressor>, options?: DefaultPreprocessingOptions): Spec<RegressorPipeline>;
export function autoPipeline(model: StepInput, options?: DefaultPreprocessingOptions): Spec<FittedPipeline>;
export function autoPipeline(model: StepInput, options: DefaultPreprocessingOptions = {}): Spec<FittedPipeline> {
  const kind = (model as { kind: string }).kind;
  return pipeline(defaultPreprocessing({ ...options, scale: options.scale ?? wantsScaling(kind) }), model);
}
