/**
 * The model names users write in keel.yaml and on the command line (`logistic`, `gbdt`, ...)
 * and the estimator each means for a task. Linear models and k-NN get scaled inputs; trees and
 * boosting take categorical columns natively where they can.
 */
import { InvalidInputError, show, type Json } from "../core/index.js";
import { estimatorDefinition, specFromJson, parseParamString, type Spec, type Task } from "../estimator/index.js";
import { autoPipeline, columns, dateParts, hashingEncoder, pipeline } from "../features/index.js";

export interface CatalogEntry {
  /** Estimator kind per task; absent = the model does not do that task. */
  kinds: Partial<Record<Task, string>>;
  /** Does the model want standardised numeric inputs? */
  scale: boolean;
  /** Does the model take categorical columns as they are (no one-hot)? */
  nativeCategorical: boolean;
  /** Default parameters Keel uses for this name (on top of the estimator's own defaults). */
  defaults?: Partial<Record<Task, Record<string, Json>>>;
  doc: string;
}

export const MODEL_CATALOG: Readonly<Record<string, CatalogEntry>> = {
  dummy: {
    kinds: { classification: "dummy-classifier", regression: "dummy-regressor" },
    scale: false,
    nativeCategorical: false,
    defaults: { classification: { strategy: "prior" }, regression: { strategy: "mean" } },
    doc: "predicts the class prior or the mean: the floor every model must beat",
  },
  logistic: { kinds: { classification: "logistic" }, scale: true, nativeCategorical: false, doc: "logistic regression (L2 by default)" },
  linear: { kinds: { regression: "linear-regression" }, scale: true, nativeCategorical: false, doc: "ordinary least squares" },
  ridge: { kinds: { regression: "ridge" }, scale: true, nativeCategorical: false, doc: "least squares with an L2 penalty" },
  lasso: { kinds: { regression: "lasso" }, scale: true, nativeCategorical: false, doc: "least squares with an L1 penalty" },
  elasticnet: { kinds: { regression: "elastic-net" }, scale: true, nativeCategorical: false, doc: "least squares with L1 + L2 penalties" },
  "naive-bayes": { kinds: { classification: "gaussian-nb" }, scale: false, nativeCategorical: false, doc: "Gaussian naive Bayes" },
  knn: { kinds: { classification: "knn-classifier", regression: "knn-regressor" }, scale: true, nativeCategorical: false, doc: "k-nearest neighbours" },
  tree: { kinds: { classification: "tree-classifier", regression: "tree-regressor" }, scale: false, nativeCategorical: false, doc: "a CART decision tree" },
  forest: { kinds: { classification: "forest-classifier", regression: "forest-regressor" }, scale: false, nativeCategorical: false, doc: "random forest" },
  "extra-trees": { kinds: { classification: "extra-trees-classifier", regression: "extra-trees-regressor" }, scale: false, nativeCategorical: false, doc: "extremely randomised trees" },
  gbdt: { kinds: { classification: "gbdt-classifier", regression: "gbdt-regressor" }, scale: false, nativeCategorical: true, doc: "histogram gradient boosting" },
};

/** The names, for help texts and error messages. */
export const MODEL_NAMES = Object.keys(MODEL_CATALOG);

/**
 * `baseline` in keel.yaml means the dummy model plus the simplest sound model for the task
 * (logistic regression for classification, ridge for regression).
 */
export function expandBaseline(task: Task): string[] {
  return ["dummy", task === "classification" ? "logistic" : "ridge"];
}

/** The estimator kind and default params for a model name and task; clear errors otherwise. */
export function catalogLookup(name: string, task: Task, where = "model"): { kind: string; entry: CatalogEntry; params: Record<string, Json> } {
  const entry = MODEL_CATALOG[name];
  if (!entry) {
    throw new InvalidInputError(`unknown model ${show(name)}; known models: ${MODEL_NAMES.join(", ")}${name === "baseline" ? "" : ""}`, { path: where, expected: `one of ${MODEL_NAMES.join(", ")}`, received: name });
  }
  const kind = entry.kinds[task];
  if (!kind) {
    const can = Object.keys(entry.kinds).join(" or ");
    throw new InvalidInputError(`model ${show(name)} does ${can} only, and this task is ${task}`, { path: where, expected: `a model for ${task}`, received: name });
  }
  return { kind, entry, params: { ...(entry.defaults?.[task] ?? {}) } };
}

/** Parse `--set key=value,...` for a catalog model, typed by its estimator's parameter schema. */
export function parseModelSet(name: string, task: Task, text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  const { kind } = catalogLookup(name, task);
  return parseParamString(kind, estimatorDefinition(kind).schema, text);
}

/** The bare model spec for a name and task, with Keel's defaults and the user's parameters (validated). */
export function modelSpec(name: string, task: Task, params: Record<string, unknown> = {}): Spec {
  const { kind, params: defaults } = catalogLookup(name, task);
  return specFromJson({ kind, params: { ...defaults, ...params } });
}

/**
 * The model with the preprocessing it needs, fitted as one pipeline on a raw frame: models that
 * take categorical columns natively (gradient boosting) get only date parts and text hashing;
 * the others get the default chain (imputation, one-hot, scaling for linear models and k-NN).
 */
export function trainingSpec(name: string, task: Task, params: Record<string, unknown> = {}): Spec {
  const { entry } = catalogLookup(name, task);
  const model = modelSpec(name, task, params);
  if (entry.nativeCategorical) {
    return pipeline(
      columns(
        { date: [{ kind: "datetime" }, dateParts()], text: [{ kind: "text" }, hashingEncoder({ nFeatures: 64 })] },
        { verboseNames: false, remainder: "passthrough" },
      ),
      model,
    );
  }
  return autoPipeline(model, { scale: entry.scale });
}
