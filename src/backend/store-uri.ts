/**
 * A store URI, parsed once (as MLflow's tracking URIs are):
 * - a path, `sqlite:PATH`, `sqlite:///relative.db`, `sqlite:////abs.db`, `sqlite::memory:` or
 *   `file:///abs.db` → embedded SQLite;
 * - `postgres://` / `postgresql://` → PostgreSQL (`?schema=name` puts the tables in a schema);
 * - `http://` / `https://` → a remote `keel server`.
 */
import { InvalidInputError, UnsupportedError, show } from "../core/index.js";

/** Where a store lives, by kind of backend. */
export type StoreLocation = { kind: "sqlite"; file: string } | { kind: "postgres"; uri: string } | { kind: "http"; url: string };

/** The URI's scheme in lower case; undefined for a path (a Windows drive letter is a path too). */
function schemeOf(uri: string): string | undefined {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase();
  return scheme === undefined || scheme.length === 1 ? undefined : scheme;
}

/**
 * The SQLite file a `sqlite:` URI or a path names (SQLAlchemy's slash rules for `sqlite:///`).
 * @example
 * ```ts
 * sqlitePath("sqlite:////tmp/keel.db"); // "/tmp/keel.db"
 * sqlitePath("sqlite:///keel.db"); // "keel.db" (three slashes: relative)
 * ```
 */
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
 * Parse a store URI (see the module note); UNSUPPORTED for any other scheme.
 * @example
 * ```ts
 * parseStoreUri("postgres://postgres@127.0.0.1:5432/test"); // { kind: "postgres", uri: … }
 * parseStoreUri(".keel/keel.db"); // { kind: "sqlite", file: ".keel/keel.db" }
 * ```
 */
export function parseStoreUri(uri: string): StoreLocation {
  const target = uri.trim();
  const scheme = schemeOf(target);
  if (scheme === undefined || scheme === "sqlite") return { kind: "sqlite", file: sqlitePath(target) };
  if (scheme === "file") return { kind: "sqlite", file: new URL(target).pathname };
  if (scheme === "postgres" || scheme === "postgresql") return { kind: "postgres", uri: target };
  if (scheme === "http" || scheme === "https") return { kind: "http", url: target };
  throw new UnsupportedError(`store URI ${show(target)}: unknown scheme ${show(scheme + ":")}; expected a path, sqlite:, file:, postgres://, postgresql:// or http(s)://`, {
    path: "store",
    expected: "path | sqlite: | file: | postgres:// | http(s)://",
    received: target,
  });
}
