/** The command list: `keel --help` lists every command without loading any, exactly as the commands define themselves. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Help } from "commander";
import { describe, expect, it } from "vitest";
import { COMMAND_INFO, COMMANDS } from "../../src/cli/commands/index.js";
import { buildProgram } from "../../src/cli/main.js";
import { keel } from "./run-cli.js";

describe("the command list", () => {
  it("matches what each command registers: name, usage term, description, order", async () => {
    const full = await buildProgram();
    const help = new Help();
    expect(full.commands.map((c) => c.name())).toEqual(COMMANDS.map((c) => c.name));
    expect(Object.keys(COMMAND_INFO)).toEqual(COMMANDS.map((c) => c.name));
    for (const cmd of full.commands) {
      const info = COMMAND_INFO[cmd.name() as keyof typeof COMMAND_INFO];
      expect(help.subcommandTerm(cmd), cmd.name()).toBe(info.term);
      expect(cmd.description(), cmd.name()).toBe(info.description);
    }
  });

  it("loads only the command asked for; help and version load none", async () => {
    const listing = await buildProgram(["--help"]);
    expect(listing.commands.map((c) => c.name())).toEqual(COMMANDS.map((c) => c.name));
    expect(listing.commands.every((c) => c.options.length === 0 && c.commands.length === 0)).toBe(true);
    let out = "";
    listing.configureOutput({ writeOut: (t) => (out += t) });
    listing.outputHelp();
    for (const c of COMMANDS) expect(out).toContain(COMMAND_INFO[c.name].term);
    const one = await buildProgram(["runs", "list", "--max", "3"]);
    expect(one.commands.map((c) => c.name())).toEqual(["runs"]);
    expect((await buildProgram(["help", "predict"])).commands.map((c) => c.name())).toEqual(["predict"]);
  });

  it("answers --version, help <command> and an unknown command as before", () => {
    const version = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../package.json"), "utf8")).version;
    expect(keel(["--version"])).toMatchObject({ code: 0, stdout: `${version}\n` });
    const help = keel(["help", "predict"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: keel predict \[options\] <model> <file>[\s\S]*models:\/<name>@<alias>[\s\S]*Examples:/);
    const unknown = keel(["predcit", "x"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'predcit'[\s\S]*\(Did you mean predict\?\)/);
  });
});
