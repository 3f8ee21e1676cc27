/**
 * Where API tokens live: in the same database as the tracking store (a table of their own,
 * `keel_api_tokens`, created by its own idempotent migration on open), or — for an `http(s)://`
 * store URI — on a remote `keel server`, managed through its admin endpoints.
 */
import { InvalidInputError, show } from "../../core/errors.js";
import { defaultStoreUri, sqlitePath } from "../../track/index.js";
import { PostgresTokenStore } from "./postgres-token-store.js";
import { RemoteTokenStore } from "./remote-token-store.js";
import { SqliteTokenStore } from "./sqlite-token-store.js";
import type { TokenStore } from "./token-store.js";

export type TokenBackend = { kind: "sqlite"; file: string } | { kind: "postgres"; uri: string } | { kind: "remote"; url: string };

/** Which backend a store URI names (same rules as `openStore`). */
export function tokenBackend(storeUri?: string): TokenBackend {
  const target = storeUri === undefined || storeUri.trim() === "" ? defaultStoreUri() : storeUri.trim();
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(target)?.[1]?.toLowerCase();
  if (scheme === undefined || scheme.length === 1 || scheme === "sqlite") return { kind: "sqlite", file: sqlitePath(target) };
  if (scheme === "file") return { kind: "sqlite", file: new URL(target).pathname };
  if (scheme === "postgres" || scheme === "postgresql") return { kind: "postgres", uri: target };
  if (scheme === "http" || scheme === "https") return { kind: "remote", url: target };
  throw new InvalidInputError(`store URI ${show(target)}: tokens cannot be kept in a ${show(scheme + ":")} store`, { path: "store", expected: "path | sqlite: | postgres:// | http(s)://", received: target });
}

/** Open the token store beside the tracking store `storeUri` names (default: `KEEL_STORE` or the project's). */
export async function openTokenStore(storeUri?: string, options: { token?: string } = {}): Promise<TokenStore> {
  const b = tokenBackend(storeUri);
  if (b.kind === "sqlite") {
    return SqliteTokenStore.open(b.file);
  }
  if (b.kind === "postgres") {
    return PostgresTokenStore.open(b.uri);
  }
  return new RemoteTokenStore(b.url, options.token ?? process.env.KEEL_TOKEN);
}
