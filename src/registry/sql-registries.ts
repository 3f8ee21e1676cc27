/**
 * The registry in the tracking store's own database: `SqliteRegistryStore` over a
 * `SqliteStore`, `PostgresRegistryStore` over a `PostgresStore` — one connection, one
 * migration history (component "registry").
 */
import type { PostgresStore, SqliteStore } from "../track/index.js";
import { SqlRegistryStore, type SqlRegistryStoreOptions } from "./sql/registry-store.js";

export class SqliteRegistryStore extends SqlRegistryStore {
  /** The registry in a SQLite tracking store's file (migrated on open). */
  static over(store: SqliteStore, options: SqlRegistryStoreOptions = {}): Promise<SqliteRegistryStore> {
    return SqliteRegistryStore.open(store.sql, store.uri, options);
  }
}

export class PostgresRegistryStore extends SqlRegistryStore {
  /** The registry in a PostgreSQL tracking store's database (and schema), migrated on open. */
  static over(store: PostgresStore, options: SqlRegistryStoreOptions = {}): Promise<PostgresRegistryStore> {
    return PostgresRegistryStore.open(store.sql, store.uri, options);
  }
}
