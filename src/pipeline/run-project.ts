/**
 * `keel run`: the practice good ML teams follow by hand, as one reproducible, cached run —
 * load and validate, profile (stop on target leaks), split and seal the test set, baselines then
 * every candidate cross-validated with the whole pipeline inside the folds, the best refitted and
 * evaluated once on the test set (intervals, subgroups, a verdict), registered with a model card
 * under the alias `challenger`. Every step is tracked under one parent run, and cached by the
 * content hash of its inputs (data, config section, code version).
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { InvalidInputError, show } from "../core/errors.js";
import type { Json } from "../core/observe.js";
import { progress } from "../core/progress.js";
import { Rng } from "../core/rng.js";
import { frameHash } from "../data/frame-hash.js";
import { type Profile, profile, profileToHtml } from "../data/profile/index.js";
import { loadModel, saveModel } from "../estimator/artifact.js";
import { classTarget, inferTask, numericTarget } from "../estimator/input.js";
import type { Fitted, Task } from "../estimator/types.js";
import { type CvSpec, crossValidate } from "../evaluate/cv/index.js";
import { orderClasses, scoreFitted } from "../evaluate/score.js";
import { type MetricTask, defaultMetrics, scorer, scorersFor } from "../metrics/index.js";
import { expandBaseline, modelSpec, trainingSpec, catalogLookup } from "../project/catalog.js";
import { type ModelEntry, type Project, loadProject } from "../project/config.js";
import { openRegistry, registerModel } from "../registry/index.js";
import { type ActiveRun, type TrackingStore, gitInfo, keelVersion, openStore, withRun } from "../track/index.js";
import { StepCache } from "./cache.js";
import { codeVersion } from "./code-version.js";
import { modelCard } from "./model-card.js";
import { evaluateOnTest, type TestEvaluation } from "./steps/evaluate.js";
import type { CandidateSummary, RunSummary } from "./summary.js";
import { loadData } from "./steps/load.js";
import { splitData } from "./steps/split.js";

export interface RunProjectOptions {
  /** The project folder (with keel.yaml) or the keel.yaml file. */
  project: string;
  /** Tracking store URI (default: `defaultStoreUri` for the project: KEEL_STORE, MLFLOW_TRACKING_URI, else `keel.db` in KEEL_HOME or `<project>/.keel`). */
  store?: string;
  /** Ignore cached steps and recompute everything. */
  force?: boolean;
  /** Worker threads for cross-validation and fitting. */
  threads?: number;
}

const STEPS = 6;

