/**
 * The data plane's routes as one fastify plugin, so `keel serve` runs them on their own and
 * `keel server --serve` mounts them beside the control plane:
 * - Open Inference Protocol v2: `/v2/health/live|ready`, `/v2`, `/v2/models/{name}[/versions/{v}]`,
 *   `.../ready`, `.../infer`;
 * - MLflow scoring: `POST /invocations`, `GET /ping`, `/health`, `/version`;
 * - Prometheus: `GET /metrics`.
 * Every prediction response carries `X-Request-Id` and `X-Keel-Model-Version`. Off loopback every
 * route but the health probes and `/metrics` needs a bearer token.
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { ConnectionDrain } from "../backend/index.js";
import { ConflictError, UnauthenticatedError, UnsupportedError, isKeelError, show } from "../core/index.js";
import type { Frame } from "../data/index.js";
import { keelVersion } from "../track/index.js";
import { type BatchingOptions, MicroBatcher } from "./batcher.js";
import { type Endpoint, ModelSet } from "./endpoint.js";
import { describeError, errorBody } from "./errors.js";
import { InputError } from "./input-schema.js";
import { ServeMetrics } from "./metrics.js";
import { csvFrame } from "./protocols/csv.js";
import { mlflowFrame, mlflowResponse } from "./protocols/mlflow.js";
import { type InferRequest, decodeInfer, inferResponse, modelMetadata } from "./protocols/oip.js";
import { decodeOneRowInfer } from "./protocols/oip-one-row.js";
import type { Feedback, PredictionRecord, PredictionSink } from "./record.js";
import type { Prediction, ServedModel } from "./served-model.js";

/** Checks a bearer token (the control plane's token store does, through `keel serve`). */
export interface TokenCheck {
  verify(token: string): Promise<{ name: string } | undefined>;
}

/** Options of the serving routes: body limit, tokens, metrics, the prediction log, micro-batching. */
export interface ServeAppOptions {
  /** Largest request body in bytes (default 32 MiB). */
  bodyLimit?: number;
  /** Bound beyond loopback: prediction and metadata routes need a valid bearer token. */
  requireTokens?: boolean;
  tokens?: TokenCheck;
  /** When set, `/metrics` needs this bearer token (else it is open, for scrapers). */
  metricsToken?: string;
  metrics?: ServeMetrics;
  /** Where every prediction and rejection is recorded. */
  log?: PredictionSink;
  /** Reported for bugs (500s). */
  onInternalError?: (error: unknown, request: FastifyRequest) => void;
  /** Keel's version, for `GET /v2` and `GET /version`. */
  serverVersion?: string;
  /** One line per request (method, path, status, ms), for `keel serve --log`. */
  onRequestLog?: (line: string) => void;
  /** Mounted inside `keel server`, which answers `/health` itself. */
  mounted?: boolean;
  /** Micro-batching of concurrent requests to one version (default: off; see batcher.ts). */
  batching?: BatchingOptions;
  /** Standalone server: on close, connections still open after this long are destroyed (default 30 s). */
  drainTimeoutMs?: number;
}

/**
 * What the routes read: the models and whether the server takes traffic.
 * @example
 * ```ts
 * const state = new ServeState(await loadModelSet([{ ref: "models:/credit@champion" }], new RegistryAccess(undefined)));
 * const app = await buildServeApp(state);
 * ```
 */
export class ServeState {
  /** False until every model is loaded and warmed, and again while draining. */
  ready = false;
  inFlight = 0;
  readonly metrics: ServeMetrics;
  /** What `/metrics` answers with instead of this process's registry (a `--workers` cluster's sum). */
  metricsText: (() => Promise<{ body: string; contentType: string }>) | null = null;

  constructor(
    readonly models: ModelSet,
    metrics?: ServeMetrics,
  ) {
    this.metrics = metrics ?? new ServeMetrics();
  }
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** A serving route anyone may call (health probes, and `/metrics` unless it has a token). */
    serveOpen?: boolean;
  }
}

