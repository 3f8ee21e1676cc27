/**
 * Starting the data plane: resolve each model reference (a folder, or `models:/...` through the
 * registry of `--store`), load and warm every version, listen, and report ready. `close` drains:
 * the server reports not ready, stops accepting connections, lets the requests in flight finish,
 * then releases the store.
 */
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { type Backend, type SqlBackend, findProjectDir, openBackend, parseStoreUri, resolveStoreUri } from "../backend/index.js";
import { InvalidInputError, show } from "../core/index.js";
import { loadEstimators } from "../estimator/index.js";
import { openModelRef, openRegistry, parseModelRef, type RegistryStore } from "../registry/index.js";
import { openStore, type TrackingStore } from "../track/index.js";
import { type ServeAppOptions, ServeState, buildServeApp, serveRoutes } from "./app.js";
import { Endpoint, ModelSet } from "./endpoint.js";
import { JsonlWriter, type JsonlOptions, PredictionLog, SqlPredictionWriter } from "./prediction-log.js";
import { AliasWatcher, type AliasWatcherOptions } from "./hot-swap.js";
import { ServedModel } from "./served-model.js";

/** One model to serve: a reference and, optionally, the name it answers as. */
export interface ServeModelSpec {
  ref: string;
  name?: string;
}

/** Options of `startServe`: the models, the address, canary and shadow versions, hot swap and logging. */
export interface StartServeOptions extends ServeAppOptions {
  models: readonly ServeModelSpec[];
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /** The store `models:/` references are looked up in (default: as every command). */
  store?: string;
  /** The model `/invocations` answers for (default: the first). */
  defaultModel?: string;
  /** A canary version per endpoint: answers `weight` % of requests, sticky by `X-Keel-Key`. */
  canary?: readonly { ref: string; weight: number; model?: string }[];
  /** A shadow version per endpoint: gets a copy of every request, never answers; its answers are logged. */
  shadow?: readonly { ref: string; model?: string }[];
  /**
   * The prediction log: "default" (a PostgreSQL store's tables when `store` is PostgreSQL, else JSON
   * lines in `logDir`), false for none, or a log you built.
   */
  predictionLog?: "default" | false | PredictionLog;
  /** JSON-lines folder (default `<project>/.keel/predictions`, the project found from the working directory). */
  logDir?: string;
  /** Rotation and retention of the JSON-lines files. */
  logFiles?: JsonlOptions;
  /** Hot swap: follow moving references (aliases, latest, stages) in the registry; false to pin what was loaded. */
  watch?: false | AliasWatcherOptions;
}

/** A running data-plane server, from `startServe`. */
export interface RunningServe {
  app: FastifyInstance;
  state: ServeState;
  url: string;
  host: string;
  /** Follows the registry (null when hot swap is off). */
  watcher: AliasWatcher | null;
  port: number;
  /** Drain and stop (idempotent). */
  close(): Promise<void>;
}

/**
 * The registry and tracking store of one backend, opened on first use.
 * @example
 * ```ts
 * const access = new RegistryAccess("sqlite:////tmp/keel.db");
 * const served = await loadServedModel("models:/credit@champion", "credit", access);
 * ```
 */
export class RegistryAccess {
  private opened?: Promise<{ backend: Backend; registry: RegistryStore; tracking: TrackingStore }>;

  constructor(readonly store: string | undefined) {}

  /** Over stores someone else opened (and closes): `keel server --serve` shares its backend. */
  static over(stores: { registry: RegistryStore; tracking: TrackingStore }): RegistryAccess {
    const access = new RegistryAccess(undefined);
    access.opened = Promise.resolve({ ...stores, backend: stores.tracking.backend });
    access.shared = true;
    return access;
  }

  private shared = false;

  get(): Promise<{ backend: Backend; registry: RegistryStore; tracking: TrackingStore }> {
    return (this.opened ??= (async () => {
      const backend = await openBackend(this.store);
      try {
        return { backend, registry: await openRegistry(backend), tracking: await openStore(backend) };
      } catch (e) {
        await backend.close();
        throw e;
      }
    })());
  }