/** Run a project end to end; see the module comment. Throws KeelErrors for bad config or data (nothing registered). */
export async function runProject(options: RunProjectOptions): Promise<RunSummary> {
  const started = performance.now();
  const project = loadProject(options.project);
  const c = project.config;
  const keelDir = path.join(project.dir, ".keel");
  mkdirSync(keelDir, { recursive: true });
  const version = keelVersion();
  const cache = new StepCache(path.join(keelDir, "cache"), codeVersion(version));
  const stats = { hits: 0, misses: 0 };
  const cached = <T extends Json>(step: string, key: string): T | undefined => {
    if (options.force) return undefined;
    const v = cache.get<T>(step, key);
    if (v !== undefined) stats.hits++;
    return v;
  };

  // 1. load and validate
  progress(`1/${STEPS} load and validate`, 0, STEPS);
  const loaded = await loadData(project);
  const frame = loaded.frame;
  const target = c.problem.target;
  const dataHash = frameHash(frame);
  const inferred = inferTask(frame, target);
  const task = checkTask(project, inferred);
  const estTask: Task = task === "regression" ? "regression" : "classification";
  const classes = estTask === "classification" ? orderClasses(classTarget(frame, target).classes, c.problem.positive) : null;
  if (estTask === "regression") numericTarget(frame, target);
  const metrics = metricList(project, task);
  const primary = scorer(c.problem.metric);

  const store = await openStore(options.store, { projectDir: project.dir });
  const git = await gitInfo(project.dir);
  return withRun(
    { store, experiment: c.name, name: `${c.name}-run`, hypothesis: c.problem.why ?? undefined, parentRunId: null, tags: { "keel.project": c.name, "keel.step": "run" } },
    async (parent) => {
      await parent.logParams({ task, target, metric: c.problem.metric, test_size: c.split.test, seed: c.split.seed, folds: c.cv.folds, data_hash: dataHash, models: c.models.map(entryLabel).join(",") });
      await parent.logInput({ frame, name: path.basename(c.data.source.startsWith("sql:") ? "query" : c.data.source), source: c.data.source, context: "all" });

      // 2. profile (cached by data hash), leak suspects stop the run
      progress(`2/${STEPS} profile`, 1, STEPS);
      const prof = profileStep(cache, cached, stats, dataHash, frame, target, task, parent);
      const p = await prof;
      const leaks = p.warnings.filter((w) => w.code === "TARGET_LEAK_SUSPECT" && w.column && !c.data.allow_leaks.includes(w.column));
      if (leaks.length > 0) {
        throw new InvalidInputError(
          `target leak suspected: ${leaks.map((w) => w.message).join("; ")}. Drop the column (data.drop in ${path.basename(project.file)}) or, if it is legitimate, list it under data.allow_leaks`,
          { path: "data.drop", expected: "no single feature that predicts the target almost perfectly", received: leaks.map((w) => w.column) },
        );
      }

      // 3. split and seal
      progress(`3/${STEPS} split and seal the test set`, 2, STEPS);
      const codes = classes ? classTarget(frame, target, classes).y : null;
      const split = splitData(frame, c, codes);
      parent.logMetrics({ train_rows: split.train.nRows, test_rows: split.test.nRows, test_exact_duplicates: split.duplicates.exact, ...(split.duplicates.near === null ? {} : { test_near_duplicates: split.duplicates.near }) });
      await parent.setTags({ "keel.train_hash": split.trainHash, "keel.test_hash": split.test.hash, "keel.split": split.description });

      // 4. candidates, baselines first
      const cvSpec: CvSpec = c.data.time ? { kind: "time", nSplits: c.cv.folds, gap: c.split.gap ?? 0 } : c.cv.folds;
      const cvDescription = c.data.time ? `time-ordered, ${c.cv.folds} expanding-window splits${c.split.gap ? `, gap ${c.split.gap}` : ""}` : `${estTask === "classification" ? "stratified " : ""}${c.cv.folds}-fold`;
      const entries = expandEntries(c.models, estTask);
      const candidates: CandidateSummary[] = [];
      for (const [i, entry] of entries.entries()) {
        progress(`4/${STEPS} cross-validate ${entryLabel(entry)}`, 3 + i / entries.length, STEPS);
        candidates.push(await candidateStep(entry, { store, experimentId: parent.experimentId, cache, cached, stats, split, target, estTask, task, classes, metrics, primary: c.problem.metric, cvSpec, seed: c.split.seed, threads: options.threads, version }));
      }
      const best = chooseBest(candidates, primary.greaterIsBetter);
      const bestEntry = entries[candidates.indexOf(best)];

      // 5. refit the chosen model on all training rows, evaluate once on the test set
      progress(`5/${STEPS} refit ${best.model} and evaluate on the test set`, 4, STEPS);
      const fitKey = cache.key("refit", { train: split.trainHash, target, spec: trainingSpec(bestEntry.name, estTask, bestEntry.params).toJSON(), seed: c.split.seed, classes });
      const fitted = await refitStep(cache, cached, stats, fitKey, bestEntry, estTask, split.train, target, c.split.seed, options.threads);
      const testFrame = split.test.unseal("final evaluation");
      const job = { target, task, classes, metrics };
      const subgroupNames = [...new Set([c.problem.metric, ...c.problem.guards, ...(task === "regression" ? ["rmse", "mae"] : ["accuracy", ...(task === "binary" ? ["recall"] : [])])])];
      const evalKey = cache.key("evaluate", { fit: fitKey, test: split.test.hash, metrics, protected: c.problem.protected, subgroupNames, seed: c.split.seed });
      let evaluation = cached<TestEvaluation & Json>("evaluate", evalKey) as TestEvaluation | undefined;
      if (!evaluation) {
        stats.misses++;
        evaluation = evaluateOnTest(fitted, testFrame, job, c.problem.protected, { seed: c.split.seed, subgroupMetricNames: subgroupNames });
        cache.put("evaluate", evalKey, evaluation as unknown as Json);
      }
      const baselineName = entries[0].name;
      const baselineFit = await trainingSpec(baselineName, estTask, entries[0].params).fit(split.train, { target, threads: options.threads });
      const baselineValue = scoreFitted(baselineFit, testFrame, { target, task, classes, metrics: [c.problem.metric] }).metrics[c.problem.metric];
      const value = evaluation.metrics[c.problem.metric];
      const better = (a: number, b: number) => (primary.greaterIsBetter ? a > b : a < b);
      const verdict = {
        goodEnough: c.problem.good_enough === null ? null : primary.greaterIsBetter ? value >= c.problem.good_enough : value <= c.problem.good_enough,
        beatsBaseline: better(value, baselineValue),
        metric: c.problem.metric,
        value,
        bar: c.problem.good_enough,
      };
      parent.logMetrics(Object.fromEntries(Object.entries(evaluation.metrics).map(([k, v]) => [`test_${k}`, v])));
      await parent.setTags({ "keel.chosen": best.model, "keel.good_enough": String(verdict.goodEnough), "keel.beats_baseline": String(verdict.beatsBaseline) });

      // 6. register with a model card; alias challenger
      progress(`6/${STEPS} register`, 5, STEPS);
      const summary: RunSummary = {
        runId: parent.runId,
        project: c.name,
        task,
        problem: c.problem,
        greaterIsBetter: primary.greaterIsBetter,
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
          schema: { file: path.relative(project.dir, loaded.schemaFile), written: loaded.schemaWritten },
        },
        cv: cvDescription,
        candidates,
        chosen: best.model,
        chosenKind: best.kind,
        chosenParams: best.params,
        test: evaluation,
        baseline: { model: entryLabel(entries[0]), value: baselineValue },
        subgroups: evaluation.subgroups,
        gaps: evaluation.gaps,
        verdict,
        registered: { name: c.name, version: "", alias: "challenger", reused: false, modelHash: "" },
        warnings: p.warnings.map((w) => ({ code: w.code, ...(w.column ? { column: w.column } : {}), message: w.message })),
        cache: stats,
        git: git ? { commit: git.commit, dirty: git.dirty } : null,
        keelVersion: version,
        seconds: 0,
      };
      summary.registered = await registerStep(store, parent, summary, { fitDir: cache.entryDir("refit", fitKey) });
      summary.cache = { ...stats };
      summary.seconds = (performance.now() - started) / 1000;
      await parent.logText("summary.json", JSON.stringify(summary, null, 2));
      progress(`done`, STEPS, STEPS);
      return summary;
    },
  ).finally(() => store.close().catch(() => undefined));
}

