/**
 * `keel`: the command line. Each command lives in `commands/<name>.ts` and registers itself on
 * the program; `main` parses, runs and returns the exit code.
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { state } from "./command.js";
import { COMMANDS } from "./commands/index.js";
import { EXIT } from "./output.js";

function version(): string {
  try {
    return JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version;
  } catch {
    return "unknown";
  }
}

export function buildProgram(): Command {
  const program = new Command("keel")
    .description("Keel: the machine-learning lifecycle — data, training, evaluation, tracking, registry, serving, monitoring")
    .version(version(), "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const register of COMMANDS) register(program);
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

/** Run the CLI with `argv` (as process.argv); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  state.exitCode = EXIT.ok;
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return EXIT.ok;
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    throw e;
  }
  return state.exitCode;
}
