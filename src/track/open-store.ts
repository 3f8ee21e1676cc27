/**
 * Opening the tracking store over a backend: `SqlTrackingStore` over SQLite or PostgreSQL,
 * `RemoteStore` over a `keel server`.
 */
import { type Backend, type OpenBackendOptions, openOver } from "../backend/index.js";
import { RemoteStore } from "./remote-store.js";
import { SqlTrackingStore } from "./sql/tracking-store.js";
import type { TrackingStore } from "./store.js";

/**
 * The tracking store over `target`: a backend you opened (shared, left open when the store
 * closes), or a store URI — a path, `sqlite:`, `postgres://`, `http(s)://`; default
 * `defaultStoreUri()` — whose backend the store then owns. Applies migrations.
 *
 * @example
 * const store = await openStore("examples/credit/.keel/keel.db");
 * const page = await store.searchRuns({ filter: "metrics.roc_auc > 0.8" });
 * await store.close();
 */
export function openStore(target?: string | Backend, options: OpenBackendOptions = {}): Promise<TrackingStore> {
  return openOver<TrackingStore>(target, options, async (backend) => (backend.kind === "http" ? new RemoteStore(backend) : SqlTrackingStore.open(backend)));
}
