/**
 * The PostgreSQL connection behind a store, for a component that opens clients of its own on the
 * same database — the job queue of distributed tuning (pg-boss keeps its own schema and pool). A
 * store of another kind is refused with a message saying PostgreSQL is needed.
 */
import { InvalidInputError } from "../core/index.js";
import { type Backend, SqlBackend } from "./backend.js";
import type { PostgresDriver } from "./sql/postgres-driver.js";

/** How another PostgreSQL client (a job queue) reaches a store's database: its URL and schema. */
export interface PostgresConnection {
  /** `postgres://…` without Keel's query parameters (`schema`, `statement_timeout`). */
  connectionString: string;
  /** The schema the store's tables live in, when its URI named one. */
  schema?: string;
}

/**
 * The connection of a PostgreSQL backend; `purpose` names what needs it in the error a SQLite or
 * HTTP store gets.
 * @example const { connectionString } = postgresConnection(store.backend, "keel tune worker");
 */
export function postgresConnection(backend: Backend, purpose: string): PostgresConnection {
  if (backend instanceof SqlBackend && backend.sql.dialect === "postgres") {
    const driver = backend.sql as PostgresDriver; // pg loads only for PostgreSQL stores: no value import here
    return { connectionString: driver.connectionString, ...(driver.schema !== undefined ? { schema: driver.schema } : {}) };
  }
  throw new InvalidInputError(`${purpose} needs a PostgreSQL store (postgres://…): its job queue lives in PostgreSQL; got ${backend.uri} (${backend.kind})`, {
    path: "store",
    received: backend.uri,
    expected: "a postgres:// store URI",
  });
}
