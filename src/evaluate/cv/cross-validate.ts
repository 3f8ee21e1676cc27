/**
 * `crossValidate(spec, frame, { target, cv, metrics })` (scikit-learn's `cross_validate`): the
 * *whole* spec — a pipeline's preprocessing included — is fitted on each training fold only and
 * scored on its validation fold, so no statistic of a validation row leaks into what is scored on
 * it. Folds run in parallel on worker threads (each rebuilds the spec from `spec.toJSON()` and
 * reads the frame from shared memory) or in process with `threads: 1`. Without `threads`, the
 * first fold runs in process and the others go to worker threads only if, at the first fold's
 * pace, running them in parallel would save more than `WORKER_START_SECONDS` (starting workers
 * and warming their code costs more than cheap fits gain). Each fold's
 * generator is forked from the caller's in fold order, so the results are the same for any thread
 * count and either path.
 * Reports per-fold metrics, fit and score times, and the mean and standard deviation of each
 * metric across folds — the population standard deviation (ddof = 0), as NumPy's `std` gives for
 * scikit-learn's `cross_validate` results. A metric that cannot be computed on a fold (e.g. ROC AUC
 * on a fold with a class absent) is NaN for that fold with the reason in the fold's `unavailable`;
 * its mean and std are NaN and the result's `unavailable` says on which folds and why.
 * Emits a `fold` event per fold (in fold order) and `metric` events `cv_<name>_mean` / `_std`.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { InvalidInputError, KeelError, type ErrorCode, show, emit, availableThreads, mapConcurrent, runTask, type Rng, toRng } from "../../core/index.js";
import type { Frame } from "../../data/index.js";
import { estimatorDefinition, classTarget, inferTask, numericTarget, type Spec } from "../../estimator/index.js";
import { type MetricTask, defaultMetrics, scorersFor } from "../../metrics/index.js";
import { orderClasses } from "../score.js";
import { type CvSpec, resolveCv } from "./cv-spec.js";
import { type ErrorData, type FoldJob, type FoldResult, runFold } from "./fold.js";
import type { FoldOutcome, FoldTask } from "./fold-worker.js";
import { framePayload } from "./frame-payload.js";

/** The pool task that fits and scores one fold. */
const FOLD_WORKER = new URL("./fold-worker.js", import.meta.url);

/** Options of `crossValidate`. */
export interface CrossValidateOptions {
  /** The target column. */
  target: string;
  /** Folds: a count, ready splits, or a splitter (default 5: stratified for classification, plain k-fold for regression). */
  cv?: CvSpec;
  /** Scorer names (default: `defaultMetrics(task)`). */
  metrics?: readonly string[];
  /**
   * Folds fitted at once; 1 runs every fold in this thread. Default: the available cores, once the
   * first fold (fitted in this thread) shows fits are slow enough for workers to pay.
   */
  threads?: number;
  /** Generator or seed for shuffled splits and each fold's fit (default seed 0). */
  rng?: Rng | number;
  /** Binary tasks: the class of interest (code 1: scored by ROC AUC, precision, recall, F1). Default: the second class in sorted order. */
  positive?: string | null;
  /** Extra modules (URLs or paths) worker threads import to register estimator kinds defined outside Keel: each exports `estimators`, a list of definitions or spec factories. */
  workerImports?: readonly (string | URL)[];
  /**
   * Called with each fold's result, in fold order, as folds finish (with `threads: 1`, before the
   * next fold starts). Throwing stops cross-validation and rejects with that error: how a tuning
   * trial reports after each fold and stops when its pruner says so.
   */
  onFold?: (fold: FoldResult) => void;
}

/**
 * What starting worker threads costs, roughly (thread start, module loading, cold code): in
 * automatic mode folds go to workers only when parallelism should save more than this.
 */
export const WORKER_START_SECONDS = 1;

/** Mean and population standard deviation of a measure across folds. */
export interface Summary {
  readonly mean: number;
  /** Population standard deviation (ddof = 0). */
  readonly std: number;
}

