/** `keel schema infer` and `keel validate`: write down what the data looks like, then check new data against it. */
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { NotFoundError, show } from "../../core/index.js";
import { readTable } from "../../data/io/index.js";
import { formatValidationReport, inferSchema, parseSchema, validate } from "../../data/schema/index.js";
import { action, jsonOption, withExamples } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { printJson } from "../output.js";
import { COMMAND_INFO } from "./catalog.js";
import { addDataOptions, type DataFlags, readOptions } from "./data-options.js";

export function registerSchema(program: Command): void {
  const schema = program.command("schema").description(COMMAND_INFO.schema.description);
  const infer = schema
    .command("infer")
    .description("infer a schema of expectations (kinds, nulls, ranges, categories, uniqueness, row count) from a file")
    .argument("<file>", "data file")
    .option("-o, --out <schema.json>", "write the schema here (default: print it)");
  jsonOption(infer, "print the schema as JSON, also with --out");
  addDataOptions(infer);
  withExamples(infer, "keel schema infer examples/credit/credit_data.csv --out credit.schema.json");
  const keelYaml = schema
    .command("keel-yaml")
    .description("print keel.yaml's JSON Schema (for editors: `# yaml-language-server: $schema=<file>`)")
    .option("-o, --out <file>", "write it here (default: print it)");
  jsonOption(keelYaml, "print the JSON Schema, also with --out");
  withExamples(keelYaml, "keel schema keel-yaml --out keel.yaml.schema.json");
  keelYaml.action(
    action(async (flags: { out?: string; json?: boolean }) => {
      const { keelYamlJsonSchemaText } = await import("../../project/index.js");
      const text = keelYamlJsonSchemaText();
      if (flags.out) {
        const folder = path.dirname(path.resolve(flags.out));
        if (!existsSync(folder)) throw new NotFoundError(`folder ${show(folder)} does not exist; cannot write ${show(flags.out)}`, { path: "--out", expected: "a file in an existing folder", received: flags.out });
        writeFileSync(flags.out, text);
      }
      if (flags.json || !flags.out) process.stdout.write(text);
      else process.stderr.write(`keel.yaml's JSON Schema written to ${flags.out}\n`);
    }),
  );
  infer.action(
    action(async (file: string, flags: DataFlags & { out?: string; json?: boolean }) => {
      const s = inferSchema(await readTable(file, readOptions(flags)));
      if (flags.out) writeFileSync(flags.out, JSON.stringify(s, null, 2) + "\n");
      if (flags.json || !flags.out) printJson(s);
      else process.stderr.write(`schema for ${Object.keys(s.columns).length} columns written to ${flags.out}\n`);
    }),
  );
}

export function registerValidate(program: Command): void {
  const cmd = program
    .command("validate")
    .description("check a data file against a schema; exits 1 when any expectation fails")
    .argument("<file>", "data file")
    .requiredOption("-s, --schema <schema.json>", "a schema written by `keel schema infer` (edit it to tighten expectations)")
    .option("--all", "list passing expectations too");
  jsonOption(cmd, "print the validation report as JSON");
  addDataOptions(cmd);
  withExamples(cmd, "keel validate new-applications.csv --schema credit.schema.json");
  cmd.action(
    action(async (file: string, flags: DataFlags & { schema: string; json?: boolean; all?: boolean }) => {
      if (!existsSync(flags.schema)) throw new NotFoundError(`schema file ${show(flags.schema)} does not exist`, { path: flags.schema, expected: "a schema JSON file" });
      const schema = parseSchema(readFileSync(flags.schema, "utf8"), flags.schema);
      const report = validate(await readTable(file, readOptions(flags)), schema);
      if (flags.json) printJson(report);
      else process.stdout.write(formatValidationReport(report, { all: flags.all }) + "\n");
      return report.ok ? EXIT.ok : EXIT.failed;
    }),
  );
}
