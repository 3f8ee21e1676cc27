/**
 * A small JSON-over-HTTP client for a `keel server` (node's fetch): GET parameters in the query
 * string, other bodies as JSON, `Authorization: Bearer` from `KEEL_TOKEN`, and MLflow's error
 * bodies turned back into Keel errors (exactly, when the server sent Keel's code; else by
 * MLflow's `error_code`).
 */
import { AlreadyExistsError, CancelledError, ConflictError, ForbiddenError, IoError, InvalidInputError, type KeelError, NotFoundError, SchemaMismatchError, UnauthenticatedError, UnsupportedError, show } from "../../core/index.js";
import type { JsonObject } from "../../wire/index.js";

/** The HTTP methods the client sends. */
export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE" | "PUT";

/** Options of `HttpClient`. */
export interface HttpClientOptions {
  /** Bearer token; default `$KEEL_TOKEN`. */
  token?: string;
  /** Per-request time limit in ms (default 120,000). */
  timeoutMs?: number;
}

/** Keel error classes by code, to rebuild the server's error on the client. */
const BY_KEEL_CODE: Record<string, new (message: string, fields?: { path?: string; expected?: string }) => KeelError> = {
  INVALID_INPUT: InvalidInputError,
  SCHEMA_MISMATCH: SchemaMismatchError,
  NOT_FOUND: NotFoundError,
  ALREADY_EXISTS: AlreadyExistsError,
  CONFLICT: ConflictError,
  UNAUTHENTICATED: UnauthenticatedError,
  FORBIDDEN: ForbiddenError,
  UNSUPPORTED: UnsupportedError,
};

/** MLflow error codes (from servers that do not send Keel's code) and the Keel error they mean. */
const BY_MLFLOW_CODE: Record<string, new (message: string, fields?: { path?: string }) => KeelError> = {
  RESOURCE_DOES_NOT_EXIST: NotFoundError,
  RESOURCE_ALREADY_EXISTS: AlreadyExistsError,
  INVALID_PARAMETER_VALUE: InvalidInputError,
  BAD_REQUEST: InvalidInputError,
  INVALID_STATE: ConflictError,
  UNAUTHENTICATED: UnauthenticatedError,
  PERMISSION_DENIED: ForbiddenError,
  ENDPOINT_NOT_FOUND: UnsupportedError,
};

function appendQuery(url: URL, params: JsonObject | undefined): void {
  if (!params) return;
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) for (const x of v) url.searchParams.append(k, String(x));
    else url.searchParams.append(k, typeof v === "object" ? JSON.stringify(v) : String(v));
  }
}

/**
 * A JSON client for a `keel server`: bearer token, time limit, and the server's error bodies turned back into `KeelError`s.
 * @example
 * ```ts
 * const client = new HttpClient("http://127.0.0.1:5000", { token: "…" });
 * const body = await client.call("GET", "/api/2.0/mlflow/experiments/search", { max_results: 10 });
 * ```
 */
export class HttpClient {
  /** The server's base URL without a trailing slash. */
  readonly baseUrl: string;
  private readonly token?: string;
  private readonly timeoutMs: number;

  constructor(baseUrl: string, options: HttpClientOptions = {}) {
    let u: URL;
    try {
      u = new URL(baseUrl);
    } catch {
      throw new InvalidInputError(`server URL ${show(baseUrl)} is not a URL`, { path: "store", received: baseUrl });
    }
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new InvalidInputError(`server URL ${show(baseUrl)} is not http(s)`, { path: "store", received: baseUrl });
    if (u.username || u.password) throw new InvalidInputError(`server URL ${show(u.origin)}: put credentials in KEEL_TOKEN, not in the URL`, { path: "store" });
    u.search = "";
    u.hash = "";
    this.baseUrl = u.toString().replace(/\/+$/, "");
    const token = options.token ?? process.env.KEEL_TOKEN;
    this.token = token && token.trim() !== "" ? token.trim() : undefined;
    this.timeoutMs = options.timeoutMs ?? 120_000;
  }

