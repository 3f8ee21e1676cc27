/**
 * The team tracking store: PostgreSQL through a `pg` connection pool, one transaction per
 * multi-row write, migrations under an advisory lock. Many processes and machines can log to it
 * at once.
 */
import path from "node:path";
import pg from "pg";
import { PostgresDriver, redact, splitSchema } from "./sql/postgres-driver.js";
import { SqlTrackingStore } from "./sql/tracking-store.js";
import { artifactRootUri } from "./sqlite-store.js";

export interface PostgresStoreOptions {
  /** Where experiments keep artifacts (path or URI). Default: `.keel/artifacts` in the working directory. */
  artifactRoot?: string;
  /** Put every table in this schema (created when missing); also `?schema=` in the URI. */
  schema?: string;
  /** Pool size (default 10). */
  max?: number;
  /** Drop the schema when the store closes (tests). Only with `schema`. */
  dropSchemaOnClose?: boolean;
}

export class PostgresStore extends SqlTrackingStore {
  declare readonly sql: PostgresDriver;

  static async open(uri: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const driver = await PostgresDriver.open({ connectionString: uri, schema: options.schema, max: options.max });
    const root = options.artifactRoot ?? path.resolve(".keel", "artifacts");
    const store = new PostgresStore(driver, { uri: redact(uri), artifactRoot: artifactRootUri(root) });
    if (options.dropSchemaOnClose && driver.schema) {
      const schema = driver.schema;
      const { connectionString } = splitSchema(uri);
      store.onClose = async () => {
        const c = new pg.Client({ connectionString });
        await c.connect();
        try {
          await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        } finally {
          await c.end();
        }
      };
    }
    try {
      await store.init();
    } catch (e) {
      await driver.close();
      throw e;
    }
    return store;
  }

  /** The schema holding the tables, when one was named. */
  get schema(): string | undefined {
    return this.sql.schema;
  }
}
