/**
 * The library API for tracking: `startRun` / `withRun` give an `ActiveRun` to log params,
 * metrics, tags, artifacts, dataset inputs and the hypothesis to. Metrics are buffered and
 * written in batches (when `flushEvery` points are waiting, every `flushIntervalMs`, and at
 * `end`), so a training loop can log 100,000 points a second into SQLite. Inside `withRun`,
 * events that estimators, cross-validation and tuning emit (src/core/observe.ts) are logged
 * automatically, and a run that throws ends FAILED. A run beats while it is open (see
 * `core/heartbeat.ts`), so a run whose process was killed is marked FAILED by the next
 * `keel run` or `keel gc` instead of staying RUNNING forever.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { InvalidInputError, KeelError, NotFoundError, AlreadyExistsError, show, withObserver, type Json, startHeartbeat, type Heartbeat } from "../core/index.js";
import type { Frame } from "../data/index.js";
import { saveModel, type Fitted, type ModelArtifact } from "../estimator/index.js";
import { defaultStoreUri, type ArtifactEntry, type ArtifactStore } from "../backend/index.js";
import { autologObserver, type AutologOptions } from "./autolog.js";
import { datasetFromFrame } from "./dataset.js";
import { environmentTags } from "./environment.js";
import { openStore } from "./open-store.js";
import { LIMITS, type TrackingStore } from "./store.js";
import { TAG } from "./system-tags.js";
import { checkKey, checkStatus } from "./validation.js";
import type { DatasetInput, Metric, Param, RunInfo, RunStatus, RunTag } from "../wire/index.js";

/** Options of `startRun` and `withRun`: the store, the experiment, the run's name and tags, its parent, autologging and flushing. */
export interface StartRunOptions {
  /** A store or its URI (default: `openStore()`'s default, opened once per process). */
  store?: TrackingStore | string;
  /** Where artifacts go (default: the store backend's, `store.backend.artifacts`). */
  artifacts?: ArtifactStore;
  /** Experiment name (created when missing). Default: the Default experiment. */
  experiment?: string;
  /** Experiment id (instead of a name). */
  experimentId?: string;
  /** Run name (default: generated). */
  name?: string;
  /** Why this run: what you expect and why. */
  hypothesis?: string;
  /** Enclosing run. Default: the run of the enclosing `withRun`, if any; `null` forces a top-level run. */
  parentRunId?: string | null;
  tags?: Record<string, string>;
  /** Record git commit/dirty, Node and package versions as tags (default true). */
  environment?: boolean;
  /** Metric points buffered before a write (default 10,000). */
  flushEvery?: number;
  /** Longest a point waits in the buffer, ms (default 1,000). */
  flushIntervalMs?: number;
  /** `withRun` only: log estimator events automatically (default true). */
  autolog?: boolean | AutologOptions;
  /**
   * Heartbeat interval, ms (default `KEEL_HEARTBEAT_MS`, else 10 s; 0 = none): the run is
   * presumed dead after six missed beats.
   */
  heartbeatMs?: number;
}

const scope = new AsyncLocalStorage<ActiveRun>();
const openStores = new Map<string, Promise<TrackingStore>>();

/**
 * The run of the innermost enclosing `withRun`, if any.
 * @example
 * ```ts
 * activeRun()?.logMetric("rows_seen", 1000);
 * ```
 */
export function activeRun(): ActiveRun | undefined {
  return scope.getStore();
}

async function resolveStore(store: TrackingStore | string | undefined): Promise<TrackingStore> {
  if (store !== undefined && typeof store !== "string") return store;
  const uri = store ?? defaultStoreUri();
  let p = openStores.get(uri);
  if (!p) {
    p = openStore(uri);
    openStores.set(uri, p);
    p.catch(() => openStores.delete(uri));
  }
  return p;
}

/**
 * Close the stores `startRun` opened from URIs (tests, scripts that want to exit cleanly).
 * @example
 * ```ts
 * await withRun({ experiment: "credit" }, async (run) => run.logMetric("x", 1));
 * await closeTrackingStores();
 * ```
 */
export async function closeTrackingStores(): Promise<void> {
  const all = [...openStores.values()];
  openStores.clear();
  for (const p of all) await (await p).close().catch(() => undefined);
}

