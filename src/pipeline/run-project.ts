/**
 * `keel run`: the practice good ML teams follow by hand, as one reproducible, cached walk of the
 * steps in `steps/` — read and validate, profile (stop on target leaks), split and seal the test
 * set, baselines then every candidate cross-validated with the whole pipeline inside the folds, the
 * best refitted (calibrated and given its decision threshold on the training rows' folds, when
 * keel.yaml asks: `steps/calibrate.ts`) and evaluated once on the test set (intervals, subgroups, a verdict), registered
 * with a model card under the alias `challenger` — only when the verdict passes (it reaches
 * `good_enough` and beats the baseline); otherwise registered without the alias, or not at all
 * with `registerFailing: false`. Every step is tracked under one parent run, and
 * cached by the content hash of its inputs (data, config section, code version).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { classTarget } from "../estimator/input.js";
import type { CvSpec } from "../evaluate/cv/index.js";
import { InvalidInputError, isKeelError } from "../core/errors.js";
import type { Json } from "../core/observe.js";
import type { Frame } from "../data/frame.js";
import { loadProject, type Project, type ProjectConfig } from "../project/config.js";
import { verdictPasses } from "../registry/index.js";
import type { FrozenTrial } from "../tune/index.js";
import { TAG, datasetFromFrame, environmentTags, keelVersion, openStore, reapStaleRuns, withRun } from "../track/index.js";
import { StepCache } from "./cache.js";
import { codeVersion } from "./code-version.js";
import { StepRunner } from "./step-runner.js";
import { biasStep, stopOnBias } from "./steps/bias.js";
import { calibrateStep } from "./steps/calibrate.js";
import { candidateLabel, candidatesStep, chooseCandidate } from "./steps/candidates.js";
import { crossValidateStep } from "./steps/cross-validate.js";
import { finalEvaluationStep } from "./steps/final-evaluation.js";
import { fitStep } from "./steps/fit.js";
import { schemaStep, sourceOf, validateStep } from "./steps/load.js";
import { problemStep } from "./steps/problem.js";
import { profileStep, stopOnLeaks } from "./steps/profile.js";
import { readStep } from "./steps/read.js";
import { registerStep } from "./steps/register.js";
import { splitStep } from "./steps/split.js";
import { tuneStep, tunedCandidate } from "./steps/tune.js";
import { type TuneWorkerOptions, type TuneWorkerSummary, workOnStudy } from "./tune-worker.js";
import { verdictStep } from "./steps/verdict.js";
import type { CandidateSummary, RunSummary } from "./summary.js";

/** Options of `runProject`: the project folder, the store, caching and threads. */
export interface RunProjectOptions {
  /** The project folder (with keel.yaml) or the keel.yaml file. */
  project: string;
  /** Tracking store URI (default: `defaultStoreUri` for the project: KEEL_STORE, MLFLOW_TRACKING_URI, else `keel.db` in KEEL_HOME or `<project>/.keel`). */
  store?: string;
  /** Ignore cached steps and recompute everything. */
  force?: boolean;
  /** Worker threads for cross-validation and fitting. */
  threads?: number;
  /**
   * What to do with a model whose verdict fails (below `good_enough` or not beating the baseline):
   * register it without the `challenger` alias (true) or not at all (false). Default: keel.yaml's
   * `problem.register_failing`, else true.
   */
  registerFailing?: boolean;
  /** A data file read instead of keel.yaml's `data.source` (`keel retrain --data`); relative to the working directory. */
  data?: string;
  /**
   * Data past keel.schema.json's value ranges or category lists: "stop" (default) or "warn" — the
   * run goes on and lists them as warnings (`keel retrain`: fresh data past the old range is the
   * drift it retrains on). Every other schema expectation stops the run either way.
   */
  schemaRanges?: "stop" | "warn";
}

