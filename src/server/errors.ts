/**
 * The one record mapping errors to HTTP (DESIGN: never per route). Keel's stable error codes
 * become MLflow's `error_code` names and the HTTP statuses MLflow's server uses (mlflow's
 * `exceptions.py`: RESOURCE_ALREADY_EXISTS is 400, not 409). Every error response has MLflow's
 * shape `{ "error_code": ..., "message": ... }` plus a `keel` object (Keel's own code and the
 * field at fault) that MLflow clients ignore and Keel's remote store reads back.
 */
import { type ErrorCode, isKeelError } from "../core/index.js";

/** MLflow's error codes (`databricks.proto` ErrorCode) that Keel's server returns. */
export type MlflowErrorCode =
  | "INTERNAL_ERROR"
  | "TEMPORARILY_UNAVAILABLE"
  | "BAD_REQUEST"
  | "INVALID_PARAMETER_VALUE"
  | "ENDPOINT_NOT_FOUND"
  | "RESOURCE_ALREADY_EXISTS"
  | "RESOURCE_DOES_NOT_EXIST"
  | "UNAUTHENTICATED"
  | "PERMISSION_DENIED";

export interface HttpError {
  errorCode: MlflowErrorCode;
  status: number;
}

/** Keel error code → MLflow error code and HTTP status. */
export const ERROR_HTTP: Readonly<Record<ErrorCode, HttpError>> = {
  INVALID_INPUT: { errorCode: "INVALID_PARAMETER_VALUE", status: 400 },
  SCHEMA_MISMATCH: { errorCode: "INVALID_PARAMETER_VALUE", status: 400 },
  NOT_FOUND: { errorCode: "RESOURCE_DOES_NOT_EXIST", status: 404 },
  ALREADY_EXISTS: { errorCode: "RESOURCE_ALREADY_EXISTS", status: 400 },
  // a state that forbids the operation (purging an active run, ...): a client mistake
  CONFLICT: { errorCode: "BAD_REQUEST", status: 400 },
  UNAUTHENTICATED: { errorCode: "UNAUTHENTICATED", status: 401 },
  FORBIDDEN: { errorCode: "PERMISSION_DENIED", status: 403 },
  UNSUPPORTED: { errorCode: "BAD_REQUEST", status: 400 },
  IO_ERROR: { errorCode: "INTERNAL_ERROR", status: 500 },
  CANCELLED: { errorCode: "TEMPORARILY_UNAVAILABLE", status: 503 },
  // a model file that fails its checksum or validation: well-formed request, unprocessable content
  CORRUPT_MODEL: { errorCode: "INVALID_PARAMETER_VALUE", status: 422 },
  INTERNAL: { errorCode: "INTERNAL_ERROR", status: 500 },
};

/** Problems found by the HTTP layer before any Keel code runs. */
export const HTTP_PROBLEMS = {
  /** Malformed JSON, a body over the limit, an unsupported content type. */
  badRequest: { errorCode: "BAD_REQUEST", status: 400 },
  /** No route for this method and path. */
  notFound: { errorCode: "ENDPOINT_NOT_FOUND", status: 404 },
} as const satisfies Record<string, HttpError>;

/** The JSON body of an error response. */
export interface ErrorBody {
  error_code: MlflowErrorCode;
  message: string;
  keel?: { code: string; path?: string; expected?: string; problems?: { path?: string; message: string; expected?: string }[] };
}

/** Fastify's own request errors (body parsing, limits) and the problem each one is. */
const FASTIFY_REQUEST_ERRORS = new Set([
  "FST_ERR_CTP_BODY_TOO_LARGE",
  "FST_ERR_CTP_INVALID_MEDIA_TYPE",
  "FST_ERR_CTP_INVALID_CONTENT_LENGTH",
  "FST_ERR_CTP_EMPTY_JSON_BODY",
  "FST_ERR_CTP_INVALID_JSON_BODY",
  "FST_ERR_BAD_URL",
  "FST_ERR_ASYNC_CONSTRAINT",
  "FST_ERR_VALIDATION",
]);

