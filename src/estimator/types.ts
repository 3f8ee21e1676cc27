/**
 * The estimator contract (DESIGN "Core shapes"), after scikit-learn's: a *spec* is plain JSON
 * parameters plus `fit`; `fit` returns a new *fitted* object and mutates nothing. Every
 * transformer, model and pipeline has this one shape, so pipelines, cross-validation, tuning,
 * explanation and persistence work with all of them.
 */
import type { Json, Rng } from "../core/index.js";
import type { CategoricalColumn, ColumnKind, Frame } from "../data/index.js";

export type { Json };

/** Options of `Spec.fit`. */
export interface FitOptions {
  /** The target column of `data` (required by models and supervised transformers). */
  target?: string;
  /** Per-row sample weights (length = rows of `data`). */
  weights?: Float64Array;
  /** Random generator; when absent, estimators use `new Rng(params.seed ?? 0)`. */
  rng?: Rng;
  signal?: AbortSignal;
  /** Worker threads the estimator may use (default: all available). */
  threads?: number;
  /** A separate validation frame (with the target column), e.g. for early stopping. */
  validation?: Frame;
}

/** A spec: the estimator's name and its JSON parameters. Serialisable, hashable, searchable. */
export interface Spec<F extends Fitted = Fitted> {
  readonly kind: string;
  readonly params: Readonly<Record<string, Json>>;
  fit(data: Frame, options?: FitOptions): Promise<F>;
  /** The same estimator with some parameters changed (validated). */
  with(params: Record<string, unknown>): Spec<F>;
  toJSON(): SpecJson;
}

/** A spec as JSON: its kind and its parameters. */
export interface SpecJson {
  kind: string;
  params: Record<string, Json>;
}

/** What a model predicts: classes or numbers. */
export type Task = "classification" | "regression";

/** One input column of a model's signature. */
export interface SignatureColumn {
  name: string;
  kind: ColumnKind;
  /** Training categories, for categorical inputs. */
  categories?: string[];
}

/** What a fitted estimator takes and gives. */
export interface Signature {
  inputs: SignatureColumn[];
  output:
    | { type: "frame"; columns: SignatureColumn[] }
    | { type: "regression"; target: string }
    | { type: "classification"; target: string; classes: string[] };
}

/** A fitted estimator: its spec, its signature, and `save()` to an artifact. */
export interface Fitted {
  readonly spec: Spec;
  readonly signature: Signature;
  /** The fitted state as data: manifest fields + typed buffers. Loading never runs code. */
  save(): ModelArtifact;
}

/** A fitted transformer: frame in, frame out. */
export interface Transformer extends Fitted {
  transform(data: Frame): Frame;
  /** Names of the columns `transform` outputs, in order. */
  readonly featureNames: readonly string[];
}

/** A fitted model of either task. */
export interface Predictor extends Fitted {
  readonly task: Task;
}

/** A fitted regression model. */
export interface Regressor extends Predictor {
  readonly task: "regression";
  predict(data: Frame): Float64Array;
}

/** A fitted classification model. */
export interface Classifier extends Predictor {
  readonly task: "classification";
  /** Class labels, sorted as scikit-learn sorts them (numerically when all are numbers). */
  readonly classes: readonly string[];
  /** Predicted labels as a categorical column whose categories are `classes`. */
  predict(data: Frame): CategoricalColumn;
  /** Probabilities, row-major: rows × classes. */
  predictProba(data: Frame): Float64Array;
}

/** Any fitted model. */
export type Model = Regressor | Classifier;

/** The typed arrays an artifact's buffers may hold. */
export type TypedArray = Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;

/** A fitted estimator as data (DESIGN: a manifest plus typed binary buffers). */
export interface ModelArtifact {
  kind: string;
  params: Record<string, Json>;
  signature: Signature;
  /** Small fitted values (classes, feature names, scalars). */
  state: Record<string, Json>;
  /** Large fitted arrays. */
  buffers: Record<string, TypedArray>;
  /** Nested fitted estimators (pipeline steps, column-transformer branches, ensemble members). */
  children?: Record<string, ModelArtifact>;
}

/**
 * True for fitted classifiers.
 * @example
 * ```ts
 * if (isClassifier(fitted)) console.log(fitted.classes);
 * ```
 */
export function isClassifier(f: Fitted): f is Classifier {
  return (f as Predictor).task === "classification" && typeof (f as Classifier).predictProba === "function";
}

/**
 * True for fitted regressors.
 * @example
 * ```ts
 * if (isRegressor(fitted)) console.log(fitted.predict(frame));
 * ```
 */
export function isRegressor(f: Fitted): f is Regressor {
  return (f as Predictor).task === "regression" && typeof (f as Regressor).predict === "function";
}

/**
 * True for fitted models (classifiers or regressors), false for transformers.
 * @example
 * ```ts
 * if (!isModel(fitted)) throw new Error("a model was expected");
 * ```
 */
export function isModel(f: Fitted): f is Model {
  return isClassifier(f) || isRegressor(f);
}

/**
 * True for fitted transformers.
 * @example
 * ```ts
 * if (isTransformer(fitted)) console.log(fitted.featureNames);
 * ```
 */
export function isTransformer(f: Fitted): f is Transformer {
  return typeof (f as Transformer).transform === "function";
}