const TOKEN_CACHE_MS = 10_000;
const NO_COLUMNS: string[] = [];

/** Whether `text` starts with the lower-case `prefix`, ignoring case (a header value, without lower-casing a copy). */
function startsWithFold(text: string, prefix: string): boolean {
  if (text.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 65 && c <= 90 ? c + 32 : c) !== prefix.charCodeAt(i)) return false;
  }
  return true;
}
const REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

/**
 * The serving routes as a plugin: `app.register(serveRoutes(state, options))`.
 * @example
 * ```ts
 * await app.register(serveRoutes(state, { requireTokens: false }));
 * ```
 */
export function serveRoutes(state: ServeState, options: ServeAppOptions = {}) {
  const models = state.models;
  const metrics = state.metrics;
  const log = options.log;
  const version = options.serverVersion ?? keelVersion();
  const bodyLimit = options.bodyLimit ?? 32 * 1024 * 1024;
  const verified = new Map<string, number>();

  async function authenticate(request: FastifyRequest): Promise<void> {
    if (request.routeOptions.config?.serveOpen) {
      if (options.metricsToken === undefined || request.url.split("?")[0] !== "/metrics") return;
      const m = bearer(request);
      if (m !== options.metricsToken) throw new UnauthenticatedError("/metrics needs its bearer token", { path: "authorization" });
      return;
    }
    if (!options.requireTokens) return;
    const token = bearer(request);
    if (token === null) throw new UnauthenticatedError(`this server is bound beyond loopback: send "Authorization: Bearer <token>" (create one with \`keel token create\`)`, { path: "authorization" });
    const now = Date.now();
    const until = verified.get(token);
    if (until !== undefined && until > now) return;
    const info = options.tokens ? await options.tokens.verify(token) : undefined;
    if (!info) {
      verified.delete(token);
      throw new UnauthenticatedError("the API token is not valid (unknown or revoked)", { path: "authorization" });
    }
    if (verified.size > 10_000) verified.clear();
    verified.set(token, now + TOKEN_CACHE_MS);
  }

  const batcher = options.batching ? new MicroBatcher(options.batching, (m) => metrics.batches.inc({ model: m.name })) : null;

  /**
   * Predict for one request and answer it (at once, or when its micro-batch is predicted); never
   * throws. Nothing is allocated for the request's own bookkeeping (no closures: `answer` takes it
   * as arguments) but on the micro-batching path, and a one-row request answered at once (no
   * batching, no shadow) reuses its model's frame and prediction: the response, the metrics and
   * the log line are all made before the next request is read.
   */
  function predict(protocol: "v2" | "mlflow", request: FastifyRequest, reply: FastifyReply, name: string | null, versionAsked: string | null): FastifyReply | undefined {
    const t0 = performance.now();
    const time = Date.now();
    state.inFlight++;
    metrics.active++;
    const hid = request.headers["x-request-id"];
    const id = typeof hid === "string" && REQUEST_ID.test(hid) ? hid : randomUUID();
    let endpoint: Endpoint | null = null;
    let model: ServedModel | null = null;
    let frame: Frame | null = null;
    let infer: InferRequest | null = null;
    let prediction: Prediction | null = null;
    let failure: unknown = null;
    try {
      endpoint = name === null ? models.defaultEndpoint() : models.endpoint(name);
      if (versionAsked !== null) model = endpoint.version(versionAsked);
      else {
        const key = request.headers["x-keel-key"];
        model = endpoint.pick(typeof key === "string" ? key : undefined);
      }
      const m = model;
      // the shared one-row frame only when nothing reads it after this call returns
      const reuse = batcher === null && endpoint.shadow === null;
      if (protocol === "v2") {
        const body = request.body;
        infer = (typeof body === "string" ? decodeOneRowInfer(m, body, reuse) : null) ?? decodeInfer(m, parseJson(body), reuse);
        frame = infer.frame;
      } else {
        const type = request.headers["content-type"] ?? "";
        if (startsWithFold(type, "application/json")) frame = mlflowFrame(m.schema, parseJson(request.body), reuse);
        else if (startsWithFold(type, "text/csv")) frame = csvFrame(m.schema, typeof request.body === "string" ? request.body : "");
        else {
          const lower = type.toLowerCase();
          throw new UnsupportedError(`content type ${show(lower || "(none)")} is not supported: send application/json (dataframe_split, dataframe_records, instances or inputs) or text/csv`, { path: "content-type", expected: "application/json or text/csv", received: lower });
        }
      }
      if (batcher && batcher.accepts(m, frame)) {
        const e = endpoint;
        const f = frame;
        const r = infer;
        batcher.add(m, f, (p, failed) => answer(protocol, request, reply, id, t0, time, e, m, f, r, p, failed));
        return undefined;
      }
      prediction = m.predict(frame, reuse);
    } catch (e) {
      failure = e;
    }
    answer(protocol, request, reply, id, t0, time, endpoint, model, frame, infer, prediction, failure);
    return reply;
  }

  /** Answer, count, log, and copy to the shadow. */
  function answer(
    protocol: "v2" | "mlflow",
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    t0: number,
    time: number,
    endpoint: Endpoint | null,
    model: ServedModel | null,
    frame: Frame | null,
    infer: InferRequest | null,
    prediction: Prediction | null,
    failure: unknown,
  ): void {
    let status = 200;
    let body: string;
    let error: string | null = null;
    let columns: string[] = NO_COLUMNS;
    try {
      if (failure !== null) throw failure;
      body = infer !== null ? inferResponse(model!, model!.version, infer.id, prediction!, infer.outputs) : mlflowResponse(prediction!);
    } catch (e) {
      const d = describeError(e);
      if (d.internal) options.onInternalError?.(e, request);
      status = d.status;
      error = d.message;
      columns = columnsOf(e, model);
      body = errorBody(protocol, status, d.message);
      prediction = null;
    }
    reply.header("x-request-id", id);
    if (model) reply.header("x-keel-model-version", model.version);
    void reply.code(status).type("application/json").send(body);
    const seconds = (performance.now() - t0) / 1000;
    const label = endpoint?.name ?? "unknown";
    const v = model?.version ?? "";
    metrics.observe(label, v, protocol, status, seconds);
    if (prediction && model) metrics.predictions(label, v, prediction.labels, prediction.codes, prediction.values, prediction.nRows);
    state.inFlight--;
    metrics.active--;
    const role = model === null || endpoint === null ? "live" : model === endpoint.live ? "live" : "canary";
    if (log) log.push({ id, time, model: label, version: v, role, protocol, status, latencyMs: seconds * 1000, inputs: frame, prediction, error, columns });
    const shadow = endpoint?.shadow;
    if (shadow && frame && status === 200 && shadow !== model) shadowCopy(endpoint!, shadow, frame, id, protocol);
  }

  /** The shadow predicts the same rows after the response went out; its answer is only logged. */
  function shadowCopy(endpoint: Endpoint, shadow: ServedModel, frame: Frame, id: string, protocol: "v2" | "mlflow"): void {
    setImmediate(() => {
      const t0 = performance.now();
      const time = Date.now();
      let prediction: Prediction | null = null;
      let error: string | null = null;
      let status = 200;
      try {
        prediction = runModel(shadow, frame);
      } catch (e) {
        const d = describeError(e);
        status = d.status;
        error = d.message;
      }
      metrics.observe(endpoint.name, shadow.version, `${protocol}-shadow`, status, (performance.now() - t0) / 1000);
      log?.push({ id, time, model: endpoint.name, version: shadow.version, role: "shadow", protocol, status, latencyMs: performance.now() - t0, inputs: frame, prediction, error, columns: [] });
    });
  }

  return async function plugin(app: FastifyInstance): Promise<void> {
    app.removeAllContentTypeParsers();
    // the body as text, parsed by the route; named types too, which fastify caches (a catch-all alone
    // parses the request's content-type header every time)
    const asText = (_req: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void) => done(null, body);
    app.addContentTypeParser(["application/json", "text/csv"], { parseAs: "string", bodyLimit }, asText);
    app.addContentTypeParser("*", { parseAs: "string", bodyLimit }, asText);
    app.setErrorHandler((error, request, reply) => {
      const d = describeError(error);
      if (d.internal) options.onInternalError?.(error, request);
      const protocol = request.url.startsWith("/v2") ? "v2" : "mlflow";
      void reply.code(d.status).type("application/json").send(errorBody(protocol, d.status, d.message));
    });
    // without tokens there is nothing to check: no hook (an async hook costs every request a promise)
    if (options.requireTokens || options.metricsToken !== undefined) app.addHook("onRequest", async (request) => authenticate(request));
    if (options.onRequestLog) {
      const line = options.onRequestLog;
      app.addHook("onResponse", async (request, reply) => line(`${request.method} ${request.url.split("?")[0]} ${reply.statusCode} ${reply.elapsedTime.toFixed(2)}ms`));
    }

    const open = { config: { serveOpen: true } };
    app.get("/v2/health/live", open, async () => ({ live: true }));
    app.get("/v2/health/ready", open, async (_req, reply) => {
      if (!state.ready) return reply.code(503).send({ ready: false });
      return { ready: true };
    });
    app.get("/v2", async () => ({ name: "keel", version, extensions: ["model_repository_readonly"] }));
    const meta = (name: string, v: string | null) => {
      const e = models.endpoint(name);
      const m = v === null ? e.live : e.version(v);
      return modelMetadata(m, e.versions().map((x) => x.version));
    };
    app.get<{ Params: { name: string } }>("/v2/models/:name", async (req) => meta(req.params.name, null));
    app.get<{ Params: { name: string; version: string } }>("/v2/models/:name/versions/:version", async (req) => meta(req.params.name, req.params.version));
    const ready = (name: string, v: string | null) => {
      const e = models.endpoint(name);
      if (v !== null) e.version(v);
      return { name, ready: state.ready };
    };
    app.get<{ Params: { name: string } }>("/v2/models/:name/ready", async (req, reply) => reply.code(state.ready ? 200 : 503).send(ready(req.params.name, null)));
    app.get<{ Params: { name: string; version: string } }>("/v2/models/:name/versions/:version/ready", async (req, reply) => reply.code(state.ready ? 200 : 503).send(ready(req.params.name, req.params.version)));
    app.post<{ Params: { name: string } }>("/v2/models/:name/infer", (req, reply) => predict("v2", req, reply, req.params.name, null));
    app.post<{ Params: { name: string; version: string } }>("/v2/models/:name/versions/:version/infer", (req, reply) => predict("v2", req, reply, req.params.name, req.params.version));

    app.post<{ Params: { name: string } }>("/v2/models/:name/feedback", async (req, reply) => {
      models.endpoint(req.params.name);
      if (!log) throw new ConflictError("this server keeps no prediction log (--no-log): feedback has nowhere to go", { path: "feedback" });
      const items = parseFeedback(parseJson(req.body), req.params.name);
      log.addFeedback(items);
      return reply.send({ accepted: items.length });
    });

    app.post("/invocations", (req, reply) => predict("mlflow", req, reply, null, null));
    app.get("/ping", open, async (_req, reply) => reply.code(state.ready ? 200 : 503).type("application/json").send("\n"));
    if (!options.mounted) app.get("/health", open, async (_req, reply) => reply.code(state.ready ? 200 : 503).type("application/json").send("\n"));
    app.get("/version", open, async (_req, reply) => reply.type("text/plain").send(version));
    app.get("/metrics", open, async (_req, reply) => {
      const { body, contentType } = await (state.metricsText ?? (() => metrics.text()))();
      return reply.type(contentType).send(body);
    });
  };
}

