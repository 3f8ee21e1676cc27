/**
 * The shape every CLI command follows: commander for parsing, one action wrapper that installs
 * progress bars, turns errors into one-line messages and sets the exit code.
 */
import { Command } from "commander";
import { withProgress } from "../core/index.js";
import { EXIT } from "./exit-codes.js";
import { reportError } from "./output.js";
import { ProgressBars } from "./progress-bar.js";

/** Set by actions: the exit code `main` returns. */
export const state = { exitCode: EXIT.ok as number, json: false };

/** True when the command commander passes last to an action was given `--json`. */
function jsonRequested(args: readonly unknown[]): boolean {
  const cmd = args[args.length - 1];
  return cmd instanceof Command && cmd.opts().json === true;
}

/**
 * Wrap a command action: progress bars, error reporting (JSON on stdout under `--json`), exit
 * code (return a number from exit-codes.ts to set it).
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<number | void> | number | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const bars = new ProgressBars();
    try {
      const code = await withProgress(bars.report, () => fn(...args));
      bars.done();
      state.exitCode = typeof code === "number" ? code : EXIT.ok;
    } catch (e) {
      bars.done();
      state.exitCode = reportError(e, state.json || jsonRequested(args));
    }
  };
}

/** Add an "Example:" section to a command's --help. */
export function withExamples(cmd: Command, ...examples: string[]): Command {
  return cmd.addHelpText("after", `\nExample${examples.length > 1 ? "s" : ""}:\n${examples.map((e) => `  $ ${e}`).join("\n")}\n`);
}

/** Parse a comma-separated list option ("a,b,c"). */
export function list(value: string): string[] {
  return value.split(",").map((s) => s.trim()).filter(Boolean);
}

/** Parse a positive integer option (or one of at least `min`), naming the option on error. */
export function positiveInt(name: string, min = 1): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min) {
      const err = new Error(`${name} must be ${min === 1 ? "a positive integer" : `an integer ≥ ${min}`}, got ${JSON.stringify(value)}`);
      (err as Error & { code: string }).code = "commander.invalidArgument";
      throw err;
    }
    return n;
  };
}

/** Add `--json`: results as JSON on stdout, and errors as `{"error": {"code", "message", "problems"}}`. */
export function jsonOption(cmd: Command, what = "print the result as JSON"): Command {
  return cmd.option("--json", `${what} (errors too: {"error": {code, message, problems}} on stdout)`);
}