async function resolveExperiment(store: TrackingStore, options: StartRunOptions): Promise<string> {
  if (options.experimentId !== undefined) return options.experimentId;
  if (options.experiment === undefined) return "0";
  try {
    return (await store.getExperimentByName(options.experiment)).experimentId;
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
  }
  try {
    return await store.createExperiment({ name: options.experiment });
  } catch (e) {
    if (e instanceof AlreadyExistsError) return (await store.getExperimentByName(options.experiment)).experimentId; // created meanwhile
    throw e;
  }
}

/**
 * A param value as MLflow stores it: strings as they are, everything else as JSON.
 * @example
 * ```ts
 * paramString({ C: 1 }); // '{"C":1}'
 * paramString("l2"); // "l2"
 * ```
 */
export function paramString(value: Json | undefined): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "None";
  return JSON.stringify(value);
}

/**
 * Start a run. End it with `run.end()` — or use `withRun`, which always ends it.
 * @example
 * ```ts
 * const run = await startRun({ experiment: "credit", name: "baseline" });
 * await run.logParam("C", 1);
 * run.logMetric("roc_auc", 0.81);
 * await run.end();
 * ```
 */
export async function startRun(options: StartRunOptions = {}): Promise<ActiveRun> {
  const store = await resolveStore(options.store);
  const experimentId = await resolveExperiment(store, options);
  const tags: RunTag[] = options.environment === false ? [] : await environmentTags();
  for (const [key, value] of Object.entries(options.tags ?? {})) tags.push({ key, value });
  const parentRunId = options.parentRunId === null ? undefined : (options.parentRunId ?? activeRun()?.runId);
  const run = await store.createRun({ experimentId, runName: options.name, hypothesis: options.hypothesis, parentRunId, tags, userId: tags.find((t) => t.key === TAG.user)?.value });
  const artifacts = options.artifacts ?? store.backend.artifacts;
  let heartbeat: Heartbeat;
  try {
    heartbeat = await startHeartbeat((timeoutMs) => store.heartbeat(run.info.runId, timeoutMs), { intervalMs: options.heartbeatMs });
  } catch (e) {
    await store.updateRun(run.info.runId, { status: "FAILED", endTime: Date.now() }).catch(() => undefined);
    throw e;
  }
  return new ActiveRun(store, artifacts, run.info, options, heartbeat);
}

/**
 * Run `fn` inside a new run: the run ends FINISHED when `fn` resolves and FAILED when it throws
 * (the error is rethrown). Nested `withRun` calls make child runs. Estimator events are logged
 * unless `autolog: false`.
 * @example
 * ```ts
 * const cv = await withRun({ experiment: "credit" }, async (run) => {
 *   const result = await crossValidate(autoPipeline(logistic()), frame, { target: "Status" });
 *   run.logMetric("cv_roc_auc", result.mean.roc_auc!);
 *   return result;
 * });
 * ```
 */
export async function withRun<T>(options: StartRunOptions, fn: (run: ActiveRun) => Promise<T> | T): Promise<T> {
  const run = await startRun(options);
  let result: T;
  try {
    const body = () => fn(run);
    const auto = options.autolog ?? true;
    result = await scope.run(run, () => (auto === false ? body() : withObserver(autologObserver(run, auto === true ? {} : auto), body)));
  } catch (e) {
    await run.end("FAILED").catch(() => undefined);
    throw e;
  }
  await run.end("FINISHED");
  return result;
}

/**
 * A run being logged to. Not safe to share between processes; safe between async tasks.
 * @example
 * ```ts
 * const run = await startRun({ experiment: "credit" });
 * run.logMetric("loss", 0.3, 1);
 * await run.logArtifact("report.html");
 * await run.end("FINISHED");
 * ```
 */
export class ActiveRun {
  readonly runId: string;
  readonly experimentId: string;
  readonly artifactUri: string;
  private pendingMetrics: Metric[] = [];
  private pendingParams = new Map<string, string>();
  private pendingTags = new Map<string, string>();
  /** Params this run holds (logged or pending), to skip conflicting autologged values. */
  private params = new Map<string, string>();
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown = undefined;
  private timer: NodeJS.Timeout | undefined;
  private ended: Promise<RunInfo> | undefined;
  private readonly flushEvery: number;

