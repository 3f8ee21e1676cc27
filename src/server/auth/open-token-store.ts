/**
 * Opening the token store over a backend: the `keel_api_tokens` table of a SQL backend (beside
 * the tracking tables) or, over a `keel server`, its admin endpoints.
 */
import { type Backend, type OpenBackendOptions, openOver } from "../../backend/index.js";
import { RemoteTokenStore } from "./remote-token-store.js";
import { SqlTokenStore } from "./sql-token-store.js";
import type { TokenStore } from "./token-store.js";

/**
 * The token store over `target`: a backend you opened (shared, left open when the token store
 * closes), or a store URI (default `defaultStoreUri()`) whose backend it then owns.
 *
 * @example
 * const tokens = await openTokenStore("postgres://keel@db/keel");
 * const { token } = await tokens.create({ role: "write", name: "ci" });
 * await tokens.close();
 */
export function openTokenStore(target?: string | Backend, options: OpenBackendOptions = {}): Promise<TokenStore> {
  return openOver<TokenStore>(target, options, async (backend) => (backend.kind === "http" ? new RemoteTokenStore(backend) : SqlTokenStore.open(backend)));
}
