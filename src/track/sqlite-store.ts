/**
 * The embedded tracking store: one SQLite file through better-sqlite3 (WAL journal, busy
 * timeout, one transaction per multi-row write). The default store of every Keel project.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { SqliteDriver, type SqliteDriverOptions } from "./sql/sqlite-driver.js";
import { SqlTrackingStore } from "./sql/tracking-store.js";

export interface SqliteStoreOptions extends SqliteDriverOptions {
  /** Where experiments keep artifacts (path or URI). Default: `artifacts/` beside the database file. */
  artifactRoot?: string;
}

export class SqliteStore extends SqlTrackingStore {
  declare readonly sql: SqliteDriver;

  /** Open (creating the file and its folder when missing) and migrate. `:memory:` gives a private in-memory store. */
  static async open(file: string, options: SqliteStoreOptions = {}): Promise<SqliteStore> {
    const memory = file === ":memory:";
    const abs = memory ? file : path.resolve(file);
    if (!memory) mkdirSync(path.dirname(abs), { recursive: true });
    const root = options.artifactRoot ?? (memory ? path.resolve(".keel", "artifacts") : path.join(path.dirname(abs), "artifacts"));
    const driver = new SqliteDriver(abs, options);
    const store = new SqliteStore(driver, { uri: memory ? "sqlite::memory:" : `sqlite:${abs}`, artifactRoot: artifactRootUri(root) });
    try {
      await store.init();
    } catch (e) {
      await driver.close();
      throw e;
    }
    return store;
  }

  /** The database file. */
  get file(): string {
    return this.sql.file;
  }
}

/** A plain path becomes a `file://` URI (absolute); URIs pass through. */
export function artifactRootUri(root: string): string {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(root) && !/^[a-zA-Z]:[\\/]/.test(root)) return root.replace(/\/+$/, "");
  return pathToFileURL(path.resolve(root)).href.replace(/\/+$/, "");
}