/** What `crossValidate` returns: per-fold scores, their means and standard deviations, and timings. */
export interface CrossValidationResult {
  readonly task: MetricTask;
  /** Class labels in code order (classification). */
  readonly classes?: readonly string[];
  readonly cv: string;
  readonly metrics: readonly string[];
  readonly folds: readonly FoldResult[];
  /** Per metric across folds; NaN exactly for the metrics in `unavailable`. */
  readonly mean: Readonly<Record<string, number>>;
  readonly std: Readonly<Record<string, number>>;
  /** Metrics not available on some fold: on how many folds, which, and the first fold's reason. */
  readonly unavailable: Readonly<Record<string, string>>;
  readonly fitSeconds: Summary;
  readonly scoreSeconds: Summary;
}

/**
 * Mean and population standard deviation (ddof = 0); NaN if any value is NaN.
 * @example
 * ```ts
 * meanStd([0.8, 0.9]); // { mean: ≈ 0.85, std: ≈ 0.05 }
 * ```
 */
export function meanStd(values: readonly number[]): Summary {
  const n = values.length;
  let s = 0;
  for (const v of values) s += v;
  const mean = s / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  return { mean, std: Math.sqrt(ss / n) };
}

function taskOf(spec: Spec, frame: Frame, target: string, positive?: string | null): { task: MetricTask; classes: string[] | null; codes: Int32Array | null } {
  const role = estimatorDefinition(spec.kind).role;
  let classification: boolean;
  if (role === "classifier") classification = true;
  else if (role === "regressor") classification = false;
  else classification = inferTask(frame, target).task === "classification";
  if (!classification) {
    numericTarget(frame, target);
    return { task: "regression", classes: null, codes: null };
  }
  const sorted = classTarget(frame, target).classes;
  if (sorted.length < 2) {
    throw new InvalidInputError(`target column ${show(target)} has one class only (${show(sorted[0])}); there is nothing to cross-validate`, { path: target, expected: "at least two classes", received: sorted });
  }
  const classes = orderClasses(sorted, positive);
  const { y } = classTarget(frame, target, classes);
  return { task: classes.length === 2 ? "binary" : "multiclass", classes, codes: y };
}

/**
 * Cross-validate `spec` on `frame`: fit on each fold's training rows, score its test rows with every metric, and summarise per metric (mean, population std). Preprocessing inside `spec` (a pipeline) is fitted inside the folds, so nothing leaks from the test rows.
 * @example
 * ```ts
 * const frame = await readTable("examples/credit/credit_data.csv");
 * const cv = await crossValidate(autoPipeline(logistic()), frame, { target: "Status", cv: 5, metrics: ["roc_auc", "accuracy"] });
 * console.log(cv.mean.roc_auc, cv.std.roc_auc);
 * ```
 */
