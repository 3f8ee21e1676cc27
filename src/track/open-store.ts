/**
 * Choosing a store by URI (DESIGN), as MLflow users expect:
 * - a path, `sqlite:PATH`, `sqlite:///relative.db`, `sqlite:////abs.db` or `sqlite::memory:` → SQLite;
 * - `postgres://` / `postgresql://` → PostgreSQL (`?schema=name` puts the tables in a schema);
 * - `http://` / `https://` → a remote `keel server`, supplied by the server layer through
 *   `registerStoreScheme` (track/ never imports it).
 * With no URI: `$KEEL_STORE`, else `$KEEL_HOME/keel.db`, else `.keel/keel.db` in the project
 * directory (the nearest folder up from the working directory holding `keel.yaml`, else the
 * working directory).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { InvalidInputError, UnsupportedError, show } from "../core/errors.js";
import { PostgresStore } from "./postgres-store.js";
import { SqliteStore } from "./sqlite-store.js";
import type { TrackingStore } from "./store.js";

export interface OpenStoreOptions {
  /** Project directory for the default SQLite file (default: found from the working directory). */
  projectDir?: string;
  /** Artifact root for new experiments (default: beside the SQLite file, or the project's `.keel/artifacts`). */
  artifactRoot?: string;
}

/** Builds a store for a URI whose scheme it was registered for. */
export type StoreFactory = (uri: string, options: OpenStoreOptions) => Promise<TrackingStore>;

const factories = new Map<string, StoreFactory>();

/**
 * Register (or replace) the factory for a URI scheme (`"http"`, `"https"`, `"s3+keel"`...): the
 * server layer plugs its REST client in this way. Scheme names are case-insensitive, without ":".
 */
export function registerStoreScheme(scheme: string, factory: StoreFactory): void {
  if (!/^[a-z][a-z0-9+.-]*$/i.test(scheme)) throw new InvalidInputError(`store scheme ${show(scheme)} is not a URI scheme`, { path: "scheme", received: scheme });
  factories.set(scheme.toLowerCase(), factory);
}

const remoteNotYet: StoreFactory = async (uri) => {
  throw new UnsupportedError(`store ${show(uri)}: remote stores come with keel server (no client for http(s) stores is registered in this process)`, { path: "store", received: uri });
};
registerStoreScheme("http", remoteNotYet);
registerStoreScheme("https", remoteNotYet);
registerStoreScheme("postgres", (uri, o) => PostgresStore.open(uri, { artifactRoot: o.artifactRoot ?? path.join(keelHome(o), "artifacts") }));
registerStoreScheme("postgresql", (uri, o) => PostgresStore.open(uri, { artifactRoot: o.artifactRoot ?? path.join(keelHome(o), "artifacts") }));

/** The nearest directory up from `from` holding keel.yaml, else `from`. */
export function findProjectDir(from = process.cwd()): string {
  let dir = path.resolve(from);
  for (;;) {
    if (existsSync(path.join(dir, "keel.yaml")) || existsSync(path.join(dir, "keel.yml"))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(from);
    dir = up;
  }
}

/** Keel's local folder: `$KEEL_HOME`, else `<project>/.keel`. */
export function keelHome(options: OpenStoreOptions = {}): string {
  const home = process.env.KEEL_HOME;
  if (home) return path.resolve(home);
  return path.join(options.projectDir ? path.resolve(options.projectDir) : findProjectDir(), ".keel");
}

/** The URI `openStore()` uses without an argument. */
export function defaultStoreUri(options: OpenStoreOptions = {}): string {
  const env = process.env.KEEL_STORE;
  if (env && env.trim() !== "") return env.trim();
  return path.join(keelHome(options), "keel.db");
}

/** The SQLite file a `sqlite:` URI or a path names (SQLAlchemy's slash rules for `sqlite:///`). */
export function sqlitePath(uri: string): string {
  if (!uri.toLowerCase().startsWith("sqlite:")) return uri;
  let rest = uri.slice("sqlite:".length);
  if (rest.startsWith("////")) rest = "/" + rest.slice(4); // sqlite:////abs.db
  else if (rest.startsWith("///")) rest = rest.slice(3); // sqlite:///relative.db
  else if (rest.startsWith("//")) rest = rest.slice(2);
  if (rest === "") throw new InvalidInputError(`store URI ${show(uri)} names no file`, { path: "store", expected: "sqlite:///relative.db, sqlite:////absolute.db or sqlite:PATH", received: uri });
  return rest;
}

/**
 * Open the tracking store a URI names (see the module note); applies migrations. The caller
 * closes it.
 */
export async function openStore(uri?: string, options: OpenStoreOptions = {}): Promise<TrackingStore> {
  const target = uri === undefined || uri.trim() === "" ? defaultStoreUri(options) : uri.trim();
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(target)?.[1]?.toLowerCase();
  // a Windows drive letter or no scheme at all: a path
  if (scheme === undefined || scheme.length === 1 || scheme === "sqlite" || scheme === "file") {
    const file = scheme === "file" ? new URL(target).pathname : sqlitePath(target);
    return SqliteStore.open(file, { artifactRoot: options.artifactRoot });
  }
  const factory = factories.get(scheme);
  if (!factory) {
    throw new UnsupportedError(`store URI ${show(target)}: unknown scheme ${show(scheme + ":")}; expected a path, sqlite:, postgres://, postgresql:// or http(s)://`, {
      path: "store",
      expected: "path | sqlite: | postgres:// | http(s)://",
      received: target,
    });
  }
  return factory(target, options);
}