  /** Headers every request carries. */
  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { accept: "application/json", ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...extra };
  }

  /**
   * Call a JSON endpoint (`path` from the server root, e.g. `/api/2.0/mlflow/runs/get`). When
   * `signal` fires the request is aborted — the server sees its client go away (a search on a
   * PostgreSQL store is then cancelled on the database) — and the call rejects with a `CancelledError`.
   */
  async call(method: HttpMethod, path: string, params?: JsonObject, headers: Record<string, string> = {}, options: { signal?: AbortSignal } = {}): Promise<JsonObject> {
    const url = new URL(this.baseUrl + path);
    let body: string | undefined;
    if (method === "GET") appendQuery(url, params);
    else body = JSON.stringify(params ?? {});
    const res = await this.fetch(url, { method, headers: this.headers(body === undefined ? headers : { ...headers, "content-type": "application/json" }), body, signal: options.signal });
    const text = await res.text();
    if (!res.ok) throw this.errorFrom(res, text, method, path);
    if (text === "") return {};
    try {
      return JSON.parse(text) as JsonObject;
    } catch {
      throw new IoError(`${method} ${url.pathname}: the server answered ${res.status} with a body that is not JSON`, { path: "response", received: text.slice(0, 200) });
    }
  }

  /** A raw request (artifact transfer); throws the server's error for a non-2xx answer. */
  async request(method: HttpMethod, path: string, init: { query?: JsonObject; body?: Uint8Array | ReadableStream<Uint8Array>; headers?: Record<string, string> } = {}): Promise<Response> {
    const url = new URL(this.baseUrl + path);
    appendQuery(url, init.query);
    const streaming = init.body !== undefined && !(init.body instanceof Uint8Array);
    const res = await this.fetch(url, { method, headers: this.headers(init.headers), body: init.body, ...(streaming ? { duplex: "half" } : {}) } as RequestInit);
    if (!res.ok) throw this.errorFrom(res, await res.text(), method, path);
    return res;
  }

  private async fetch(url: URL, init: RequestInit): Promise<Response> {
    const caller = init.signal ?? undefined;
    if (caller?.aborted) throw new CancelledError(`${init.method} ${url.pathname} was not sent: its caller went away`, { path: "request" });
    const timeout = AbortSignal.timeout(this.timeoutMs);
    try {
      return await fetch(url, { ...init, signal: caller ? AbortSignal.any([caller, timeout]) : timeout });
    } catch (e) {
      if (caller?.aborted) throw new CancelledError(`${init.method} ${url.pathname} was cancelled: its caller went away`, { path: "request", cause: e });
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (e as Error).message;
      throw new IoError(`cannot reach keel server ${show(this.baseUrl)} (${init.method} ${url.pathname}): ${why}`, { path: "store", received: this.baseUrl, cause: e });
    }
  }

  /** The Keel error an error response stands for. */
  private errorFrom(res: Response, text: string, method: string, path: string): KeelError {
    let body: { error_code?: string; message?: string; keel?: { code?: string; path?: string; expected?: string } } | undefined;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const message = typeof body?.message === "string" ? body.message : `${method} ${path}: HTTP ${res.status} ${res.statusText}`.trim();
    const fields = { path: body?.keel?.path, expected: body?.keel?.expected };
    const byKeel = body?.keel?.code ? BY_KEEL_CODE[body.keel.code] : undefined;
    if (byKeel) return new byKeel(message, fields);
    const byMlflow = body?.error_code ? BY_MLFLOW_CODE[body.error_code] : undefined;
    if (byMlflow) return new byMlflow(message, fields);
    if (res.status === 401) return new UnauthenticatedError(message);
    if (res.status === 403) return new ForbiddenError(message);
    if (res.status === 404) return new NotFoundError(message);
    return new IoError(`keel server ${show(this.baseUrl)}: ${message}`, { path: "response", received: res.status });
  }
}