export interface TuneProjectOptions extends Pick<RunProjectOptions, "project" | "store" | "force" | "threads"> {
  /** Trials per tuned candidate, over keel.yaml's `tune.<model>.trials`. */
  trials?: number;
  /** Start no trial after this many milliseconds, over keel.yaml's `tune.<model>.timeout`. */
  timeoutMs?: number;
  /** Trials evaluated at once in this process (default 1). */
  workers?: number;
  /**
   * Enqueue the trials for `keel tune worker` processes (a PostgreSQL store) under this study
   * name — `<study>-<model>` when keel.yaml tunes several models — and wait until they finish.
   */
  queue?: { study: string };
  /** Be a worker of this study instead: run the trials its queue hands out, until it is finished. */
  worker?: TuneWorkerOptions;
}

/** What `keel tune` reports: per tuned candidate, its study and best parameters. */
export interface TuneSummary {
  runId: string;
  project: string;
  metric: string;
  greaterIsBetter: boolean;
  cv: string;
  /** Per tuned candidate; `importance` is fANOVA's share per parameter (null under 2 complete trials), `history` every trial. */
  studies: { model: string; study: string; studyRunId: string | null; bestValue: number; bestParams: Record<string, Json>; bestTrial: number; trials: number; states: Record<string, number>; importance: Record<string, number> | null; history: FrozenTrial[]; cached: boolean }[];
  seconds: number;
}

/**
 * Run a project end to end; see the module comment. Throws KeelErrors for bad config or data
 * (nothing registered).
 *
 * @example
 * const summary = await runProject({ project: "examples/credit" });
 * console.log(summary.chosen, summary.verdict, summary.registered?.dir);
 */
export async function runProject(options: RunProjectOptions): Promise<RunSummary> {
  return (await walk(options, null)) as RunSummary;
}

/**
 * `keel tune`: the steps of `keel run` up to the tuning of the candidates with a `tune:` space —
 * inside cross-validation on the training rows — and no further. Throws when keel.yaml tunes
 * no candidate.
 * @example const t = await tuneProject({ project: "examples/credit", trials: 20 });
 */
export async function tuneProject(options: TuneProjectOptions): Promise<TuneSummary> {
  return (await walk(options, { ...options, worker: undefined })) as TuneSummary;
}

/**
 * `keel tune worker`: the project walked up to its split, then the trials of `worker.study` that
 * its queue hands this process (see `tune-worker.ts`).
 * @example await tuneWorker({ project: "examples/credit", store: "postgres://db/keel", worker: { study: "credit-1" } });
 */
export async function tuneWorker(options: TuneProjectOptions & { worker: TuneWorkerOptions }): Promise<TuneWorkerSummary> {
  return (await walk(options, options)) as TuneWorkerSummary;
}

