/**
 * Opening the registry: over a tracking store you already have (sharing its connection), or
 * by URI like `openStore` (a path / `sqlite:` / `postgres://`; `http(s)://` comes from the server
 * layer through `registerRegistryScheme`).
 */
import { UnsupportedError, show } from "../core/errors.js";
import { openStore, PostgresStore, SqliteStore, SqlTrackingStore, defaultStoreUri, type OpenStoreOptions, type TrackingStore } from "../track/index.js";
import { SqlRegistryStore, type SqlRegistryStoreOptions } from "./sql/registry-store.js";
import { PostgresRegistryStore, SqliteRegistryStore } from "./sql-registries.js";
import type { RegistryStore } from "./store.js";

export interface OpenRegistryOptions extends OpenStoreOptions {
  /** Actor recorded when a call names none (default `$KEEL_ACTOR`, else the OS user). */
  defaultActor?: string;
}

/** Builds a registry for a URI (or a tracking store) of the scheme it was registered for. */
export type RegistryFactory = (target: string | TrackingStore, options: OpenRegistryOptions) => Promise<RegistryStore>;

const factories = new Map<string, RegistryFactory>();

/** Register (or replace) the registry factory for a URI scheme (without ":"). */
export function registerRegistryScheme(scheme: string, factory: RegistryFactory): void {
  factories.set(scheme.toLowerCase(), factory);
}

const remoteNotYet: RegistryFactory = async (target) => {
  const uri = typeof target === "string" ? target : target.uri;
  throw new UnsupportedError(`registry ${show(uri)}: remote registries come with keel server (no client for http(s) registries is registered in this process)`, { path: "store", received: uri });
};
registerRegistryScheme("http", remoteNotYet);
registerRegistryScheme("https", remoteNotYet);

function overSql(store: SqlTrackingStore, options: SqlRegistryStoreOptions): Promise<SqlRegistryStore> {
  if (store instanceof SqliteStore) return SqliteRegistryStore.over(store, options);
  if (store instanceof PostgresStore) return PostgresRegistryStore.over(store, options);
  return SqlRegistryStore.open(store.sql, store.uri, options);
}

/**
 * The registry for a tracking store (same database and connection; the store stays the
 * caller's to close) or for a URI (the registry then owns the store and closes it with itself).
 */
export async function openRegistry(target?: string | TrackingStore, options: OpenRegistryOptions = {}): Promise<RegistryStore> {
  if (target !== undefined && typeof target !== "string") {
    if (target instanceof SqlTrackingStore) return overSql(target, { defaultActor: options.defaultActor });
    const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(target.uri)?.[1]?.toLowerCase() ?? target.kind;
    const factory = factories.get(scheme) ?? factories.get(target.kind);
    if (!factory) throw new UnsupportedError(`no registry implementation for a ${show(target.kind)} tracking store`, { path: "store", received: target.uri });
    return factory(target, options);
  }
  const uri = target === undefined || target.trim() === "" ? defaultStoreUri(options) : target.trim();
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase();
  const factory = scheme ? factories.get(scheme) : undefined;
  if (factory) return factory(uri, options);
  const store = await openStore(uri, options);
  if (!(store instanceof SqlTrackingStore)) {
    await store.close();
    throw new UnsupportedError(`no registry implementation for store ${show(uri)}`, { path: "store", received: uri });
  }
  try {
    return await overSql(store, { defaultActor: options.defaultActor, onClose: () => store.close() });
  } catch (e) {
    await store.close();
    throw e;
  }
}
