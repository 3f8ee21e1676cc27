/**
 * `keel server`: MLflow's REST API 2.0 (tracking and registry) on fastify, with API tokens.
 * See `app.ts` for the instance, `errors.ts` for the error mapping, `auth/tokens.ts` for the
 * roles each request needs.
 */
export { buildApp, allRoutes, resolveDeps, DEFAULT_BODY_LIMIT, type AppOptions } from "./app.js";
export { startServer, checkExposure, type StartServerOptions, type RunningServer } from "./start.js";
export { ERROR_HTTP, HTTP_PROBLEMS, errorResponse, type MlflowErrorCode, type ErrorBody } from "./errors.js";
export { openApiDocument, openApiMarkdown } from "./openapi.js";
export { isLoopback } from "./loopback.js";
export type { ServerDeps } from "./deps.js";
export { openTokenStore } from "./auth/open-token-store.js";
export type { TokenStore, CreatedToken, CreateTokenInput } from "./auth/token-store.js";
export { ROLES, checkRole, roleAllows, hashToken, generateToken, type Role, type TokenInfo, type Principal } from "./auth/tokens.js";
