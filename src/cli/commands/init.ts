/** `keel init`: write a first, commented keel.yaml from a data file. */
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { COMMAND_INFO } from "./catalog.js";
import { AlreadyExistsError, show, progress } from "../../core/index.js";
import { readTable } from "../../data/io/index.js";
import { profile } from "../../data/profile/index.js";
import { parseProjectText, chooseTarget, initProjectYaml } from "../../project/index.js";
import { action, jsonOption, withExamples } from "../command.js";
import { printJson } from "../output.js";
import { addDataOptions, type DataFlags, readOptions } from "./data-options.js";

export function registerInit(program: Command): void {
  const cmd = program
    .command("init")
    .description(COMMAND_INFO.init.description)
    .argument("<data-file>", "the data to learn from")
    .option("-t, --target <col>", "the column to predict (default: a column named target, label, class, ...)")
    .option("-d, --dir <folder>", "where to write keel.yaml", ".")
    .option("--name <name>", "project name (default: the data file's name)")
    .option("--force", "overwrite an existing keel.yaml");
  jsonOption(cmd, "print {file, config} (the keel.yaml written, parsed) as JSON instead of its text");
  addDataOptions(cmd);
  withExamples(cmd, "keel init data/credit_data.csv --target Status");
  cmd.action(
    action(async (file: string, flags: DataFlags & { target?: string; dir: string; name?: string; force?: boolean; json?: boolean }) => {
      const out = path.join(flags.dir, "keel.yaml");
      if (existsSync(out) && !flags.force) throw new AlreadyExistsError(`${show(out)} exists; pass --force to overwrite it`, { path: out });
      progress("reading", 0);
      const frame = await readTable(file, readOptions(flags));
      const target = chooseTarget(frame, flags.target);
      progress("profiling", 0);
      const p = profile(frame, { target });
      const source = path.relative(path.resolve(flags.dir), path.resolve(file)) || path.basename(file);
      const types = { ...Object.fromEntries((flags.categorical ?? []).map((c) => [c, "categorical" as const])), ...Object.fromEntries((flags.text ?? []).map((c) => [c, "text" as const])) };
      const text = initProjectYaml(frame, p, { source, target, name: flags.name, dir: flags.dir, types });
      const check = parseProjectText(text, out);
      if (!check.config) throw new Error(`keel init wrote an invalid keel.yaml: ${check.problems.map((x) => x.message).join("; ")}`);
      writeFileSync(out, text);
      if (flags.json) return printJson({ file: out, config: check.config });
      process.stdout.write(text);
      process.stderr.write(`\nwrote ${out}: check the target, metric and good_enough, then run \`keel run ${flags.dir}\`\n`);
    }),
  );
}
