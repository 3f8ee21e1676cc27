/**
 * Durations as people write them in keel.yaml and on the command line: a number and a unit —
 * `500ms`, `45s`, `30m` or `30min`, `12h`, `7d`, `2w` (case-insensitive; `m` is minutes, never
 * months). One grammar for every option and field that takes a span of time.
 */
import { InvalidInputError, show } from "./errors.js";

/** Milliseconds per unit. */
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** The duration grammar (for schema validators such as keel.yaml's). */
export const DURATION_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|m|h|d|w)\s*$/i;

/** How the grammar is described in error messages. */
export const DURATION_EXPECTED = "a duration: a number and a unit (ms, s, m or min, h, d, w), e.g. 30m, 12h, 7d";

/**
 * `text` in milliseconds, or null when it is not a duration.
 * @example
 * ```ts
 * durationMs("7d"); // 604800000
 * durationMs("soon"); // null
 * ```
 */
export function durationMs(text: string): number | null {
  const m = DURATION_PATTERN.exec(text);
  return m ? Math.round(Number(m[1]) * UNIT_MS[m[2].toLowerCase()]) : null;
}

/**
 * `text` in milliseconds; INVALID_INPUT naming `field` when it is not a duration.
 *
 * @example
 * parseDuration("30min", "tune.timeout"); // 1_800_000
 */
export function parseDuration(text: string, field = "duration"): number {
  const ms = typeof text === "string" ? durationMs(text) : null;
  if (ms === null) throw new InvalidInputError(`${field} ${show(text)} is not ${DURATION_EXPECTED}`, { path: field, expected: DURATION_EXPECTED, received: text });
  return ms;
}
