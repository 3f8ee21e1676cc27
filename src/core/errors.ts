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

export interface KeelErrorFields {
  path?: string;
  expected?: string;
  received?: unknown;
  problems?: readonly Problem[];
  cause?: unknown;
}

/** Base class of every error Keel throws on purpose. */
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

/** Bad input from a user: a parameter, a value, a file's content. */
export class InvalidInputError extends KeelError {
  constructor(message: string, fields: KeelErrorFields = {}) {
    super("INVALID_INPUT", message, fields);
  }
}

/** Data does not match the schema a model or a store expects. */
export class SchemaMismatchError extends KeelError {
  constructor(message: string, fields: KeelErrorFields = {}) {
    super("SCHEMA_MISMATCH", message, fields);
  }
}

export class NotFoundError extends KeelError {
  constructor(message: string, fields: KeelErrorFields = {}) {
    super("NOT_FOUND", message, fields);
  }
}

export class AlreadyExistsError extends KeelError {
  constructor(message: string, fields: KeelErrorFields = {}) {
    super("ALREADY_EXISTS", message, fields);
  }
}

export class ConflictError extends KeelError {
  constructor(message: string, fields: KeelErrorFields = {}) {
    super("CONFLICT", message, fields);
  }
}

export class UnauthenticatedError extends KeelError {
  constructor(message: string, fields: KeelErrorFields = {}) {
    super("UNAUTHENTICATED", message, fields);
  }
}

export class ForbiddenError extends KeelError {
  constructor(message: string, fields: KeelErrorFields = {}) {
    super("FORBIDDEN", message, fields);
  }
}

/** A file or network operation failed for a reason outside Keel's control. */
export class IoError extends KeelError {
  constructor(message: string, fields: KeelErrorFields = {}) {
    super("IO_ERROR", message, fields);
  }
}

export class UnsupportedError extends KeelError {
  constructor(message: string, fields: KeelErrorFields = {}) {
    super("UNSUPPORTED", message, fields);
  }
}

export class CancelledError extends KeelError {
  constructor(message = "operation cancelled", fields: KeelErrorFields = {}) {
    super("CANCELLED", message, fields);
  }
}

/**
 * A saved model that fails its checksum, its signature or the manifest validation: the message
 * names the file and the field (`path`); the CLI exits 1, the server answers 422.
 */
export class CorruptModelError extends KeelError {
  constructor(message: string, fields: KeelErrorFields = {}) {
    super("CORRUPT_MODEL", message, fields);
  }
}

/** True for errors Keel raised on purpose (user mistakes), false for bugs. */
export function isKeelError(e: unknown): e is KeelError {
  return e instanceof KeelError;
}

/** Render a value for an error message: short, quoted when a string. */
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