  constructor(
    readonly store: TrackingStore,
    readonly artifacts: ArtifactStore,
    readonly info: RunInfo,
    options: Pick<StartRunOptions, "flushEvery" | "flushIntervalMs"> = {},
    private readonly heartbeat?: Heartbeat,
  ) {
    this.runId = info.runId;
    this.experimentId = info.experimentId;
    this.artifactUri = info.artifactUri;
    this.flushEvery = Math.max(1, options.flushEvery ?? 10_000);
    const every = options.flushIntervalMs ?? 1000;
    if (every > 0) {
      this.timer = setInterval(() => {
        if (this.pendingMetrics.length > 0 || this.pendingParams.size > 0 || this.pendingTags.size > 0) this.schedule();
      }, every);
      this.timer.unref();
    }
  }

  private check(): void {
    if (this.ended) throw new InvalidInputError(`run ${show(this.runId)} has ended: start a new run to log more`, { path: "run_id", received: this.runId });
    if (this.failure !== undefined) {
      const f = this.failure as Error;
      throw f instanceof KeelError ? f : new InvalidInputError(`run ${show(this.runId)}: an earlier write failed: ${f?.message ?? String(f)}`, { cause: f });
    }
  }

  /** Queue a write of everything buffered; writes happen one after another, in order. */
  private schedule(): void {
    const metrics = this.pendingMetrics;
    const params = [...this.pendingParams].map(([key, value]): Param => ({ key, value }));
    const tags = [...this.pendingTags].map(([key, value]): RunTag => ({ key, value }));
    this.pendingMetrics = [];
    this.pendingParams = new Map();
    this.pendingTags = new Map();
    this.chain = this.chain
      .then(async () => {
        for (let i = 0; i < params.length || i < tags.length; i += LIMITS.batchParams) {
          await this.store.logBatch(this.runId, { params: params.slice(i, i + LIMITS.batchParams), tags: tags.slice(i, i + LIMITS.batchTags) });
        }
        for (let i = 0; i < metrics.length; i += this.flushEvery) await this.store.logMetrics(this.runId, metrics.slice(i, i + this.flushEvery));
      })
      .catch((e) => {
        this.failure ??= e;
      });
  }

  /** Write everything buffered now; throws the first write error, if any. */
  async flush(): Promise<void> {
    this.schedule();
    await this.chain;
    if (this.failure !== undefined) throw this.failure;
  }

  /** Log one param now (INVALID_INPUT if the key already holds another value). */
  async logParam(key: string, value: Json): Promise<void> {
    await this.logParams({ [key]: value });
  }

  /** Log params now; non-strings are stored as JSON. With `prefix`, keys become `prefix.key`. */
  async logParams(params: Record<string, Json | undefined>, prefix?: string): Promise<void> {
    this.check();
    const list: Param[] = Object.entries(params).map(([k, v]) => ({ key: prefix ? `${prefix}.${k}` : k, value: paramString(v) }));
    await this.flush();
    for (let i = 0; i < list.length; i += LIMITS.batchParams) await this.store.logBatch(this.runId, { params: list.slice(i, i + LIMITS.batchParams) });
    for (const p of list) this.params.set(p.key, p.value);
  }

  /**
   * Buffer one metric point (written in batches). `step` defaults to 0, `timestamp` to now (ms).
   * Throws at once for an invalid key or value, and if an earlier batch failed.
   */
  logMetric(key: string, value: number, step = 0, timestamp = Date.now()): void {
    this.check();
    checkKey("metric", key);
    if (typeof value !== "number") throw new InvalidInputError(`metric ${show(key)}: value ${show(value)} is not a number`, { path: `metrics.${key}`, expected: "a number", received: value });
    if (!Number.isSafeInteger(step)) throw new InvalidInputError(`metric ${show(key)}: step ${show(step)} is not an integer`, { path: `metrics.${key}.step`, expected: "an integer", received: step });
    this.pendingMetrics.push({ key, value, step, timestamp });
    if (this.pendingMetrics.length >= this.flushEvery) this.schedule();
  }

  /** Buffer several metrics at one step. */
  logMetrics(metrics: Record<string, number>, step = 0): void {
    const t = Date.now();
    for (const [k, v] of Object.entries(metrics)) this.logMetric(k, v, step, t);
  }

  /** Set a tag now. */
  async setTag(key: string, value: string): Promise<void> {
    this.check();
    await this.flush();
    await this.store.setTag(this.runId, { key, value: String(value) });
  }

  async setTags(tags: Record<string, string>): Promise<void> {
    this.check();
    await this.flush();
    const list = Object.entries(tags).map(([key, value]) => ({ key, value: String(value) }));
    for (let i = 0; i < list.length; i += LIMITS.batchTags) await this.store.logBatch(this.runId, { tags: list.slice(i, i + LIMITS.batchTags) });
  }