/** keel.yaml's task must agree with what the target holds. */
function checkTask(project: Project, inferred: ReturnType<typeof inferTask>): MetricTask {
  const declared = project.config.problem.task;
  const actual: MetricTask = inferred.task === "regression" ? "regression" : inferred.binary ? "binary" : "multiclass";
  if (declared === "regression" && actual !== "regression" && inferred.classes && inferred.classes.some((x) => Number.isNaN(Number(x)))) {
    throw new InvalidInputError(`${project.locate("problem.task")}: task is regression but the target ${show(project.config.problem.target)} holds labels (${show(inferred.classes.slice(0, 5))})`, { path: "problem.task", expected: "binary or multiclass", received: declared });
  }
  if (declared !== "regression" && actual === "regression") {
    throw new InvalidInputError(`${project.locate("problem.task")}: task is ${declared} but the target ${show(project.config.problem.target)} looks continuous`, { path: "problem.task", expected: "regression", received: declared });
  }
  if (declared === "binary" && actual === "multiclass") {
    throw new InvalidInputError(`${project.locate("problem.task")}: task is binary but the target has ${inferred.classes!.length} classes (${show(inferred.classes)})`, { path: "problem.task", expected: "multiclass", received: declared });
  }
  if (declared === "multiclass" && actual === "binary") return "multiclass";
  return declared;
}

/** The metrics reported: primary, guards, then the task's defaults; each checked for the task. */
function metricList(project: Project, task: MetricTask): string[] {
  const c = project.config.problem;
  const names = [...new Set([c.metric, ...c.guards, ...defaultMetrics(task)])];
  try {
    scorersFor([c.metric], task);
  } catch (e) {
    throw new InvalidInputError(`${project.locate("problem.metric")}: ${(e as Error).message}`, { path: "problem.metric", received: c.metric });
  }
  c.guards.forEach((g, i) => {
    try {
      scorersFor([g], task);
    } catch (e) {
      throw new InvalidInputError(`${project.locate(`problem.guards.${i}`)}: ${(e as Error).message}`, { path: `problem.guards.${i}`, received: g });
    }
  });
  return names;
}

