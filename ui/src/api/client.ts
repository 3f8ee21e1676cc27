/**
 * The one door to the server: same-origin `fetch` with the bearer token (when signed in), JSON in
 * and out, and MLflow's error bodies turned into `ApiError`s that name the field at fault.
 */

const TOKEN_KEY = "keel.token";

/** Dispatched on `window` when the server answers 401: the sign-in form takes over. */
export const UNAUTHENTICATED = "keel:unauthenticated";

/** The signed-in token, kept for this browser tab only (sessionStorage). */
export function storedToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function storeToken(token: string | null): void {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // storage unavailable (private mode): the token lives as long as the page
  }
  memoryToken = token;
}

let memoryToken: string | null = storedToken();

/** A failed request: HTTP status, MLflow's `error_code`, the message, and Keel's field path when sent. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
  /** The route does not exist on this server (a feature that has not landed). */
  get missingEndpoint(): boolean {
    return this.status === 404 && this.code === "ENDPOINT_NOT_FOUND";
  }
}

type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

function queryString(q: Query | undefined): string {
  if (!q) return "";
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) p.append(k, x);
    else p.append(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : "";
}

function headers(json: boolean): Headers {
  const h = new Headers({ accept: "application/json" });
  if (json) h.set("content-type", "application/json");
  if (memoryToken) h.set("authorization", `Bearer ${memoryToken}`);
  return h;
}

async function failure(res: Response): Promise<ApiError> {
  let body: { error_code?: string; message?: string; keel?: { path?: string } } = {};
  try {
    body = await res.json();
  } catch {
    // not JSON: keep the status line
  }
  if (res.status === 401) window.dispatchEvent(new Event(UNAUTHENTICATED));
  return new ApiError(res.status, body.error_code ?? `HTTP_${res.status}`, body.message ?? `${res.status} ${res.statusText}`, body.keel?.path);
}

/** Send a request; `path` is from the server root (e.g. `/api/2.0/mlflow/runs/get`). */
export async function request(method: "GET" | "POST" | "PATCH" | "DELETE", path: string, options: { query?: Query; body?: unknown; signal?: AbortSignal } = {}): Promise<Response> {
  const res = await fetch(path + queryString(options.query), {
    method,
    headers: headers(options.body !== undefined),
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  if (!res.ok) throw await failure(res);
  return res;
}

/** GET a JSON route of MLflow's (`mlflow/...`) or Keel's (`keel/...`) API. */
export async function get<T>(route: string, query?: Query, signal?: AbortSignal): Promise<T> {
  return (await request("GET", `/api/2.0/${route}`, { query, signal })).json() as Promise<T>;
}

/** POST (or PATCH/DELETE) a JSON body to a route of the API. */
export async function send<T>(method: "POST" | "PATCH" | "DELETE", route: string, body: unknown, signal?: AbortSignal): Promise<T> {
  return (await request(method, `/api/2.0/${route}`, { body, signal })).json() as Promise<T>;
}

/**
 * Every item of a paged MLflow search: follows `next_page_token` until the last page.
 * `field` names the list in the answer (`experiments`, `registered_models`, ...).
 */
export async function getAll<T>(route: string, field: string, query: Query, signal?: AbortSignal): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const r = await get<Record<string, unknown> & { next_page_token?: string }>(route, { ...query, page_token: token }, signal);
    out.push(...((r[field] as T[] | undefined) ?? []));
    token = r.next_page_token;
  } while (token);
  return out;
}

/** A double from the wire ("NaN", "Infinity" arrive as strings). */
export function num(v: number | string | undefined): number {
  if (v === undefined) return NaN;
  return typeof v === "number" ? v : Number(v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : v);
}