export async function crossValidate(spec: Spec, frame: Frame, options: CrossValidateOptions): Promise<CrossValidationResult> {
  const target = options?.target;
  if (typeof target !== "string") throw new InvalidInputError("crossValidate needs options.target, the target column", { path: "target", expected: "a column name", received: target });
  if (!frame.has(target)) {
    throw new InvalidInputError(`target column ${show(target)} is not in the frame; columns are ${show(frame.names, 200)}`, { path: "target", expected: `one of ${frame.names.join(", ")}`, received: target });
  }
  const { task, classes, codes } = taskOf(spec, frame, target, options.positive);
  const metrics = [...(options.metrics ?? defaultMetrics(task))];
  if (metrics.length === 0) throw new InvalidInputError("metrics is empty", { path: "metrics", expected: "at least one scorer name", received: [] });
  scorersFor(metrics, task);
  const threadsWanted = options.threads ?? availableThreads();
  if (!Number.isInteger(threadsWanted) || threadsWanted < 1) throw new InvalidInputError(`threads must be an integer ≥ 1, got ${show(threadsWanted)}`, { path: "threads", expected: "an integer ≥ 1", received: threadsWanted });
  const rng = toRng(options.rng);
  const cvRng = rng.fork();
  const { splits, description } = resolveCv(options.cv, frame, codes, cvRng);
  const concurrent = Math.min(threadsWanted, splits.length);
  const fitThreads = Math.max(1, Math.floor(threadsWanted / concurrent));
  const jobs: FoldJob[] = splits.map((s, fold) => ({
    fold,
    train: s.train,
    test: s.test,
    target,
    task,
    classes,
    metrics,
    rngState: rng.fork().getState(),
    fitThreads,
  }));

  // fold events in fold order, as folds finish
  const done: (FoldResult | undefined)[] = new Array(jobs.length);
  let nextEvent = 0;
  const finished = (r: FoldResult) => {
    done[r.fold] = r;
    while (nextEvent < done.length && done[nextEvent]) {
      const f = done[nextEvent++]!;
      emit({ type: "fold", fold: f.fold, metrics: f.metrics, fitSeconds: f.fitSeconds });
      options.onFold?.(f);
    }
  };

  const inProcess = async (job: FoldJob) => {
    const r = await runFold(spec, frame, job).catch((e) => {
      throw foldError(job.fold, e);
    });
    finished(r); // may throw from onFold: not a fold error
    return r;
  };
  let remaining = jobs;
  if (concurrent > 1 && options.threads === undefined) {
    const first = await inProcess(jobs[0]);
    remaining = jobs.slice(1);
    const perFold = first.fitSeconds + first.scoreSeconds;
    const saving = perFold * (remaining.length - Math.ceil(remaining.length / Math.min(concurrent, remaining.length)));
    if (saving < WORKER_START_SECONDS) {
      for (const job of remaining) await inProcess(job);
      remaining = [];
    }
  }
  if (remaining.length > 0 && concurrent <= 1) {
    for (const job of remaining) await inProcess(job);
  } else if (remaining.length > 0) {
    const payload = framePayload(frame);
    const imports = (options.workerImports ?? []).map((m) => (m instanceof URL ? m.href : m.startsWith("file:") ? m : pathToFileURL(path.resolve(m)).href));
    const specJson = spec.toJSON();
    await mapConcurrent(remaining, concurrent, async (job) => {
      const out = await runTask<FoldTask, FoldOutcome>(FOLD_WORKER, { spec: specJson, frame: payload, job, imports });
      if (out.error) throw foldError(job.fold, out.error);
      finished(out.result!);
    });
  }

  const folds = done as FoldResult[];
  const mean: Record<string, number> = {};
  const std: Record<string, number> = {};
  const unavailable: Record<string, string> = {};
  for (const m of metrics) {
    const missing = folds.filter((f) => f.unavailable?.[m] !== undefined);
    if (missing.length > 0) {
      unavailable[m] = `${m} is not available on ${missing.length} of ${folds.length} folds (${missing.map((f) => f.fold).join(", ")}); fold ${missing[0].fold}: ${missing[0].unavailable![m]}`;
    }
    const s = meanStd(folds.map((f) => f.metrics[m]));
    mean[m] = s.mean;
    std[m] = s.std;
    emit({ type: "metric", key: `cv_${m}_mean`, value: s.mean });
    emit({ type: "metric", key: `cv_${m}_std`, value: s.std });
  }
  return {
    task,
    ...(classes ? { classes } : {}),
    cv: description,
    metrics,
    folds,
    mean,
    std,
    unavailable,
    fitSeconds: meanStd(folds.map((f) => f.fitSeconds)),
    scoreSeconds: meanStd(folds.map((f) => f.scoreSeconds)),
  };
}

/** An error from fold `fold` as a KeelError that says which fold failed (data from a worker or a thrown error). */
function foldError(fold: number, e: unknown): KeelError {
  if (e instanceof KeelError) {
    return new KeelError(e.code, `fold ${fold}: ${e.message}`, { path: e.path, expected: e.expected, received: e.received, cause: e });
  }
  const d = e as ErrorData;
  if (d && typeof d.code === "string" && typeof d.message === "string" && !(e instanceof Error)) {
    let message = d.message;
    if (/unknown estimator kind/.test(message)) {
      message += " (worker threads register Keel's models and features; pass workerImports for estimators defined elsewhere, or threads: 1)";
    }
    return new KeelError(d.code as ErrorCode, `fold ${fold}: ${message}`, { path: d.path });
  }
  throw e;
}
