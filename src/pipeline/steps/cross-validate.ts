/**
 * Step "cv": cross-validate one candidate — the model named in keel.yaml or on the command line
 * with the preprocessing it needs, fitted inside the folds — on the training rows. Cached by the
 * training rows' hash, the model and its parameters, the folds, the metrics, the classes and the
 * seed. Tracked on its own child run: the resolved parameters, per-fold metrics (step = fold),
 * the means and standard deviations.
 */
import type { Json } from "../../core/index.js";
import type { Frame } from "../../data/index.js";
import { loadEstimators, type Task } from "../../estimator/index.js";
import type { CvSpec } from "../../evaluate/cv/index.js";
import { step } from "../step.js";

/** A model as keel.yaml or `keel train` names it, checked against the catalog. */
export interface Candidate {
  /** Catalog name (`gbdt`). */
  name: string;
  /** The user's parameters. */
  params: Record<string, Json>;
  /** The name with its parameters, as reports show it (`gbdt{"maxLeaves":15}`). */
  label: string;
  /** The estimator kind for the task (`gbdt-classifier`). */
  kind: string;
}

export interface CrossValidateInputs {
  candidate: Candidate;
  task: Task;
  train: Frame;
  /** Content hash of `train`. */
  trainHash: string;
  target: string;
  cv: CvSpec;
  metrics: string[];
  /** Class labels in code order (the positive class second, for binary tasks); null for regression. */
  classes: string[] | null;
  seed: number;
  /** Columns that are not features (the group column of group folds): the folds may read them, the model never sees them. */
  exclude?: string[];
}

export interface CrossValidateOutput {
  /** How the folds were made (`stratified k=5`). */
  description: string;
  mean: Record<string, number>;
  std: Record<string, number>;
  /** Each fold's metrics, in fold order. */
  folds: Record<string, number>[];
  foldFitSeconds: number[];
  /** Mean fit time of a fold, seconds. */
  fitSeconds: number;
  /** The resolved parameters of the whole pipeline, flattened (`steps.1.params.maxIter`). */
  params: Record<string, Json>;
}

const prefixed = (prefix: string, values: Record<string, number>, suffix = "") => Object.fromEntries(Object.entries(values).map(([k, v]) => [`${prefix}${k}${suffix}`, v]));

export const crossValidateStep = step<CrossValidateInputs, CrossValidateOutput>({
  name: "cv",
  label: (i) => `cross-validate ${i.candidate.label}`,
  key: (i) => ({ train: i.trainHash, target: i.target, model: i.candidate.name, params: i.candidate.params, task: i.task, cv: i.cv, metrics: i.metrics, classes: i.classes, seed: i.seed, exclude: i.exclude }),
  async run(i, { threads }) {
    const [{ crossValidate }, { trainingSpec }, { flattenParams }] = await Promise.all([
      import("../../evaluate/cv/index.js"),
      import("../../project/index.js"),
      import("../../estimator/index.js"),
      loadEstimators(),
    ]);
    const spec = trainingSpec(i.candidate.name, i.task, i.candidate.params);
    const { grouped, folds, frame } = await foldsAndFeatures(i);
    const cv = await crossValidate(spec, frame, { target: i.target, cv: folds, metrics: i.metrics, positive: i.classes?.[1] ?? null, rng: i.seed, threads });
    return {
      description: grouped ? `group k=${grouped.k ?? 5} by ${grouped.groups}` : cv.cv,
      mean: { ...cv.mean },
      std: { ...cv.std },
      folds: cv.folds.map((f) => ({ ...f.metrics })),
      foldFitSeconds: cv.folds.map((f) => f.fitSeconds),
      fitSeconds: cv.fitSeconds.mean,
      params: flattenParams(spec.params),
    };
  },
  childRun: (i) => ({ name: i.candidate.label, tags: { "keel.step": "candidate", "keel.model": i.candidate.label } }),
  async track(o, run, i) {
    await run.logParams({ model: i.candidate.kind, ...o.params });
    o.folds.forEach((f, k) => run.logMetrics({ ...prefixed("fold_", f), fold_fit_seconds: o.foldFitSeconds[k] }, k));
    run.logMetrics({ ...prefixed("cv_", o.mean, "_mean"), ...prefixed("cv_", o.std, "_std"), fit_seconds: o.fitSeconds });
  },
});

/**
 * The folds to cross-validate on and the feature rows: group folds are cut before the group
 * column (and any other excluded column) leaves the features.
 */
export async function foldsAndFeatures(i: Pick<CrossValidateInputs, "cv" | "train" | "exclude">): Promise<{ grouped: { k?: number; groups: string } | null; folds: CvSpec; frame: Frame }> {
  const { groupKFold } = await import("../../data/split/index.js");
  const grouped = typeof i.cv === "object" && !Array.isArray(i.cv) && (i.cv as { kind?: string }).kind === "group" ? (i.cv as { k?: number; groups: string }) : null;
  const folds = grouped ? groupKFold(i.train.column(grouped.groups), { k: grouped.k }) : i.cv;
  const frame = i.exclude?.length ? i.train.drop(i.exclude) : i.train;
  return { grouped, folds, frame };
}
