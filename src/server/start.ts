/**
 * Starting `keel server`: open the store's backend once (tracking, registry and tokens all live
 * over it), refuse to listen on a non-loopback address without tokens, build the app and listen.
 */
import type { FastifyInstance } from "fastify";
import { openBackend, parseStoreUri, resolveStoreUri } from "../backend/index.js";
import { ForbiddenError, InvalidInputError, show } from "../core/index.js";
import { openRegistry } from "../registry/index.js";
import type { ServeModelSpec } from "../serve/index.js";
import { openStore, type TrackingStore } from "../track/index.js";
import { openTokenStore } from "./auth/open-token-store.js";
import type { TokenStore } from "./auth/token-store.js";
import { type AppOptions, buildApp } from "./app.js";
import { isLoopback } from "./loopback.js";

export interface StartServerOptions extends AppOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 5000; 0 picks a free port. */
  port?: number;
  /** Store URI (default: `defaultStoreUri()`). A server cannot front another server. */
  store?: string;
  /** Artifact root for new experiments (default: beside the store). */
  artifacts?: string;
  /** Models to serve from this process too (`keel server --serve`): the data plane's routes, mounted. */
  serve?: readonly ServeModelSpec[];
}

export interface RunningServer {
  app: FastifyInstance;
  store: TrackingStore;
  tokens: TokenStore;
  /** `http://host:port` as bound. */
  url: string;
  host: string;
  port: number;
  /** Whether requests need a token (tokens exist, or the address is beyond loopback: then always). */
  auth: boolean;
  close(): Promise<void>;
}

/** Refuse an address other than loopback when no token exists. */
export async function checkExposure(host: string, tokens: TokenStore): Promise<number> {
  const n = await tokens.activeCount();
  if (!isLoopback(host) && n === 0) {
    throw new ForbiddenError(
      `refusing to listen on ${show(host)} without API tokens: anyone who can reach it could read and change every run. Create one first (\`keel token create --role admin\`), or bind to 127.0.0.1`,
      { path: "host", expected: "127.0.0.1, ::1 or localhost when no token exists", received: host },
    );
  }
  return n;
}

/**
 * Why the server could not listen, as the caller's mistake naming the flag (`port` or `host`):
 * the port is taken or privileged, the host does not resolve or is not an address of this
 * machine. Anything else is returned as is.
 */
export function listenError(e: unknown, host: string, port: number): unknown {
  const code = (e as { code?: string } | null)?.code;
  const shownHost = show(host);
  switch (code) {
    case "EADDRINUSE":
      return new InvalidInputError(`port ${port} on ${shownHost} is already in use: stop what listens there, or pick another port with --port (0 = any free port)`, { path: "port", expected: "a free port", received: port, cause: e });
    case "EACCES":
      return new InvalidInputError(`port ${port} on ${shownHost} needs privileges this process does not have: pick a port above 1023 with --port`, { path: "port", expected: "a port this user may bind", received: port, cause: e });
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NONAME":
    case "EAI_FAIL":
      return new InvalidInputError(`host ${shownHost} does not resolve to an address: give an IP address or a name this machine can resolve with --host`, { path: "host", expected: "an address of this machine", received: host, cause: e });
    case "EADDRNOTAVAIL":
      return new InvalidInputError(`host ${shownHost} is not an address of this machine: give one of its addresses with --host (127.0.0.1 for loopback)`, { path: "host", expected: "an address of this machine", received: host, cause: e });
    default:
      return e;
  }
}

export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 5000;
  const uri = resolveStoreUri(options.store);
  if (parseStoreUri(uri).kind === "http") {
    throw new ForbiddenError(`keel server needs a database store (a SQLite path or postgres://), not another server (${show(uri)})`, { path: "store", received: uri });
  }
  const backend = await openBackend(uri, { artifactRoot: options.artifacts });
  try {
    const tokens = await openTokenStore(backend);
    const n = await checkExposure(host, tokens);
    const store = await openStore(backend);
    const app = await buildApp({ store, tokens }, { ...options, requireTokens: !isLoopback(host) });
    if (options.serve && options.serve.length > 0) {
      // loaded only when asked for: serving loads every model kind
      const { mountServe } = await import("../serve/index.js");
      await mountServe(app, { models: options.serve, stores: { registry: await openRegistry(backend), tracking: store }, requireTokens: n > 0 || !isLoopback(host), tokens, onInternalError: options.onInternalError });
    }
    try {
      await app.listen({ host, port });
    } catch (e) {
      await app.close();
      throw listenError(e, host, port);
    }
    const addr = app.server.address();
    const boundPort = typeof addr === "object" && addr ? addr.port : port;
    const shownHost = host.includes(":") ? `[${host}]` : host;
    return {
      app,
      store,
      tokens,
      url: `http://${shownHost}:${boundPort}`,
      host,
      port: boundPort,
      auth: n > 0 || !isLoopback(host),
      close: async () => {
        await app.close();
        await backend.close();
      },
    };
  } catch (e) {
    await backend.close();
    throw e;
  }
}
