/**
 * The data plane's one record from errors to HTTP statuses and its two error shapes: the Open
 * Inference Protocol's `{"error": "..."}` under `/v2`, MLflow's `{"error_code", "message"}` on the
 * MLflow routes. Bad input is always a 4xx; only Keel's own bugs are 500s.
 */
import { type ErrorCode, isKeelError } from "../core/index.js";

/** Keel error code → HTTP status on the serving routes (UNSUPPORTED is a body's content type: 415). */
export const SERVE_HTTP: Readonly<Record<ErrorCode, number>> = {
  INVALID_INPUT: 400,
  SCHEMA_MISMATCH: 400,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 400,
  CONFLICT: 409,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  UNSUPPORTED: 415,
  IO_ERROR: 500,
  CANCELLED: 503,
  // a model file that fails its seal or validation: the content, not the request, is at fault
  CORRUPT_MODEL: 422,
  INTERNAL: 500,
};

/** MLflow's `error_code` for a status. */
const MLFLOW_CODE: Record<number, string> = { 400: "BAD_REQUEST", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "RESOURCE_DOES_NOT_EXIST", 409: "BAD_REQUEST", 413: "BAD_REQUEST", 415: "BAD_REQUEST", 422: "INVALID_PARAMETER_VALUE", 503: "TEMPORARILY_UNAVAILABLE" };

/** The status and message for any thrown value; `internal` when it is a bug (500). */
export function describeError(e: unknown): { status: number; message: string; internal: boolean } {
  if (isKeelError(e)) {
    const status = SERVE_HTTP[e.code] ?? 500;
    return { status, message: e.message, internal: status >= 500 };
  }
  // fastify's own (body too large, malformed content type, ...) carry a 4xx statusCode
  const status = (e as { statusCode?: unknown })?.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) return { status, message: (e as Error).message, internal: false };
  return { status: 500, message: "internal error: see the server's log", internal: true };
}

/** The error body of a route family. */
export function errorBody(protocol: "v2" | "mlflow", status: number, message: string): string {
  return JSON.stringify(protocol === "v2" ? { error: message } : { error_code: MLFLOW_CODE[status] ?? (status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST"), message });
}
