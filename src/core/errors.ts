/**
 * Keel's errors. Problems are data first (`Problem`), exceptions second (`KeelError`).
 * Every error carries a stable `code`; the server maps codes to HTTP statuses in one place.
 */

/** Stable error codes. Never rename one: clients match on them. */
export type ErrorCode =
  | "INVALID_INPUT"
  | "SCHEMA_MISMATCH"
  | "NOT_FOUND"
  | "ALREADY_EXISTS"
  | "CONFLICT"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "IO_ERROR"
  | "UNSUPPORTED"
  | "CANCELLED"
  | "CORRUPT_MODEL"
  | "INTERNAL";

/** One problem found while validating something: where, what was expected, what was found. */
export interface Problem {
  readonly code: string;
  /** Where the problem is: a column, a parameter, a file, a YAML path (`problem.target`). */
  readonly path: string;
  readonly message: string;
  readonly expected?: string;
  readonly received?: unknown;
}

/** The structured parts of a `KeelError`: the field (`path`), what was expected and received, the problems found. */
export interface KeelErrorFields {
  path?: string;
  expected?: string;
  received?: unknown;
  problems?: readonly Problem[];
  cause?: unknown;
}

/**
 * Base class of every error Keel throws on purpose.
 * @example
 * ```ts
 * try { await readTable("missing.csv"); } catch (e) { if (e instanceof KeelError) console.error(e.code, e.message); }
 * ```
 */
export class KeelError extends Error {
  readonly code: ErrorCode;
  readonly path?: string;
  readonly expected?: string;
  readonly received?: unknown;
  readonly problems: readonly Problem[];

  constructor(code: ErrorCode, message: string, fields: KeelErrorFields = {}) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.name = new.target.name;
    this.code = code;
    this.path = fields.path;
    this.expected = fields.expected;
    this.received = fields.received;
    this.problems = fields.problems ?? [];
  }

  /** The error as a problem record (the same fields validation reports use). */
  toProblem(): Problem {
    return {
      code: this.code,
      path: this.path ?? "",
      message: this.message,
      ...(this.expected === undefined ? {} : { expected: this.expected }),
      ...(this.received === undefined ? {} : { received: this.received }),
    };
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, ...this.toProblem(), problems: this.problems };
  }
}

/**
 * Bad input from a user: a parameter, a value, a file's content.
 * @example
 * ```ts
 * throw new InvalidInputError(`maxDepth must be ≥ 1, got ${show(0)}`, { path: "maxDepth", expected: "an integer ≥ 1", received: 0 });
 * ```
 */
export class InvalidInputError extends KeelError {
  constructor(message: string, fields: KeelErrorFields = {}) {
    super("INVALID_INPUT", message, fields);
  }
}

/**
 * Data does not match the schema a model or a store expects.
 * @example
 * ```ts
 * throw new SchemaMismatchError("column 'age' is missing", { path: "age", expected: "a numeric column" });
 * ```
 */
export class SchemaMismatchError extends KeelError {
  constructor(message: string, fields: KeelErrorFields = {}) {
    super("SCHEMA_MISMATCH", message, fields);
  }
}

/**
 * Something named does not exist: a run, a model version, a file, a column.
 * @example
 * ```ts
 * throw new NotFoundError(`run ${show("abc")} not found`, { path: "run_id", received: "abc" });
 * ```
 */
export class NotFoundError extends KeelError {
  constructor(message: string, fields: KeelErrorFields = {}) {
    super("NOT_FOUND", message, fields);
  }
}

/**
 * Creating something whose name is taken: an experiment, a registered model, an alias.
 * @example
 * ```ts
 * throw new AlreadyExistsError("experiment 'credit' already exists", { path: "name", received: "credit" });
 * ```
 */
export class AlreadyExistsError extends KeelError {
  constructor(message: string, fields: KeelErrorFields = {}) {
    super("ALREADY_EXISTS", message, fields);
  }
}

/**
 * The request conflicts with the current state (a run already finished, a stage change raced another).
 * @example
 * ```ts
 * throw new ConflictError("run is already FINISHED", { path: "status" });
 * ```
 */
export class ConflictError extends KeelError {
  constructor(message: string, fields: KeelErrorFields = {}) {
    super("CONFLICT", message, fields);
  }
}

/**
 * No valid credentials were given (HTTP 401).
 * @example
 * ```ts
 * throw new UnauthenticatedError("a bearer token is required");
 * ```
 */
export class UnauthenticatedError extends KeelError {
  constructor(message: string, fields: KeelErrorFields = {}) {
    super("UNAUTHENTICATED", message, fields);
  }
}

/**
 * The credentials are valid but their role may not do this (HTTP 403).
 * @example
 * ```ts
 * throw new ForbiddenError("the token's role 'reader' cannot write runs");
 * ```
 */
export class ForbiddenError extends KeelError {
  constructor(message: string, fields: KeelErrorFields = {}) {
    super("FORBIDDEN", message, fields);
  }
}

/**
 * A file or network operation failed for a reason outside Keel's control.
 * @example
 * ```ts
 * throw new IoError("could not write /tmp/model", { path: "/tmp/model", cause: new Error("ENOSPC") });
 * ```
 */
export class IoError extends KeelError {
  constructor(message: string, fields: KeelErrorFields = {}) {
    super("IO_ERROR", message, fields);
  }
}

/**
 * A valid request Keel does not support (an unknown file format or URI scheme).
 * @example
 * ```ts
 * throw new UnsupportedError("unknown extension '.xls'", { path: "file", expected: ".csv, .parquet, …", received: ".xls" });
 * ```
 */
export class UnsupportedError extends KeelError {
  constructor(message: string, fields: KeelErrorFields = {}) {
    super("UNSUPPORTED", message, fields);
  }
}

/**
 * An operation stopped because its `AbortSignal` fired.
 * @example
 * ```ts
 * if (signal.aborted) throw new CancelledError();
 * ```
 */
export class CancelledError extends KeelError {
  constructor(message = "operation cancelled", fields: KeelErrorFields = {}) {
    super("CANCELLED", message, fields);
  }
}

/**
 * A saved model that fails its checksum, its signature or the manifest validation: the message
 * names the file and the field (`path`); the CLI exits 1, the server answers 422.
 * @example
 * ```ts
 * try { loadModel("model"); } catch (e) { if (e instanceof CorruptModelError) console.error(e.path, e.message); }
 * ```
 */
export class CorruptModelError extends KeelError {
  constructor(message: string, fields: KeelErrorFields = {}) {
    super("CORRUPT_MODEL", message, fields);
  }
}

/**
 * True for errors Keel raised on purpose (user mistakes), false for bugs.
 * @example
 * ```ts
 * try { await readTable("data.csv"); } catch (e) { if (!isKeelError(e)) throw e; console.error(e.message); }
 * ```
 */
export function isKeelError(e: unknown): e is KeelError {
  return e instanceof KeelError;
}

/**
 * Render a value for an error message: short, quoted when a string.
 * @example
 * ```ts
 * show("abc"); // '"abc"'
 * show([1, 2, 3]); // "[1,2,3]"
 * ```
 */
export function show(value: unknown, max = 60): string {
  let s: string;
  if (typeof value === "string") s = JSON.stringify(value);
  else if (typeof value === "number" || typeof value === "boolean" || value == null) s = String(value);
  else {
    try {
      s = JSON.stringify(value) ?? String(value);
    } catch {
      s = String(value);
    }
  }
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