function entryLabel(e: ModelEntry): string {
  return Object.keys(e.params).length === 0 ? e.name : `${e.name}${JSON.stringify(e.params)}`;
}

/** keel.yaml's model list with `baseline` expanded (dummy first) and each entry checked against the catalog. */
function expandEntries(models: readonly ModelEntry[], task: Task): ModelEntry[] {
  const out: ModelEntry[] = [];
  const seen = new Set<string>();
  const push = (e: ModelEntry) => {
    const k = entryLabel(e);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(e);
    }
  };
  for (const m of models) if (m.name === "baseline") for (const b of expandBaseline(task)) push({ name: b, params: {} });
  if (out.length === 0) push({ name: "dummy", params: {} });
  for (const m of models) if (m.name !== "baseline") {
    catalogLookup(m.name, task, "models");
    modelSpec(m.name, task, m.params);
    push(m);
  }
  return out;
}

interface CandidateContext {
  store: TrackingStore;
  experimentId: string;
  cache: StepCache;
  cached: <T extends Json>(step: string, key: string) => T | undefined;
  stats: { hits: number; misses: number };
  split: ReturnType<typeof splitData>;
  target: string;
  estTask: Task;
  task: MetricTask;
  classes: string[] | null;
  metrics: string[];
  primary: string;
  cvSpec: CvSpec;
  seed: number;
  threads?: number;
  version: string;
}

async function candidateStep(entry: ModelEntry, ctx: CandidateContext): Promise<CandidateSummary> {
  const spec = trainingSpec(entry.name, ctx.estTask, entry.params);
  const { kind } = catalogLookup(entry.name, ctx.estTask);
  const key = ctx.cache.key("cv", { train: ctx.split.trainHash, target: ctx.target, spec: spec.toJSON(), cv: ctx.cvSpec, metrics: ctx.metrics, classes: ctx.classes, seed: ctx.seed });
  const label = entryLabel(entry);
  const hit = ctx.cached<{ mean: Record<string, number>; std: Record<string, number>; folds: Record<string, number>[]; fitSeconds: number }>("cv", key);
  return withRun({ store: ctx.store, experimentId: ctx.experimentId, name: label, tags: { "keel.step": "candidate", "keel.model": label, "keel.cached": String(Boolean(hit)) } }, async (run) => {
    let result = hit;
    if (!result) {
      ctx.stats.misses++;
      const cv = await crossValidate(spec, ctx.split.train, { target: ctx.target, cv: ctx.cvSpec, metrics: ctx.metrics, positive: ctx.classes?.[1] ?? null, rng: ctx.seed, threads: ctx.threads });
      result = { mean: { ...cv.mean }, std: { ...cv.std }, folds: cv.folds.map((f) => ({ ...f.metrics })), fitSeconds: cv.fitSeconds.mean };
      ctx.cache.put("cv", key, result as unknown as Json);
    } else {
      await run.logParams({ model: kind, ...spec.toJSON().params as Record<string, Json> }).catch(() => undefined);
      result.folds.forEach((f, i) => run.logMetrics(Object.fromEntries(Object.entries(f).map(([k, v]) => [`fold_${k}`, v])), i));
    }
    run.logMetrics({ ...Object.fromEntries(Object.entries(result.mean).map(([k, v]) => [`cv_${k}_mean`, v])), ...Object.fromEntries(Object.entries(result.std).map(([k, v]) => [`cv_${k}_std`, v])), fit_seconds: result.fitSeconds });
    const metrics = Object.fromEntries(ctx.metrics.map((m) => [m, { mean: result!.mean[m], std: result!.std[m] }]));
    return { model: label, kind, params: entry.params, cv: metrics[ctx.primary], metrics, fitSeconds: result.fitSeconds, cached: Boolean(hit), runId: run.runId };
  });
}

/** The best candidate by the primary metric's CV mean (ties: the earlier, simpler one). NaN never wins. */
function chooseBest(candidates: CandidateSummary[], greaterIsBetter: boolean): CandidateSummary {
  let best: CandidateSummary | undefined;
  for (const c of candidates) {
    if (!Number.isFinite(c.cv.mean)) continue;
    if (!best || (greaterIsBetter ? c.cv.mean > best.cv.mean : c.cv.mean < best.cv.mean)) best = c;
  }
  if (!best) throw new InvalidInputError("no candidate produced a finite cross-validated score; check the metric and the data", { path: "models" });
  return best;
}

