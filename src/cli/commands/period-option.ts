/** The period options of the monitoring commands: `--since` / `--until` durations back from now, `--window`. */
import { show } from "../../core/index.js";
import type { WindowSize } from "../../monitor/index.js";
import { UsageError } from "../exit-codes.js";
import { parseDuration } from "./store-option.js";

/** `--window`: hour or day. */
export function windowSize(text: string): WindowSize {
  if (text !== "hour" && text !== "day") throw new UsageError(`--window must be hour or day, got ${show(text)}`, { path: "--window", expected: "hour or day", received: text });
  return text;
}

/** `--since` / `--until` durations back from now → the period [since, until). */
export function period(since: string, until?: string): { since: number; until: number } {
  const now = Date.now();
  const from = now - parseDuration(since, "--since");
  const to = until === undefined ? now : now - parseDuration(until, "--until");
  if (!(to > from)) throw new UsageError(`--until ${show(until)} must be more recent than --since ${show(since)}`, { path: "--until", expected: "a shorter duration than --since", received: until });
  return { since: from, until: to };
}