  async close(): Promise<void> {
    if (!this.opened || this.shared) return;
    const o = await this.opened.catch(() => null);
    this.opened = undefined;
    if (o) await o.backend.close();
  }
}

/**
 * The name a reference answers as when none is given: the registered name, or the folder's name.
 * @example
 * ```ts
 * defaultModelName("models:/credit@champion"); // "credit"
 * defaultModelName("./out/credit-model"); // "credit-model"
 * ```
 */
export function defaultModelName(ref: string): string {
  const r = parseModelRef(ref);
  if (r.kind === "registry") return r.name;
  const base = path.basename(path.resolve(r.path)).replace(/\.(keel|kmodel|bin|zip)$/i, "");
  return base;
}

/**
 * Load and warm the model a reference names now (a registry reference: the version it resolves to).
 * @example
 * ```ts
 * const served = await loadServedModel("models:/credit/3", "credit", new RegistryAccess(undefined));
 * ```
 */
export async function loadServedModel(ref: string, name: string, access: RegistryAccess): Promise<ServedModel> {
  await loadEstimators();
  const r = parseModelRef(ref);
  if (r.kind === "path") return ServedModel.load(r.path, { name, source: ref });
  const { registry, tracking } = await access.get();
  const local = await openModelRef(ref, { registry, tracking });
  try {
    return ServedModel.load(local.dir, { name, source: ref, version: local.version?.version });
  } finally {
    await local.release();
  }
}

/** The endpoint a canary or shadow joins: `model` when given, else the one its reference names, else the default. */
function endpointFor(set: ModelSet, ref: string, model: string | undefined, what: string): Endpoint {
  if (model !== undefined) return set.endpoint(model);
  const r = parseModelRef(ref);
  if (r.kind === "registry" && set.get(r.name)) return set.get(r.name)!;
  if (set.all().length === 1) return set.all()[0];
  throw new InvalidInputError(`${what} ${show(ref)}: say which model it belongs to (${set.all().map((e) => e.name).join(", ")})`, { path: what, received: ref });
}

/** Load canary and shadow versions into their endpoints. */
async function addTraffic(set: ModelSet, options: StartServeOptions, access: RegistryAccess): Promise<void> {
  for (const c of options.canary ?? []) {
    if (!(c.weight >= 0 && c.weight <= 100)) throw new InvalidInputError(`canary weight ${show(c.weight)} for ${show(c.ref)} is not a percentage (0-100)`, { path: "canary", expected: "0-100", received: c.weight });
    const e = endpointFor(set, c.ref, c.model, "canary");
    e.canary = await loadServedModel(c.ref, e.name, access);
    e.canaryWeight = c.weight;
  }
  for (const sh of options.shadow ?? []) {
    const e = endpointFor(set, sh.ref, sh.model, "shadow");
    e.shadow = await loadServedModel(sh.ref, e.name, access);
  }
}

/** The prediction log `startServe` writes to (see `StartServeOptions.predictionLog`). */
async function openPredictionLog(options: StartServeOptions, access: RegistryAccess, state: ServeState): Promise<PredictionLog | null> {
  const choice = options.predictionLog ?? "default";
  if (choice === false) return null;
  if (choice instanceof PredictionLog) return choice;
  const onDrop = (n: number) => state.metrics.logDropped.inc(n);
  const onError = (e: unknown) => options.onInternalError?.(e, { method: "LOG", url: "prediction-log" } as never);
  if (parseStoreUri(resolveStoreUri(options.store)).kind === "postgres") {
    const { backend } = await access.get();
    return new PredictionLog(await SqlPredictionWriter.open(backend as SqlBackend), { onDrop, onError });
  }
  const dir = options.logDir ?? path.join(findProjectDir(), ".keel", "predictions");
  return new PredictionLog(new JsonlWriter(dir, options.logFiles), { onDrop, onError });
}

