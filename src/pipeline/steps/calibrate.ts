/**
 * Step "calibrate" of `keel run` (classification, when keel.yaml asks for `problem.calibration`
 * or `problem.threshold`): what the chosen model's probabilities mean and where it draws the line,
 * decided on the training rows only — the sealed test set is never read here.
 *
 * - **Calibration** (`sigmoid` | `isotonic`): the chosen candidate is cross-fitted on the run's
 *   own folds (the folds its cross-validation used: stratified and shuffled with the run's seed,
 *   grouped, or time-ordered) as scikit-learn's `CalibratedClassifierCV` does — a copy per fold
 *   fitted on the other folds, its calibrator on the held-out fold, probabilities averaged — and
 *   that ensemble becomes the model (`calibrated-classifier`).
 * - **Threshold** (binary): a fixed probability, or the one of least cost (`{ by: cost, fp, fn }`)
 *   or best metric (`{ by: f1 }`, ...) on *out-of-fold* predictions of the training rows: for each
 *   fold, the model as it will ship (calibrated the same way, on inner folds of that fold's
 *   training rows) is fitted without the fold and predicts it. The threshold is saved with the
 *   model (`decision-threshold`), so `keel predict` and serving label rows with it.
 *
 * Cached, like the fit, as a saved model in the cache entry, keyed by the training rows, the
 * candidate, the folds, the seed and the two settings.
 */
import path from "node:path";
import { InvalidInputError } from "../../core/index.js";
import type { Frame } from "../../data/index.js";
import { saveModel, savedModelHash, loadEstimators, type Classifier, type Fitted, type Task } from "../../estimator/index.js";
import type { CvSpec } from "../../evaluate/cv/index.js";
import type { ProjectConfig, ThresholdRule } from "../../project/index.js";
import type { CacheValue } from "../cache-value.js";
import { step } from "../step.js";
import type { Candidate } from "./cross-validate.js";
import { type FitOutput, loadFitted } from "./fit.js";

/** What the step decided, as the run summary and tracking report it. */
export interface DecisionSummary {
  calibration: ProjectConfig["problem"]["calibration"];
  /** The saved decision threshold on the positive class's probability; null: the more probable class. */
  threshold: number | null;
  /** The positive class the threshold applies to. */
  positive: string | null;
  /** How the threshold was chosen, in words (`least mean cost with fp=1, fn=5 on out-of-fold predictions`). */
  rule: string | null;
  /** The out-of-fold value the threshold reached: the mean cost per row, or the metric; null for a fixed threshold. */
  oof: { name: string; value: number; rows: number } | null;
}

export interface CalibrateInputs {
  candidate: Pick<Candidate, "name" | "params" | "label">;
  task: Task;
  /** The training rows with every column (a group column cuts group folds). */
  train: Frame;
  trainHash: string;
  /** Columns that are not features (the group column). */
  exclude?: string[];
  target: string;
  cv: CvSpec;
  seed: number;
  /** Class labels in code order, the positive class second. */
  classes: string[];
  calibration: ProjectConfig["problem"]["calibration"];
  threshold: ThresholdRule | null;
  /** The chosen candidate refitted on all training rows (the model when nothing is calibrated). */
  fitted: FitOutput;
}

export type CalibrateOutput = FitOutput & { decision: DecisionSummary };

/** The fitted model of each output computed in this process, for `save`. */
const computed = new WeakMap<CalibrateOutput, Fitted>();

