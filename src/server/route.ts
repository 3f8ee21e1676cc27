/**
 * How an endpoint is declared: method(s), API family and path, the role it needs (see
 * `auth/tokens.ts`), and a handler that gets the request's fields and returns the JSON answer.
 * Each family is served under `/api/2.0/<family>/` and `/ajax-api/2.0/<family>/` (MLflow's UI
 * calls the latter).
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Principal, Role } from "./auth/tokens.js";
import type { FieldShape, Fields } from "./fields.js";

export type Method = "GET" | "POST" | "PATCH" | "DELETE" | "PUT";

/** `mlflow` = MLflow's tracking and registry API; `mlflow-artifacts` = its artifact proxy; `keel` = Keel's own; `root` = paths from `/`. */
export type ApiFamily = "mlflow" | "mlflow-artifacts" | "keel" | "root";

export interface RouteContext {
  fields: Fields;
  request: FastifyRequest;
  reply: FastifyReply;
  principal: Principal;
  /**
   * Who to record in the registry's audit log: the token's name when authenticated; on an open
   * server the `X-Keel-Actor` header if sent, else the registry's default actor.
   */
  actor: string | undefined;
  /** Fires when the HTTP client goes away before the answer is sent (pass it to long reads). */
  signal: AbortSignal;
}

export interface RouteDef {
  methods: readonly Method[];
  api: ApiFamily;
  /** Path inside the family, e.g. `experiments/create` (fastify syntax: `artifacts/*`). */
  path: string;
  role: Role;
  /**
   * The fields the endpoint reads, by name, as Zod schemas (`field.*` in `fields.ts`): checked
   * before the handler runs, listed in the OpenAPI document. A handler can read only these.
   */
  input?: FieldShape;
  /** One line for the OpenAPI document. */
  summary?: string;
  /**
   * The JSON answer. To answer otherwise (a file stream), send through `ctx.reply` and return
   * `ctx.reply`.
   */
  handler(ctx: RouteContext): Promise<unknown>;
  /** Raw body (a stream) instead of JSON: artifact uploads. */
  rawBody?: boolean;
}

/** The URL paths a route is served at. */
export function routePaths(def: Pick<RouteDef, "api" | "path">): string[] {
  if (def.api === "root") return [`/${def.path}`];
  return [`/api/2.0/${def.api}/${def.path}`, `/ajax-api/2.0/${def.api}/${def.path}`];
}

/** A route answering `{}` after `fn` ran (MLflow's empty responses). */
export function empty(fn: (ctx: RouteContext) => Promise<unknown>): (ctx: RouteContext) => Promise<unknown> {
  return async (ctx) => {
    await fn(ctx);
    return {};
  };
}
