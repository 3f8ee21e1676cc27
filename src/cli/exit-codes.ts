/**
 * The exit codes of every `keel` command — one table, so a CI pipeline can gate on them:
 *
 * | code | name            | meaning                                                                            |
 * |------|-----------------|------------------------------------------------------------------------------------|
 * | 0    | `ok`            | the command did what was asked                                                     |
 * | 1    | `failed`        | an error (bad data, a missing file or model, a store refusing) or a check that failed (`validate`, a refused promotion, `gc` that could not remove everything) |
 * | 2    | `usage`         | the command line itself is wrong: an unknown command or option, a missing argument, an option value of the wrong form |
 * | 3    | `notGoodEnough` | the command ran, but the model it produced is not good enough: below `good_enough` or not better than the baseline (`run`, `retrain`) |
 * | 70   | `internal`      | a bug in Keel (EX_SOFTWARE of BSD's sysexits.h)                                    |
 *
 * With `--json`, an error is printed on stdout as `{"error": {"code", "message", "problems"}}`
 * with the same exit code; `code` is the error's stable code (`INVALID_INPUT`, `NOT_FOUND`, ...),
 * `USAGE` for a wrong command line, `INTERNAL` for a bug.
 */
import { InvalidInputError, isKeelError, type KeelErrorFields, type Problem } from "../core/index.js";

/** Exit codes by name; see the module comment for the table. */
export const EXIT = { ok: 0, failed: 1, usage: 2, notGoodEnough: 3, internal: 70 } as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** What each exit code means, in the order of the table (the README and `keel --help` print it). */
export const EXIT_MEANINGS: readonly { code: ExitCode; name: keyof typeof EXIT; meaning: string }[] = [
  { code: EXIT.ok, name: "ok", meaning: "done" },
  { code: EXIT.failed, name: "failed", meaning: "an error, or a check that failed (validate, a refused promotion)" },
  { code: EXIT.usage, name: "usage", meaning: "a wrong command line: unknown command or option, missing argument, malformed option value" },
  { code: EXIT.notGoodEnough, name: "notGoodEnough", meaning: "ran, but the model is not good enough (below good_enough or not beating the baseline: run, retrain)" },
  { code: EXIT.internal, name: "internal", meaning: "internal error (a bug in Keel)" },
];

/**
 * A wrong command line found by a command itself (an option value of the wrong form, arguments
 * that do not go together): exit 2, like the parse errors commander reports.
 */
export class UsageError extends InvalidInputError {
  readonly usage = true;
  constructor(message: string, fields: KeelErrorFields = {}) {
    super(message, fields);
  }

  override toProblem(): Problem {
    return { ...super.toProblem(), code: "USAGE" };
  }
}

/** True for a `UsageError`. */
export function isUsageError(e: unknown): e is UsageError {
  return e instanceof UsageError;
}

/** The exit code an error ends a command with: usage 2, Keel's own errors 1, anything else (a bug) 70. */
export function exitCodeOf(e: unknown): ExitCode {
  if (isUsageError(e)) return EXIT.usage;
  if (isKeelError(e)) return EXIT.failed;
  return EXIT.internal;
}