async function walk(options: RunProjectOptions, tuneOnly: TuneProjectOptions | null): Promise<RunSummary | TuneSummary | TuneWorkerSummary> {
  const started = performance.now();
  const project = loadProject(options.project);
  const c = project.config;
  if (options.data) c.data.source = path.resolve(options.data);
  const cacheDir = path.join(project.dir, ".keel", "cache");
  mkdirSync(cacheDir, { recursive: true });
  const version = keelVersion();
  const runner = new StepRunner({ cache: new StepCache(cacheDir, codeVersion(version, path.join(cacheDir, "code-version.json"))), force: options.force, threads: options.threads });
  runner.plan(c.problem.protected.length > 0 ? 12 : 11); // the steps below, then one per candidate

  // read and validate; check the problem against the data and the models against the catalog
  const read = await runner.runWithInfo(readStep, sourceOf(project));
  const raw = read.output;
  const schema = await runner.run(schemaStep, { project, raw });
  const loaded = await runner.run(validateStep, { project, raw, rawKey: read.key, schema, schemaRanges: options.schemaRanges ?? "stop" });
  const { frame, dataHash } = loaded;
  const target = c.problem.target;
  const { task, estimatorTask: estTask, classes, metrics, greaterIsBetter } = await runner.run(problemStep, { project, frame, dataHash });
  const candidates = await runner.run(candidatesStep, { models: c.models, task: estTask });
  runner.plan(candidates.length);
  if (tuneOnly && !candidates.some((k) => c.tune[k.name])) {
    throw new InvalidInputError(`${project.file}: keel.yaml tunes no candidate; add a tune: block, e.g. tune: { gbdt: { space: { learningRate: { float: [0.01, 0.3], log: true } } } }`, { path: "tune", expected: "a tune: block naming a model in models", received: c.tune });
  }

  const [store, environment] = await Promise.all([openStore(options.store, { projectDir: project.dir }), environmentTags(project.dir)]);
  // runs an earlier keel run left RUNNING when it was killed: FAILED, their temporary files gone
  await reapStaleRuns(store, store.backend.artifacts);
  const envTags = Object.fromEntries(environment.map((t) => [t.key, t.value]));
  const git = envTags[TAG.gitCommit] ? { commit: envTags[TAG.gitCommit], dirty: envTags[TAG.gitDirty] === "true" } : null;
  return withRun(
    { store, experiment: c.name, name: `${c.name}-${tuneOnly?.worker ? "tune-worker" : tuneOnly ? "tune" : "run"}`, hypothesis: c.problem.why ?? undefined, parentRunId: null, tags: { ...envTags, "keel.project": c.name, "keel.step": tuneOnly?.worker ? "tune-worker" : tuneOnly ? "tune-run" : "run" }, environment: false, autolog: false },
    async (parent) => {
      runner.attach(parent, envTags);
      await parent.logParams({ task, target, metric: c.problem.metric, test_size: c.split.test, seed: c.split.seed, folds: c.cv.folds, ...(c.cv.repeats > 1 ? { repeats: c.cv.repeats } : {}), data_hash: dataHash, models: c.models.map(candidateLabel).join(",") });
      await parent.logInput(datasetFromFrame(frame, { digest: dataHash, name: path.basename(c.data.source.startsWith("sql:") ? "query" : c.data.source), source: c.data.source, context: "all" }));

      const { profile } = await runner.run(profileStep, { frame, dataHash, target, task });
      stopOnLeaks(project, profile);
      // pre-training bias of the protected columns, before any fitting; keel.yaml's bias: bounds stop the walk
      const bias = c.problem.protected.length > 0 ? await runner.run(biasStep, { frame, dataHash, target, protected: c.problem.protected, positive: task === "binary" ? c.problem.positive : null }) : null;
      if (bias) await stopOnBias(project, bias);
      const split = await runner.run(splitStep, { frame, dataHash, config: c, classCodes: classes ? classTarget(frame, target, classes).y : null });

      // candidates, baselines first, cross-validated on the training rows only
      const cv = cvSpec(c);
      if (c.data.time) await checkTimeFolds(project, split.train, cv);
      // the group column decides the folds; it is no feature
      const exclude = c.split.group ? [c.split.group] : undefined;
      const features = exclude ? split.train.drop(exclude) : split.train;
      const featuresHash = exclude ? `${split.trainHash}-without-${c.split.group}` : split.trainHash;
      const inputs = (candidate: (typeof candidates)[number]) => ({ candidate, task: estTask, train: split.train, trainHash: split.trainHash, target, cv, metric: c.problem.metric, classes, seed: c.split.seed, exclude });
      if (tuneOnly?.worker) {
        const done = await workOnStudy(store, parent.experimentId, candidates, inputs, (m) => c.tune[m], { ...tuneOnly.worker, threads: options.threads, trainHash: split.trainHash });
        await parent.logParams({ study: done.study, model: done.model });
        parent.logMetrics({ trials_told: Object.values(done.told).reduce((a, b) => a + b, 0), trials_retried: done.retried });
        return { ...done, runId: parent.runId, seconds: (performance.now() - started) / 1000 } satisfies TuneWorkerSummary;
      }
      // candidates with a tune: space get the best parameters a study finds inside the folds
      const studies: TuneSummary["studies"] = [];
      const tunedCount = candidates.filter((k) => c.tune[k.name]).length;
      for (const [k, candidate] of candidates.entries()) {
        const t = c.tune[candidate.name];
        if (!t) continue;
        const tune = { ...t, ...(tuneOnly?.trials ? { trials: tuneOnly.trials } : {}), ...(tuneOnly?.timeoutMs ? { timeout: `${tuneOnly.timeoutMs}ms` } : {}) };
        const queue = tuneOnly?.queue ? { study: tunedCount > 1 ? `${tuneOnly.queue.study}-${candidate.name}` : tuneOnly.queue.study } : undefined;
        const r = await runner.runWithInfo(tuneStep, { ...inputs(candidate), greaterIsBetter, tune, studyPrefix: c.name, concurrency: tuneOnly?.workers, ...(queue ? { queue } : {}) });
        studies.push({ model: candidate.label, ...r.output, cached: r.cached });
        candidates[k] = tunedCandidate(candidate, r.output.bestParams, candidateLabel);
      }
      if (tuneOnly) {
        return { runId: parent.runId, project: c.name, metric: c.problem.metric, greaterIsBetter, cv: `${c.cv.folds} folds${c.cv.repeats > 1 ? ` × ${c.cv.repeats}` : ""}`, studies, seconds: (performance.now() - started) / 1000 } satisfies TuneSummary;
      }
      const summaries: CandidateSummary[] = [];
      let cvDescription = "";
      for (const candidate of candidates) {
        const r = await runner.runWithInfo(crossValidateStep, { candidate, task: estTask, train: split.train, trainHash: split.trainHash, target, cv, metrics, classes, seed: c.split.seed, exclude });
        const byMetric = Object.fromEntries(metrics.map((m) => [m, { mean: r.output.mean[m], std: r.output.std[m] }]));
        cvDescription = r.output.description;
        summaries.push({ model: candidate.label, kind: candidate.kind, params: candidate.params, cv: byMetric[c.problem.metric], metrics: byMetric, folds: r.output.folds.length, fitSeconds: r.output.fitSeconds, cached: r.cached, runId: r.runId ?? "" });
      }
      const choice = chooseCandidate(summaries, greaterIsBetter);
      const best = summaries[choice.chosen];
      const chosen = candidates[choice.chosen];

      // refit the chosen model on all training rows, evaluate it once on the test set, judge it
      const fitted = await runner.run(fitStep, { candidate: chosen, task: estTask, train: features, trainHash: featuresHash, target, seed: c.split.seed });
      // calibrate and choose the decision threshold on the training rows, when keel.yaml asks
      const decide = classes !== null && (c.problem.calibration !== "none" || c.problem.threshold !== null);
      if (decide) runner.plan(1);
      const decided = decide ? await runner.run(calibrateStep, { candidate: chosen, task: estTask, train: split.train, trainHash: split.trainHash, exclude, target, cv, seed: c.split.seed, classes, calibration: c.problem.calibration, threshold: c.problem.threshold, fitted }) : null;
      const model = decided ?? fitted;
      const subgroupMetricNames = [...new Set([c.problem.metric, ...c.problem.guards, ...(task === "regression" ? ["rmse", "mae"] : ["accuracy", ...(task === "binary" ? ["recall"] : [])])])];
      const final = await runner.run(finalEvaluationStep, {
        model,
        test: split.test,
        job: { target, task, classes, metrics },
        protected: c.problem.protected,
        subgroupMetricNames,
        seed: c.split.seed,
        baseline: candidates[0],
        task: estTask,
        train: features,
        trainHash: featuresHash,
        primary: c.problem.metric,
        exclude,
      });
      const evaluation = final.evaluation;
      const value = evaluation.metrics[c.problem.metric];
      const verdict = await runner.run(verdictStep, { chosen: best.model, metric: c.problem.metric, value, baseline: final.baseline, bar: c.problem.good_enough, greaterIsBetter });

      const facts: Omit<RunSummary, "registered"> = {
        runId: parent.runId,
        project: c.name,
        task,
        problem: c.problem,
        greaterIsBetter,
        data: {
          source: c.data.source,
          rows: frame.nRows,
          hash: dataHash,
          missingTarget: loaded.missingTarget,
          dropped: c.data.drop,
          time: c.data.time,
          split: split.description,
          train: { rows: split.train.nRows, hash: split.trainHash },
          test: { rows: split.test.nRows, hash: split.test.hash },
          duplicates: split.duplicates,
          schema: { file: path.relative(project.dir, schema.file), written: schema.written, notes: schema.notes },
        },
        cv: `${cvDescription}${c.data.time || c.split.group || !c.cv.shuffle ? "" : ` (seed ${c.split.seed})`}`,
        candidates: summaries,
        chosen: best.model,
        choice: choice.reason,
        chosenKind: best.kind,
        chosenParams: best.params,
        test: evaluation,
        baseline: { model: candidates[0].label, value: final.baseline },
        ...(bias ? { bias } : {}),
        subgroups: evaluation.subgroups,
        gaps: evaluation.gaps,
        verdict,
        decision: decided?.decision ?? null,
        warnings: [
          ...profile.warnings.map((w) => ({ code: w.code, ...(w.column ? { column: w.column } : {}), message: w.message })),
          ...final.perfect.map((p) => ({ code: "PERFECT_TEST_SCORE", message: p.message })),
          ...loaded.schemaDrift,
        ],
        cache: runner.stats,
        git,
        keelVersion: version,
        seconds: 0,
      };
      const passes = verdictPasses(verdict);
      const registered = passes || (options.registerFailing ?? c.problem.register_failing) ? await runner.run(registerStep, { summary: facts, model, alias: passes ? "challenger" : null, test: split.test, reference: { frame: features, seed: c.split.seed } }) : null;
      const { currentChampion, gatesStep } = await import("./steps/gates.js");
      let gates: RunSummary["gates"] = null;
      runner.plan(1);
      try {
        const champion = await currentChampion(store, c.name);
        gates = await runner.run(gatesStep, { config: c, store, model, dir: registered?.dir ?? model.dir ?? null, test: split.test, exclude, version: registered?.version ?? null, champion });
      } catch (e) {
        // the gates are a report here (keel promote acts on them): a champion that cannot be loaded is a warning, not a failed run
        if (!isKeelError(e)) throw e;
        facts.warnings.push({ code: "GATES_NOT_EVALUATED", message: `the promotion gates could not be evaluated: ${e.message}` });
      }
      const summary: RunSummary = { ...facts, registered, gates, cache: { ...runner.stats }, seconds: (performance.now() - started) / 1000 };
      await parent.logText("summary.json", JSON.stringify(summary, null, 2));
      return summary;
    },
  ).finally(() => store.close().catch(() => undefined));
}