/**
 * Load every model into a model set (names checked, `defaultModel` applied).
 * @example
 * ```ts
 * const set = await loadModelSet([{ ref: "models:/credit@champion" }, { ref: "./churn-model", name: "churn" }], new RegistryAccess(undefined), "credit");
 * ```
 */
export async function loadModelSet(models: readonly ServeModelSpec[], access: RegistryAccess, defaultModel?: string): Promise<ModelSet> {
  if (models.length === 0) throw new InvalidInputError("nothing to serve: give at least one model reference", { path: "model", expected: "a model folder or models:/<name>@<alias>" });
  const set = new ModelSet();
  for (const spec of models) {
    const name = spec.name ?? defaultModelName(spec.ref);
    if (set.get(name)) throw new InvalidInputError(`two models are named ${show(name)}: give one another name (--name)`, { path: "name", received: name });
    set.add(new Endpoint(name, await loadServedModel(spec.ref, name, access)));
  }
  if (defaultModel !== undefined) {
    set.endpoint(defaultModel);
    set.defaultName = defaultModel;
  }
  return set;
}

/**
 * Mount the serving routes on another fastify app (`keel server --serve`): models load now, through
 * the given stores; the routes report ready once the app is ready.
 * @example
 * ```ts
 * const state = await mountServe(app, { models: [{ ref: "models:/credit@champion" }], stores: { registry: await openRegistry(), tracking: await openStore() } });
 * ```
 */
export async function mountServe(app: FastifyInstance, options: ServeAppOptions & { models: readonly ServeModelSpec[]; stores: { registry: RegistryStore; tracking: TrackingStore }; defaultModel?: string; watch?: false | AliasWatcherOptions }): Promise<ServeState> {
  const access = RegistryAccess.over(options.stores);
  const set = await loadModelSet(options.models, access, options.defaultModel);
  const state = new ServeState(set, options.metrics);
  await app.register(serveRoutes(state, { ...options, mounted: true }));
  const watcher = options.watch === false ? null : new AliasWatcher(set, access, (ref, name) => loadServedModel(ref, name, access), state.metrics, options.watch);
  app.addHook("onReady", async () => {
    state.ready = true;
    watcher?.start();
  });
  app.addHook("preClose", async () => {
    state.ready = false;
    await watcher?.stop();
  });
  return state;
}

/**
 * Load every model and listen.
 *
 * @example
 * const s = await startServe({ models: [{ ref: "models:/credit@champion" }], port: 8080 });
 * // curl -d '{"dataframe_records": [...]}' -H 'content-type: application/json' localhost:8080/invocations
 * await s.close();
 */
export async function startServe(options: StartServeOptions): Promise<RunningServe> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 8080;
  const access = new RegistryAccess(options.store);
  try {
    const set = await loadModelSet(options.models, access, options.defaultModel);
    await addTraffic(set, options, access);
    const state = new ServeState(set, options.metrics);
    const log = await openPredictionLog(options, access, state);
    const app = await buildServeApp(state, { ...options, ...(log ? { log } : {}) });
    app.addHook("onClose", async () => log?.close());
    const watcher = options.watch === false ? null : new AliasWatcher(set, access, (ref, name) => loadServedModel(ref, name, access), state.metrics, options.watch);
    await app.listen({ host, port });
    state.ready = true;
    watcher?.start();
    const addr = app.server.address();
    const boundPort = typeof addr === "object" && addr ? addr.port : port;
    let closing: Promise<void> | undefined;
    return {
      app,
      state,
      watcher,
      host,
      port: boundPort,
      url: `http://${host.includes(":") ? `[${host}]` : host}:${boundPort}`,
      close: () =>
        (closing ??= (async () => {
          state.ready = false;
          await watcher?.stop();
          await app.close();
          await access.close();
        })()),
    };
  } catch (e) {
    await access.close();
    throw e;
  }
}