async function profileStep(
  cache: StepCache,
  cached: CandidateContext["cached"],
  stats: { hits: number; misses: number },
  dataHash: string,
  frame: import("../data/frame.js").Frame,
  target: string,
  task: MetricTask,
  parent: ActiveRun,
): Promise<Profile> {
  const key = cache.key("profile", { data: dataHash, target, task });
  let p = cached<Profile & Json>("profile", key) as Profile | undefined;
  let dir = cache.entryDir("profile", key);
  if (!p) {
    stats.misses++;
    const computed = profile(frame, { target, task: task === "regression" ? "regression" : "classification" });
    p = computed;
    dir = cache.put("profile", key, computed as unknown as Json, (d) => {
      mkdirSync(d, { recursive: true });
      writeFileSync(path.join(d, "profile.html"), profileToHtml(computed, { title: `${target}: data profile` }));
    });
  }
  await parent.logArtifact(path.join(dir, "profile.html"), "profile.html");
  await parent.logText("profile.json", JSON.stringify(p));
  return p;
}

async function refitStep(cache: StepCache, cached: CandidateContext["cached"], stats: { hits: number; misses: number }, key: string, entry: ModelEntry, task: Task, train: import("../data/frame.js").Frame, target: string, seed: number, threads?: number): Promise<Fitted> {
  const hit = cached<{ modelHash: string }>("refit", key);
  if (hit) return loadModel(path.join(cache.entryDir("refit", key), "model"));
  stats.misses++;
  const fitted = await trainingSpec(entry.name, task, entry.params).fit(train, { target, rng: new Rng(seed), threads });
  cache.put("refit", key, { modelHash: "" }, (d) => saveModel(fitted, path.join(d, "model")));
  return fitted;
}

/**
 * Log the model and its card on the parent run and register a version with alias `challenger`.
 * When the latest version holds the same model bytes (a cached re-run), it is reused.
 */
async function registerStep(store: TrackingStore, parent: ActiveRun, s: RunSummary, where: { fitDir: string }): Promise<RunSummary["registered"]> {
  const registry = await openRegistry(store);
  const modelDir = path.join(where.fitDir, "model");
  const modelHash = createHash("sha256").update(readFileSync(path.join(modelDir, "manifest.json"))).update(readFileSync(path.join(modelDir, "buffers.bin"))).digest("hex");
  await parent.logArtifact(modelDir, "model");
  const name = s.project;
  let reused: string | null = null;
  try {
    const latest = (await registry.searchModelVersions({ filter: `name = '${name.replace(/'/g, "''")}'`, maxResults: 1, orderBy: ["version_number DESC"] })).items[0];
    if (latest && latest.tags.some((t) => t.key === "keel.model_hash" && t.value === modelHash)) reused = latest.version;
  } catch {
    reused = null;
  }
  let version: string;
  if (reused) {
    version = reused;
  } else {
    const mv = await registerModel({
      registry,
      tracking: store,
      runId: parent.runId,
      name,
      artifactPath: "model",
      description: `${s.chosen} for ${s.problem.target}: test ${s.problem.metric} ${s.verdict.value.toFixed(4)}`,
      tags: {
        "keel.model_hash": modelHash,
        "keel.data_hash": s.data.hash,
        "keel.test_hash": s.data.test.hash,
        "keel.model": s.chosen,
        [`keel.test_${s.problem.metric}`]: String(s.verdict.value),
        "keel.good_enough": String(s.verdict.goodEnough),
        "keel.beats_baseline": String(s.verdict.beatsBaseline),
        ...(s.git ? { "keel.git_commit": s.git.commit } : {}),
      },
      actor: "keel run",
    });
    version = mv.version;
    await parent.logText("model_card.md", modelCard(s, { version, warnings: s.warnings.map((w) => `${w.code}: ${w.message}`) }));
  }
  await registry.setRegisteredModelAlias(name, "challenger", version, { actor: "keel run" });
  return { name, version, alias: "challenger", reused: reused !== null, modelHash };
}
export type { CandidateSummary, RunSummary } from "./summary.js";