/**
 * `{id, label}`, `[{id, label}, ...]` or `{feedback: [...]}` as feedback records for `model`.
 * @example
 * ```ts
 * parseFeedback([{ id: "req-1", label: "good" }], "credit"); // one feedback record for model credit
 * ```
 */
export function parseFeedback(body: unknown, model: string): Feedback[] {
  const list = Array.isArray(body) ? body : typeof body === "object" && body !== null && Array.isArray((body as { feedback?: unknown }).feedback) ? (body as { feedback: unknown[] }).feedback : [body];
  const time = new Date().toISOString();
  return list.map((f, i) => {
    const where = list.length === 1 && !Array.isArray(body) ? "body" : `feedback[${i}]`;
    if (typeof f !== "object" || f === null || Array.isArray(f)) throw new InputError(`${where} must be an object {id, label}`, null, { path: where, expected: "{id, label}", received: typeof f });
    const { id, label } = f as { id?: unknown; label?: unknown };
    if (typeof id !== "string" || id === "") throw new InputError(`${where}.id must be the request id (X-Request-Id) of a prediction, got ${show(id)}`, null, { path: `${where}.id`, expected: "a non-empty string", received: id });
    if (label === undefined || (label !== null && typeof label !== "string" && typeof label !== "number" && typeof label !== "boolean")) throw new InputError(`${where}.label must be the true value (a string, number, boolean or null), got ${show(label)}`, null, { path: `${where}.label`, expected: "a scalar", received: label });
    return { id, model, label: label as Feedback["label"], time };
  });
}

