/**
 * Which store a command uses when none is named — the one place Keel reads `KEEL_STORE`,
 * `MLFLOW_TRACKING_URI` and `KEEL_HOME`, so every command (and the library) agrees:
 * 1. `$KEEL_STORE`;
 * 2. `$MLFLOW_TRACKING_URI`, when it names a `keel server` (`http(s)://`) or PostgreSQL
 *    (`postgres(ql)://`). An MLflow file store or SQLite database given there is refused, never
 *    read or migrated: its tables are MLflow's, not Keel's;
 * 3. `keel.db` in Keel's local folder: `$KEEL_HOME`, else `.keel/` in the project (the nearest
 *    folder up from the working directory holding `keel.yaml`, else the working directory).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { UnsupportedError, show } from "../core/index.js";

/** Where to look for the default store. */
export interface DefaultStoreOptions {
  /** The project folder (default: found from the working directory). */
  projectDir?: string;
}

/**
 * The nearest directory up from `from` holding keel.yaml, else `from`.
 * @example
 * ```ts
 * const dir = findProjectDir(); // the folder of the nearest keel.yaml, or the working directory
 * ```
 */
export function findProjectDir(from = process.cwd()): string {
  let dir = path.resolve(from);
  for (;;) {
    if (existsSync(path.join(dir, "keel.yaml")) || existsSync(path.join(dir, "keel.yml"))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(from);
    dir = up;
  }
}

/**
 * Keel's local folder: `$KEEL_HOME`, else `<project>/.keel`.
 * @example
 * ```ts
 * const home = keelHome({ projectDir: "examples/credit" }); // $KEEL_HOME or examples/credit/.keel
 * ```
 */
export function keelHome(options: DefaultStoreOptions = {}): string {
  const home = process.env.KEEL_HOME;
  if (home && home.trim() !== "") return path.resolve(home.trim());
  return path.join(options.projectDir ? path.resolve(options.projectDir) : findProjectDir(), ".keel");
}

/** `$MLFLOW_TRACKING_URI` when Keel can use it, undefined when unset; UNSUPPORTED for MLflow's own stores. */
function mlflowTrackingUri(): string | undefined {
  const uri = process.env.MLFLOW_TRACKING_URI?.trim();
  if (!uri) return undefined;
  if (/^(https?|postgres(ql)?):\/\//i.test(uri)) return uri;
  const what = /^sqlite:/i.test(uri) ? "an MLflow SQLite store" : /^file:/i.test(uri) || !/^[a-z][a-z0-9+.-]+:/i.test(uri) ? "an MLflow file store" : "a store Keel cannot use";
  throw new UnsupportedError(
    `MLFLOW_TRACKING_URI ${show(uri)} names ${what}; Keel never reads or migrates MLflow's own stores. Point it at a keel server (http(s)://) or PostgreSQL (postgres://), or set KEEL_STORE / --store to a Keel store, or unset it`,
    { path: "MLFLOW_TRACKING_URI", expected: "http(s):// or postgres(ql)://", received: uri },
  );
}

/**
 * The store URI used when none is given (see the module note).
 * @example
 * ```ts
 * const uri = defaultStoreUri(); // $KEEL_STORE, an http/postgres $MLFLOW_TRACKING_URI, else <keelHome>/keel.db
 * ```
 */
export function defaultStoreUri(options: DefaultStoreOptions = {}): string {
  const env = process.env.KEEL_STORE?.trim();
  if (env) return env;
  return mlflowTrackingUri() ?? path.join(keelHome(options), "keel.db");
}

/**
 * `uri` when it names a store, else the default one.
 * @example
 * ```ts
 * const uri = resolveStoreUri(process.argv[2]); // the argument, or the default store
 * ```
 */
export function resolveStoreUri(uri: string | undefined, options: DefaultStoreOptions = {}): string {
  return uri === undefined || uri.trim() === "" ? defaultStoreUri(options) : uri.trim();
}
