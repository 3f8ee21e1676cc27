/**
 * The fastify instance: JSON bodies up to a limit, MLflow's error shape for every failure
 * (through `errors.ts`), the token guard, and every route family under `/api/2.0/...` and
 * `/ajax-api/2.0/...`.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { UnauthenticatedError, ForbiddenError } from "../core/errors.js";
import { type Principal, type Role, roleAllows } from "./auth/tokens.js";
import { openMonitoringStore } from "../monitor/index.js";
import { openRegistry } from "../registry/index.js";
import { ConnectionDrain, LocalArtifactStore } from "../backend/index.js";
import { PROXY_SCHEME } from "./artifact-paths.js";
import { DEFAULT_ARTIFACT_LIMIT, type ResolvedDeps, type ServerDeps } from "./deps.js";
import { clientErrorResponse, errorResponse, notFoundResponse } from "./errors.js";
import { Fields, routeInput } from "./fields.js";
import { openApiDocument } from "./openapi.js";
import { type RouteDef, routePaths } from "./route.js";
import { artifactRoutes } from "./routes/artifacts.js";
import { experimentRoutes } from "./routes/experiments.js";
import { KEEL_API_VERSION, keelRoutes } from "./routes/keel.js";
import { loggingRoutes } from "./routes/logging.js";
import { metricRoutes } from "./routes/metrics.js";
import { modelVersionRoutes } from "./routes/model-versions.js";
import { monitoringRoutes } from "./routes/monitoring.js";
import { registeredModelRoutes } from "./routes/registered-models.js";
import { runRoutes } from "./routes/runs.js";
import { uiRoutes } from "./routes/ui.js";
import { registerStaticUi } from "./static-ui.js";
import { tokenRoutes } from "./routes/tokens.js";

export interface AppOptions {
  /** Largest JSON body in bytes (default 16 MiB). */
  bodyLimit?: number;
  /** Where to report internal errors (bugs); default: nowhere (fastify's logger is off). */
  onInternalError?: (error: unknown, request: FastifyRequest) => void;
  /** One line per request (method, url, status, ms), for `keel server --log`. */
  onRequestLog?: (line: string) => void;
  /** On close, connections still open after this long are destroyed (default 30 s; see `ConnectionDrain`). */
  drainTimeoutMs?: number;
  /**
   * The server is reachable beyond loopback: it is never open. Every request that needs a role
   * needs a valid token — also after every token has been revoked — and admin tokens cannot be
   * created over HTTP (only locally, with `keel token create`). Set by `startServer` for any
   * non-loopback address.
   */
  requireTokens?: boolean;
}

export const DEFAULT_BODY_LIMIT = 16 * 1024 * 1024;

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** The role a route needs (absent: no check, e.g. the health probe). */
    role?: Role;
  }
}

const OPEN: Principal = { name: "anonymous", role: "admin", authenticated: false };

/** Every route the server serves, in registration order. */
export function allRoutes(deps: ResolvedDeps, options: Pick<AppOptions, "requireTokens"> = {}): RouteDef[] {
  return [...experimentRoutes(deps), ...runRoutes(deps), ...loggingRoutes(deps), ...metricRoutes(deps), ...artifactRoutes(deps),
    ...registeredModelRoutes(deps),
    ...modelVersionRoutes(deps),
    ...monitoringRoutes(deps),
    ...keelRoutes(deps), ...uiRoutes(deps), ...tokenRoutes(deps, { allowAdminCreate: !(options.requireTokens ?? false) })];
}

/** Fill in the defaults: artifacts in a local store on the tracking store's root (which also maps the proxy's `mlflow-artifacts:` URIs). */
export async function resolveDeps(deps: ServerDeps): Promise<ResolvedDeps> {
  return {
    ...deps,
    registry: deps.registry ?? (await openRegistry(deps.store)),
    monitoring: deps.monitoring ?? (await openMonitoringStore(deps.store.backend)),
    artifacts: deps.artifacts ?? new LocalArtifactStore(deps.store.artifactRoot, { uriPrefixes: [PROXY_SCHEME] }),
    artifactLimit: deps.artifactLimit ?? DEFAULT_ARTIFACT_LIMIT,
  };
}

/**
 * Who is asking, or why not: on loopback with no valid token → the open principal; else the
 * bearer token's record (401 when missing or unknown). With `requireTokens` (bound off
 * loopback) there is no open principal at all, whatever the token store holds.
 */
async function authenticate(deps: ServerDeps, request: FastifyRequest, requireTokens: boolean): Promise<Principal> {
  const tokens = deps.tokens;
  if (!tokens) {
    if (!requireTokens) return OPEN;
    throw new UnauthenticatedError("this server is bound beyond loopback and has no token store: every request is refused", { path: "authorization" });
  }
  const header = request.headers.authorization;
  const m = typeof header === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (m) {
    const info = await tokens.verify(m[1]);
    if (info) return { name: info.name, role: info.role, authenticated: true };
  }
  if (!requireTokens && (await tokens.activeCount()) === 0) return OPEN;
  if (!m) throw new UnauthenticatedError(`this server requires an API token: send "Authorization: Bearer <token>" (create one with \`keel token create\`; clients read KEEL_TOKEN)`, { path: "authorization" });
  throw new UnauthenticatedError("the API token is not valid (unknown or revoked)", { path: "authorization" });
}