export const calibrateStep = step<CalibrateInputs, CalibrateOutput>({
  name: "calibrate",
  label: (i) => [i.calibration !== "none" ? `calibrate (${i.calibration})` : "", i.threshold ? "choose the decision threshold" : ""].filter(Boolean).join(", "),
  key: (i) => ({ train: i.trainHash, target: i.target, model: i.candidate.name, params: i.candidate.params, task: i.task, cv: i.cv, seed: i.seed, classes: i.classes, exclude: i.exclude, calibration: i.calibration, threshold: i.threshold }),
  async run(i, { threads }) {
    const t0 = performance.now();
    const [{ trainingSpec }, { Rng }, { resolveCv }, { classTarget }, { calibratedClassifier, fitCalibratedClassifier, withDecisionThreshold }, { chooseThreshold }, { groupKFold }] = await Promise.all([
      import("../../project/index.js"),
      import("../../core/index.js"),
      import("../../evaluate/cv/index.js"),
      import("../../estimator/index.js"),
      import("../../models/calibration/index.js"),
      import("../../evaluate/index.js"),
      import("../../data/split/index.js"),
      loadEstimators(),
    ]);
    const positive = i.classes[1];
    const base = trainingSpec(i.candidate.name, i.task, i.candidate.params);
    const features = (f: Frame) => (i.exclude?.length ? f.drop(i.exclude) : f);
    // the folds of the run's cross-validation, for any rows of the training set
    const foldsOf = (rows: Frame) => {
      const grouped = typeof i.cv === "object" && !Array.isArray(i.cv) && (i.cv as { kind?: string }).kind === "group" ? (i.cv as { k?: number; groups: string }) : null;
      if (grouped) return groupKFold(rows.column(grouped.groups), { k: grouped.k });
      return resolveCv(i.cv, rows, classTarget(rows, i.target).y, new Rng(i.seed).fork()).splits;
    };
    const spec = i.calibration === "none" ? null : calibratedClassifier({ base: base.toJSON(), method: i.calibration, folds: foldsOf(i.train).length });
    /** The model as it ships (calibrated or not), fitted on `rows`. */
    const fitShipped = async (rows: Frame, rng: InstanceType<typeof Rng>): Promise<Classifier> => {
      if (spec) return fitCalibratedClassifier(spec, features(rows), { target: i.target, splits: foldsOf(rows), rng, threads });
      return (await base.fit(features(rows), { target: i.target, rng, threads })) as Classifier;
    };
    const shipped = spec ? await fitShipped(i.train, new Rng(i.seed)) : ((await i.fitted.fitted()) as Classifier);

    let threshold: number | null = null;
    let rule: string | null = null;
    let oof: DecisionSummary["oof"] = null;
    if (i.threshold && i.threshold.by === "fixed") {
      threshold = i.threshold.value;
      rule = "fixed in keel.yaml";
    } else if (i.threshold) {
      // out-of-fold probabilities of the positive class, from the model as it ships
      const splits = foldsOf(i.train);
      const y: number[] = [];
      const score: number[] = [];
      const rng = new Rng(i.seed);
      for (const s of splits) {
        const model = await fitShipped(i.train.take(s.train), rng.fork());
        const held = i.train.take(s.test);
        const p = model.predictProba(features(held));
        const col = model.classes.indexOf(positive);
        const truth = classTarget(held, i.target, i.classes).y;
        for (let r = 0; r < held.nRows; r++) {
          score.push(p[r * model.classes.length + col]);
          y.push(truth[r] === 1 ? 1 : 0);
        }
      }
      const chosen = chooseThreshold(y, score, i.threshold);
      threshold = chosen.threshold;
      rule = i.threshold.by === "cost" ? `least mean cost with fp=${i.threshold.fp}, fn=${i.threshold.fn} on out-of-fold predictions of the training rows` : `best ${i.threshold.by} on out-of-fold predictions of the training rows`;
      oof = { name: i.threshold.by === "cost" ? "mean_cost" : i.threshold.by, value: chosen.value, rows: y.length };
      // +∞ (no row positive did best): the highest threshold a probability can meet
      if (!(threshold <= 1)) threshold = 1;
    }
    if (threshold !== null && i.classes.length !== 2) {
      throw new InvalidInputError(`a decision threshold needs two classes; the target has ${i.classes.length}`, { path: "problem.threshold", expected: "a binary task", received: i.classes });
    }
    const model = threshold === null ? shipped : withDecisionThreshold(shipped, threshold, positive);
    const decision: DecisionSummary = { calibration: i.calibration, threshold, positive: threshold === null ? null : positive, rule, oof };
    const output: CalibrateOutput = { fitted: async () => model, dir: null, hash: null, seconds: (performance.now() - t0) / 1000 + i.fitted.seconds, log: i.fitted.log, decision };
    computed.set(output, model);
    return output;
  },
  save(o, dir) {
    saveModel(computed.get(o)!, path.join(dir, "model"));
    return { seconds: o.seconds, log: o.log as unknown as CacheValue, decision: o.decision as unknown as CacheValue };
  },
  load(value, dir) {
    const { seconds, log, decision } = value as unknown as Pick<CalibrateOutput, "seconds" | "log" | "decision">;
    const model = path.join(dir, "model");
    let loaded: Promise<Fitted> | undefined;
    return { seconds, log, decision, dir: model, hash: savedModelHash(model), fitted: () => (loaded ??= loadFitted(model)) };
  },
  async track(o, run) {
    const d = o.decision;
    await run.logParams({ calibration: d.calibration, ...(d.threshold !== null ? { decision_threshold: d.threshold, threshold_rule: d.rule ?? "", positive_class: d.positive ?? "" } : {}) });
    if (d.oof) run.logMetrics({ [`oof_threshold_${d.oof.name}`]: d.oof.value });
  },
});
