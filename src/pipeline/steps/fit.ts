/**
 * Step "fit": fit a candidate (preprocessing + model) on all training rows with the walk's seed —
 * the seed reaches every random part of the fit (bootstrap samples, feature draws, subsampling,
 * binning samples). Cached as a saved model in the cache entry; the fitted model is loaded from it
 * only when a later step needs it, so a fully cached walk never builds it. What the fit reports
 * as it goes (its parameters, the loss per iteration, an out-of-bag score: autologging) is
 * recorded with it and recorded on the walk's run each time, computed or cached alike.
 */
import path from "node:path";
import { type Json, withObserver } from "../../core/index.js";
import type { Frame } from "../../data/index.js";
import { loadModel, saveModel, savedModelHash, loadEstimators, type Fitted, type Task } from "../../estimator/index.js";
import { autologObserver } from "../../track/index.js";
import type { CacheValue } from "../cache-value.js";
import { step } from "../step.js";
import type { Candidate } from "./cross-validate.js";

export interface FitInputs {
  candidate: Pick<Candidate, "name" | "params">;
  task: Task;
  train: Frame;
  /** Content hash of `train`. */
  trainHash: string;
  target: string;
  seed: number;
}

export interface FitOutput {
  /** The fitted model (built on first call when it comes from the cache). */
  fitted(): Promise<Fitted>;
  /** The saved model's folder (in the cache); null when the walk has no cache. */
  dir: string | null;
  /** SHA-256 of the saved model's bytes; null when the walk has no cache. */
  hash: string | null;
  /** Seconds the fit took. */
  seconds: number;
  /** What the fit reported, as autologging names it. */
  log: FitLog;
}

export interface FitLog {
  params: Record<string, Json>;
  /** Per-iteration losses (`train_loss`, step = iteration) and other metrics the fit emitted. */
  metrics: { key: string; value: number; step: number }[];
}

/** The fitted model of each output computed in this process, for `save`. */
const computed = new WeakMap<FitOutput, Fitted>();

export const fitStep = step<FitInputs, FitOutput>({
  name: "fit",
  label: (i) => `fit ${i.candidate.name} on all training rows`,
  key: (i) => ({ train: i.trainHash, target: i.target, model: i.candidate.name, params: i.candidate.params, task: i.task, seed: i.seed }),
  async run(i, { threads }) {
    const [{ trainingSpec }, { Rng }] = await Promise.all([import("../../project/index.js"), import("../../core/index.js"), loadEstimators()]);
    const log: FitLog = { params: {}, metrics: [] };
    const recorder = { logMetric: (key: string, value: number, step = 0) => void log.metrics.push({ key, value, step }), autologParam: (key: string, value: Json | undefined) => void (log.params[key] ??= value ?? null), autologTag: () => undefined };
    const t0 = performance.now();
    const fitted = await withObserver(autologObserver(recorder), () => trainingSpec(i.candidate.name, i.task, i.candidate.params).fit(i.train, { target: i.target, rng: new Rng(i.seed), threads }));
    const output: FitOutput = { fitted: async () => fitted, dir: null, hash: null, seconds: (performance.now() - t0) / 1000, log };
    computed.set(output, fitted);
    return output;
  },
  save(o, dir) {
    saveModel(computed.get(o)!, path.join(dir, "model"));
    return { seconds: o.seconds, log: o.log as unknown as CacheValue };
  },
  load(value, dir) {
    const { seconds, log } = value as unknown as { seconds: number; log: FitLog };
    const model = path.join(dir, "model");
    let loaded: Promise<Fitted> | undefined;
    return { seconds, log, dir: model, hash: savedModelHash(model), fitted: () => (loaded ??= loadFitted(model)) };
  },
  track(o, run) {
    for (const [k, v] of Object.entries(o.log.params)) run.autologParam(k, v);
    for (const m of o.log.metrics) run.logMetric(m.key, m.value, m.step);
  },
});

/** Load a saved model, once the entry point's estimator kinds are loaded (`loadEstimators`). */
export async function loadFitted(dir: string): Promise<Fitted> {
  await loadEstimators();
  return loadModel(dir);
}