/** Build the server (not listening yet; call `listen` or use `inject`). */
export async function buildApp(serverDeps: ServerDeps, options: AppOptions = {}): Promise<FastifyInstance> {
  const deps = await resolveDeps(serverDeps);
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const app = Fastify({
    logger: false,
    bodyLimit,
    exposeHeadRoutes: true,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    // on close: 503 to requests that arrive, idle connections ended by the drain below (never one with an answer still queued)
    return503OnClosing: true,
    forceCloseConnections: "idle",
    // errors the HTTP layer finds itself answer in MLflow's shape too: a bad URL escape ...
    frameworkErrors: (error, _request, reply: FastifyReply) => {
      const r = errorResponse(error, { bodyLimit });
      void reply.code(r.status).type("application/json").send(r.body);
    },
    // ... and what Node's parser refuses (headers over 16 KB, a malformed request line)
    clientErrorHandler: (error, socket) => {
      if (socket.writable && !(error as { code?: string }).code?.startsWith("ECONN")) socket.end(clientErrorResponse(error));
      else socket.destroy();
    },
  });
  new ConnectionDrain(app.server, options.drainTimeoutMs);
  app.decorateRequest("principal", null);
  if (!serverDeps.registry) app.addHook("onClose", async () => deps.registry.close());
  if (!serverDeps.monitoring) app.addHook("onClose", async () => deps.monitoring.close());

  // JSON for any content type (MLflow clients send application/json; curl -d sends a form type)
  app.removeAllContentTypeParsers();
  const parseJson = (_req: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (text.trim() === "") return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      done(e as Error);
    }
  };
  app.addContentTypeParser("application/json", { parseAs: "string", bodyLimit }, parseJson);
  app.addContentTypeParser("*", { parseAs: "string", bodyLimit }, parseJson);

  app.setErrorHandler((error, request, reply) => {
    const r = errorResponse(error, { bodyLimit });
    if (r.internal) options.onInternalError?.(error, request);
    void reply.code(r.status).type("application/json").send(r.body);
  });
  app.setNotFoundHandler((request, reply) => {
    const r = notFoundResponse(request.method, request.url);
    void reply.code(r.status).type("application/json").send(r.body);
  });

  app.addHook("onRequest", async (request) => {
    const role = request.routeOptions.config?.role;
    if (role === undefined) return;
    const principal = await authenticate(deps, request, options.requireTokens ?? false);
    if (!roleAllows(principal.role, role)) {
      throw new ForbiddenError(`token ${JSON.stringify(principal.name)} has role ${principal.role}; ${request.method} ${request.routeOptions.url} needs ${role}`, { path: "authorization", expected: role, received: principal.role });
    }
    request.principal = principal;
  });

  if (options.onRequestLog) {
    const log = options.onRequestLog;
    app.addHook("onResponse", async (request, reply) => {
      log(`${request.method} ${request.url.split("?")[0]} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)}ms`);
    });
  }

  app.get("/health", { config: {} }, async () => ({ status: "OK" }));

  const routes = allRoutes(deps, options);
  // the OpenAPI document, generated from the routes' own input schemas (built on first request)
  let openApi: Record<string, unknown> | undefined;
  app.get("/api/openapi.json", { config: { role: "read" } }, async () => (openApi ??= openApiDocument(routes, String(KEEL_API_VERSION))));
  for (const def of routes) if (!def.rawBody) addRoute(app, def);
  // uploads: the body is the file, streamed as it arrives (whatever its content type)
  await app.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser("*", (_req, payload, done) => done(null, payload));
    for (const def of routes) if (def.rawBody) addRoute(raw, def);
  });
  await registerStaticUi(app);
  return app;
}

/** The audit log's actor for a request (see `RouteContext.actor`). */
function actorOf(principal: Principal, request: FastifyRequest): string | undefined {
  if (principal.authenticated) return principal.name;
  const h = request.headers["x-keel-actor"];
  const v = Array.isArray(h) ? h[0] : h;
  if (typeof v !== "string" || v.trim() === "") return undefined;
  let actor = v.trim();
  try {
    actor = decodeURIComponent(actor);
  } catch {
    // not percent-encoded: as sent
  }
  return actor.slice(0, 256);
}

/** A signal that fires when the connection closes before the answer was sent. */
function clientGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  const res = reply.raw;
  const onClose = () => {
    if (!res.writableFinished) controller.abort(new Error("the HTTP client went away"));
  };
  res.once("close", onClose);
  return controller.signal;
}

function addRoute(app: FastifyInstance, def: RouteDef): void {
  const input = routeInput(def.input);
  for (const url of routePaths(def)) {
    app.route({
      method: [...def.methods],
      url,
      config: { role: def.role },
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const fields = new Fields(input, request.query, def.rawBody ? undefined : request.body);
        const principal = request.principal ?? OPEN;
        return def.handler({ fields, request, reply, principal, actor: actorOf(principal, request), signal: clientGone(reply) });
      },
    });
  }
}
