/**
 * One cross-validation fold: fit the whole spec on the training rows only, predict the
 * validation rows, score them. Shared by the in-process path and the worker threads, so both give
 * the same numbers.
 */
import { isKeelError, Rng, withoutObserver } from "../../core/index.js";
import type { Frame } from "../../data/index.js";
import type { Spec } from "../../estimator/index.js";
import type { MetricTask } from "../../metrics/index.js";
import { predictionsFor, scorePredictions } from "../score.js";

export interface FoldJob {
  fold: number;
  train: Int32Array;
  test: Int32Array;
  target: string;
  task: MetricTask;
  /** Class labels of the whole frame's target (classification), in code order. */
  classes: string[] | null;
  metrics: string[];
  /** State of the fold's random generator (forked from the caller's, in fold order). */
  rngState: [number, number, number, number];
  /** Threads the estimator may use inside this fold. */
  fitThreads: number;
}

/** One fold's sizes, scores and timings. */
export interface FoldResult {
  fold: number;
  trainRows: number;
  testRows: number;
  metrics: Record<string, number>;
  fitSeconds: number;
  scoreSeconds: number;
  /** Metrics that could not be computed on this fold (value NaN), with the reason. */
  unavailable?: Record<string, string>;
}

/** A KeelError as plain data, to cross a thread boundary. */
export interface ErrorData {
  name: string;
  code: string;
  message: string;
  path?: string;
}

export async function runFold(spec: Spec, frame: Frame, job: FoldJob): Promise<FoldResult> {
  const train = frame.take(job.train);
  const test = frame.take(job.test);
  const t0 = performance.now();
  const fitted = await withoutObserver(() => spec.fit(train, { target: job.target, rng: Rng.fromState(job.rngState), threads: job.fitThreads }));
  const t1 = performance.now();
  const { metrics, unavailable } = scorePredictions(predictionsFor(fitted, test, job), job.metrics, undefined, job.classes);
  const t2 = performance.now();
  return {
    fold: job.fold,
    trainRows: job.train.length,
    testRows: job.test.length,
    metrics,
    fitSeconds: (t1 - t0) / 1000,
    scoreSeconds: (t2 - t1) / 1000,
    ...(Object.keys(unavailable).length > 0 ? { unavailable } : {}),
  };
}


export function errorData(e: unknown): ErrorData {
  if (isKeelError(e)) return { name: e.name, code: e.code, message: e.message, path: e.path };
  const err = e as Error;
  return { name: err?.name ?? "Error", code: "INTERNAL", message: err?.message ?? String(e) };
}
