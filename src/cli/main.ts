/**
 * `keel`: the command line. Each command lives in `commands/<name>.ts` and registers itself on
 * the program; `main` loads only the command it is asked to run (start-up stays near Node's own:
 * `keel --help` and `--version` load no command at all), parses, runs and returns the exit code.
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError, Help } from "commander";
import { state } from "./command.js";
import { COMMAND_INFO, COMMANDS } from "./commands/index.js";
import { EXIT } from "./output.js";

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
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
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

/** Run the CLI with `argv` (as process.argv); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  state.exitCode = EXIT.ok;
  const program = await buildProgram(argv.slice(2));
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
