/**
 * `keel`: the command line. Each command lives in `commands/<name>.ts` and registers itself on
 * the program; `main` loads only the command it is asked to run (start-up stays near Node's own:
 * `keel --help` and `--version` load no command at all), parses, runs and returns the exit code.
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError, Help } from "commander";
import { state } from "./command.js";
import { COMMAND_INFO, COMMANDS } from "./commands/index.js";
import { EXIT, EXIT_MEANINGS } from "./exit-codes.js";
import { errorJson, printJson, reportError } from "./output.js";

function version(): string {
  try {
    return JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version;
  } catch {
    return "unknown";
  }
}

/** The command `args` (without node and script) invoke: the first word, or the one after `help`. */
function commandOf(args: readonly string[]): string | undefined {
  const words = args.filter((a) => !a.startsWith("-"));
  return words[0] === "help" ? words[1] : words[0];
}

/**
 * The program. For `args`, only the command they invoke is loaded and registered in full; when
 * they invoke none (`--help`, `--version`, an unknown word), every command is listed from
 * `COMMAND_INFO` without loading any. Without `args`, every command is loaded (tests, docs).
 */
export async function buildProgram(args?: readonly string[]): Promise<Command> {
  const program = new Command("keel")
    .description("Keel: the machine-learning lifecycle — data, training, evaluation, tracking, registry, serving, monitoring")
    .version(version(), "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText("after", `\nExit codes:\n${EXIT_MEANINGS.map((m) => `  ${String(m.code).padStart(2)}  ${m.meaning}`).join("\n")}\n\nWith --json, errors are JSON on stdout too: {"error": {"code", "message", "problems"}}.\n`)
    .exitOverride()
    .configureOutput({ writeErr: (s) => (state.json ? undefined : process.stderr.write(s)) });
  const wanted = args && commandOf(args);
  const one = COMMANDS.find((c) => c.name === wanted);
  if (!args || one) {
    for (const c of one ? [one] : COMMANDS) (await c.load())(program);
  } else {
    for (const c of COMMANDS) program.command(c.name).description(COMMAND_INFO[c.name].description);
    const terms: Record<string, { term: string } | undefined> = COMMAND_INFO;
    program.configureHelp({ subcommandTerm: (cmd) => terms[cmd.name()]?.term ?? new Help().subcommandTerm(cmd) });
  }
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

let registered = false;

/**
 * The CLI's estimator kinds: models/ and features/, imported when a command first builds or loads
 * a model (`loadEstimators()`), so commands that need none (a fully cached `keel run`) load no
 * model code; `--help` and `--version` do not even load the registry (estimator/ and its Zod).
 */
export async function registerKeelEstimators(): Promise<void> {
  if (registered) return;
  registered = true;
  const { registerEstimators } = await import("../estimator/index.js");
  registerEstimators(async () => {
    const [models, features] = await Promise.all([import("../models/index.js"), import("../features/index.js")]);
    return [...models.MODEL_ESTIMATORS, ...features.FEATURE_ESTIMATORS];
  });
}

/** True when `--json` is among `args` before a `--` (commander's errors then print as JSON). */
function wantsJson(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  return (end < 0 ? args : args.slice(0, end)).includes("--json");
}

/**
 * Run the CLI with `argv` (as process.argv); resolves to the exit code (exit-codes.ts). A
 * command-line error is a usage error (2), printed by commander or, under `--json`, as JSON.
 */
export async function main(argv: readonly string[]): Promise<number> {
  if (COMMANDS.some((c) => c.name === commandOf(argv.slice(2)))) await registerKeelEstimators();
  state.exitCode = EXIT.ok;
  state.json = wantsJson(argv.slice(2));
  try {
    const program = await buildProgram(argv.slice(2));
    await program.parseAsync([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.exitCode === 0) return EXIT.ok;
      // no command (`keel`, `keel runs`): commander printed the help on stderr
      const message = e.code === "commander.help" ? "no command given; run keel --help for the list" : e.message.replace(/^error: /, "");
      if (state.json) printJson(errorJson("USAGE", message));
      return EXIT.usage;
    }
    return reportError(e, state.json);
  }
  return state.exitCode;
}