/** What to answer for an error thrown while handling a request. */
export function errorResponse(e: unknown, limits: { bodyLimit?: number } = {}): { status: number; body: ErrorBody; internal: boolean } {
  if (isKeelError(e)) {
    const h = ERROR_HTTP[e.code] ?? ERROR_HTTP.INTERNAL;
    const keel: ErrorBody["keel"] = { code: e.code };
    if (e.path) keel.path = e.path;
    if (e.expected) keel.expected = e.expected;
    if (e.problems.length > 0) keel.problems = e.problems.map((p) => ({ ...(p.path ? { path: p.path } : {}), message: p.message, ...(p.expected ? { expected: p.expected } : {}) }));
    return { status: h.status, body: { error_code: h.errorCode, message: e.message, keel }, internal: h.status >= 500 };
  }
  const err = e as { code?: string; statusCode?: number; message?: string };
  if (err && typeof err.code === "string" && FASTIFY_REQUEST_ERRORS.has(err.code)) {
    const p = HTTP_PROBLEMS.badRequest;
    const limit = limits.bodyLimit === undefined ? "" : ` of ${limits.bodyLimit.toLocaleString("en-US")} bytes`;
    const message = err.code === "FST_ERR_CTP_BODY_TOO_LARGE" ? `request body is larger than the server's limit${limit}` : (err.message ?? "bad request");
    return { status: p.status, body: { error_code: p.errorCode, message, keel: { code: "INVALID_INPUT", path: "body" } }, internal: false };
  }
  if (err instanceof SyntaxError) {
    const p = HTTP_PROBLEMS.badRequest;
    return { status: p.status, body: { error_code: p.errorCode, message: `request body is not valid JSON: ${err.message}`, keel: { code: "INVALID_INPUT", path: "body" } }, internal: false };
  }
  if (err && typeof err.statusCode === "number" && err.statusCode >= 400 && err.statusCode < 500) {
    // any other client error fastify raised (a malformed header, an aborted upload...)
    const p = HTTP_PROBLEMS.badRequest;
    return { status: p.status, body: { error_code: p.errorCode, message: err.message ?? "bad request" }, internal: false };
  }
  const h = ERROR_HTTP.INTERNAL;
  return { status: h.status, body: { error_code: h.errorCode, message: "internal server error (a bug in Keel; the server log has the details)" }, internal: true };
}

/** Node's HTTP parser errors (before any route runs) → status and message. */
const CLIENT_ERRORS: Record<string, { status: number; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, message: "request headers are larger than the server's limit of 16 KB" },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, message: "the request took too long to arrive" },
  ERR_HTTP_HEADERS_TIMEOUT: { status: 408, message: "the request headers took too long to arrive" },
};

/**
 * The raw HTTP response for a request the HTTP parser refused (headers over 16 KB, a malformed
 * request line, ...): MLflow's error shape like every other error. Empty when nothing can be sent.
 */
export function clientErrorResponse(e: unknown): string {
  const code = (e as { code?: string } | null)?.code ?? "";
  const known = CLIENT_ERRORS[code];
  const status = known?.status ?? 400;
  const body: ErrorBody = { error_code: "BAD_REQUEST", message: known?.message ?? `malformed HTTP request (${code || "client error"})` };
  const text = JSON.stringify(body);
  const reason = status === 431 ? "Request Header Fields Too Large" : status === 408 ? "Request Timeout" : "Bad Request";
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`;
}

/** The error body for a route that does not exist. */
export function notFoundResponse(method: string, url: string): { status: number; body: ErrorBody } {
  const p = HTTP_PROBLEMS.notFound;
  const path = url.split("?")[0];
  return { status: p.status, body: { error_code: p.errorCode, message: `no endpoint ${method} ${path}` } };
}