/**
 * The folds keel.yaml asks for: time-ordered expanding windows cut between two times with
 * `data.time`; group k-fold with `split.group`; else (stratified for classification) k-fold,
 * shuffled with the run's seed unless `cv.shuffle: false`, repeated `cv.repeats` times.
 */
export function cvSpec(c: ProjectConfig): CvSpec {
  if (c.data.time) return { kind: "time", nSplits: c.cv.folds, gap: c.split.gap ?? 0, time: c.data.time };
  if (c.split.group) return { kind: "group", k: c.cv.folds, groups: c.split.group };
  return { k: c.cv.folds, shuffle: c.cv.shuffle, repeats: c.cv.repeats };
}

/** Time-ordered folds that cannot be cut (too few distinct times for the folds, a gap too long) are a keel.yaml problem: say which line. */
async function checkTimeFolds(project: Project, train: Frame, cv: CvSpec): Promise<void> {
  const { timeSeriesSplit } = await import("../data/split/index.js");
  const spec = cv as { nSplits?: number; gap?: number | string; time?: string };
  try {
    timeSeriesSplit(train, { nSplits: spec.nSplits, gap: spec.gap, time: spec.time });
  } catch (e) {
    if (!(e instanceof InvalidInputError)) throw e;
    const at = /gap/.test(e.message) && !/splits/.test(e.message) ? "split.gap" : "cv.folds";
    throw new InvalidInputError(`${project.locate(at)}: the time-ordered folds cannot be cut on the training rows: ${e.message}`, { path: at, expected: e.expected, received: e.received });
  }
}

export type { CandidateSummary, RunSummary } from "./summary.js";