function bearer(request: FastifyRequest): string | null {
  const h = request.headers.authorization;
  const m = typeof h === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  return m ? m[1] : null;
}

function emptyBody(): InputError {
  return new InputError("the request body is empty: expected JSON", null, { path: "body", expected: "a JSON body" });
}

function parseJson(body: unknown): unknown {
  if (typeof body !== "string") throw emptyBody();
  // only a body JSON refuses can be blank: no trimmed copy of every body
  try {
    return JSON.parse(body);
  } catch (e) {
    if (body.trim() === "") throw emptyBody();
    throw new InputError(`the request body is not valid JSON: ${(e as Error).message}`, null, { path: "body", expected: "JSON" });
  }
}

/** Predict; a model's own refusal of the data (a KeelError: INVALID_INPUT, SCHEMA_MISMATCH) becomes a 400 in `describeError`. */
function runModel(model: ServedModel, frame: Frame): Prediction {
  return model.predict(frame);
}

/** The input columns an error is about (for the rejected-request log). */
function columnsOf(e: unknown, model: ServedModel | null): string[] {
  if (e instanceof InputError) return e.column === null ? [] : [e.column];
  if (!isKeelError(e) || !e.path || !model) return [];
  const name = e.path.replace(/\[\d+\]$/, "");
  return model.schema.slotOf(name) >= 0 ? [name] : [];
}

/**
 * A standalone data-plane server (not listening yet).
 * @example
 * ```ts
 * const app = await buildServeApp(state, { metrics: new ServeMetrics() });
 * await app.listen({ port: 8080 });
 * ```
 */
export async function buildServeApp(state: ServeState, options: ServeAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: options.bodyLimit ?? 32 * 1024 * 1024, return503OnClosing: true, forceCloseConnections: "idle", routerOptions: { ignoreTrailingSlash: true } });
  new ConnectionDrain(app.server, options.drainTimeoutMs);
  app.setNotFoundHandler((request, reply) => {
    const protocol = request.url.startsWith("/v2") ? "v2" : "mlflow";
    void reply.code(404).type("application/json").send(errorBody(protocol, 404, `no route ${request.method} ${request.url.split("?")[0]}`));
  });
  await app.register(serveRoutes(state, options));
  return app;
}

export { ModelSet };