  async deleteTag(key: string): Promise<void> {
    this.check();
    await this.flush();
    await this.store.deleteTag(this.runId, key);
  }

  /** Record (or revise) why this run exists. */
  async setHypothesis(text: string): Promise<void> {
    this.check();
    if (typeof text !== "string") throw new InvalidInputError(`hypothesis ${show(text)} is not a string`, { path: "hypothesis", received: text });
    await this.flush();
    await this.store.updateRun(this.runId, { hypothesis: text });
  }

  /** Autolog path: buffer a param unless the run already holds another value for it. */
  autologParam(key: string, value: Json | undefined): void {
    if (this.ended || this.failure !== undefined) return;
    let v = paramString(value);
    if (v.length > LIMITS.paramValueLength) v = v.slice(0, LIMITS.paramValueLength);
    const held = this.params.get(key);
    if (held !== undefined) return; // same value: nothing to do; another value: keep the first
    try {
      checkKey("param", key);
    } catch {
      return;
    }
    this.params.set(key, v);
    this.pendingParams.set(key, v);
  }

  /** Autolog path: buffer a tag. */
  autologTag(key: string, value: string): void {
    if (this.ended || this.failure !== undefined) return;
    try {
      checkKey("tag", key);
    } catch {
      return;
    }
    this.pendingTags.set(key, String(value).slice(0, LIMITS.tagValueLength));
  }

  /**
   * Store a file, a folder (recursively) or bytes as artifacts. `name` is the artifact path
   * (default: the file's or folder's base name; required for bytes).
   */
  async logArtifact(source: string | Uint8Array, name?: string): Promise<ArtifactEntry[]> {
    this.check();
    if (typeof source === "string") {
      let st;
      try {
        st = await stat(source);
      } catch {
        throw new NotFoundError(`artifact source ${show(source)} does not exist`, { path: source });
      }
      if (st.isDirectory()) return this.artifacts.writeDir(this.artifactUri, source, name ?? path.basename(path.resolve(source)));
      return [await this.artifacts.writeFile(this.artifactUri, source, name)];
    }
    if (!(source instanceof Uint8Array)) throw new InvalidInputError("logArtifact takes a path or bytes", { path: "source" });
    if (!name) throw new InvalidInputError("logArtifact: a name is required for bytes", { path: "name" });
    return [await this.artifacts.write(this.artifactUri, name, source)];
  }

  /** Store text (UTF-8) as an artifact. */
  async logText(name: string, text: string): Promise<ArtifactEntry> {
    this.check();
    return this.artifacts.write(this.artifactUri, name, text);
  }

  /**
   * Save a fitted model (or its artifact) under `artifactPath` (default "model") in Keel's model
   * format; the registry creates versions from it. Returns the files written.
   */
  async logModel(model: Fitted | ModelArtifact, artifactPath = "model", meta: Record<string, Json> = {}): Promise<ArtifactEntry[]> {
    this.check();
    const dir = await mkdtemp(path.join(os.tmpdir(), "keel-model-"));
    try {
      const target = path.join(dir, "model");
      saveModel(model, target, { meta: { ...meta, runId: this.runId } });
      return await this.artifacts.writeDir(this.artifactUri, target, artifactPath);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Record a dataset the run used: a `DatasetInput`, or a Frame with a name (hashed here). */
  async logInput(input: DatasetInput | { frame: Frame; name: string; source?: string; context?: string }): Promise<DatasetInput> {
    this.check();
    const di = "frame" in input ? datasetFromFrame(input.frame, input) : input;
    await this.flush();
    await this.store.logInputs(this.runId, [di]);
    return di;
  }

  /**
   * Flush and set the final status (default FINISHED) and end time. Later calls return the
   * first call's result.
   */
  end(status: RunStatus = "FINISHED"): Promise<RunInfo> {
    if (this.ended) return this.ended;
    checkStatus(status);
    if (this.timer) clearInterval(this.timer);
    this.ended = (async () => {
      let flushError: unknown;
      try {
        await this.flush();
      } catch (e) {
        flushError = e;
      }
      await this.heartbeat?.stop();
      const info = await this.store.updateRun(this.runId, { status: flushError === undefined ? status : "FAILED", endTime: Date.now() });
      if (flushError !== undefined) throw flushError;
      return info;
    })();
    return this.ended;
  }
}
