/**
 * Opening the registry over a backend: `SqlRegistryStore` over SQLite or PostgreSQL (the
 * tracking tables' database), `RemoteRegistry` over a `keel server`.
 */
import { type Backend, isBackend, type OpenBackendOptions, openOver } from "../backend/index.js";
import type { TrackingStore } from "../track/index.js";
import { RemoteRegistry } from "./remote-registry.js";
import { SqlRegistryStore } from "./sql/registry-store.js";
import type { RegistryStore } from "./store.js";

/** Options of `openRegistry`. */
export interface OpenRegistryOptions extends OpenBackendOptions {
  /** Actor recorded when a call names none (default `$KEEL_ACTOR`, else the OS user). */
  defaultActor?: string;
}

/**
 * The registry over `target`: a backend you opened, or a tracking store's (both shared and left
 * open when the registry closes), or a store URI (default `defaultStoreUri()`) whose backend the
 * registry then owns. Applies migrations.
 *
 * @example
 * const registry = await openRegistry("examples/credit/.keel/keel.db");
 * const champion = await registry.getModelVersionByAlias("credit", "champion");
 * await registry.close();
 */
export function openRegistry(target?: string | Backend | TrackingStore, options: OpenRegistryOptions = {}): Promise<RegistryStore> {
  const over = target === undefined || typeof target === "string" || isBackend(target) ? target : target.backend;
  return openOver<RegistryStore>(over, options, async (backend) => (backend.kind === "http" ? new RemoteRegistry(backend, options) : SqlRegistryStore.open(backend, options)));
}
