/**
 * Step 1 of `keel run`: load the data keel.yaml names, check the columns it mentions, and
 * validate the data against the schema kept beside keel.yaml (written on the first run).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { InvalidInputError, SchemaMismatchError, show } from "../../core/errors.js";
import { cellValue, type ColumnKind } from "../../data/column.js";
import type { Frame } from "../../data/frame.js";
import { readTable } from "../../data/io/index.js";
import { type ValidationReport, formatValidationReport, inferSchema, parseSchema, validate } from "../../data/schema/index.js";
import { checkColumns, type Project } from "../../project/config.js";

export const SCHEMA_FILE = "keel.schema.json";

export interface LoadedData {
  /** Every row with a target, the dropped columns removed. */
  frame: Frame;
  /** Rows left out because their target was missing. */
  missingTarget: number;
  validation: ValidationReport;
  /** True when this run wrote the schema (first run). */
  schemaWritten: boolean;
  schemaFile: string;
}

/** Read the data source (a file relative to the project, or `sql:` over files). */
export async function readSource(project: Project): Promise<Frame> {
  const { source, categorical } = project.config.data;
  const kinds: Record<string, ColumnKind> = {};
  for (const c of categorical) kinds[c] = "categorical";
  const options = Object.keys(kinds).length > 0 ? { kinds } : {};
  if (source.startsWith("sql:")) {
    // file paths in the query are relative to keel.yaml, as a file source is
    const previous = process.cwd();
    process.chdir(project.dir);
    try {
      return await readTable(source, options);
    } finally {
      process.chdir(previous);
    }
  }
  const file = path.resolve(project.dir, source);
  if (!existsSync(file)) {
    throw new InvalidInputError(`${project.locate("data.source")}: data source ${show(source)} does not exist (looked for ${file})`, { path: "data.source", expected: "a data file relative to keel.yaml", received: source });
  }
  return readTable(file, options);
}

export async function loadData(project: Project): Promise<LoadedData> {
  const raw = await readSource(project);
  const problems = checkColumns(project, raw.names);
  if (problems.length > 0) {
    throw new InvalidInputError(problems.length === 1 ? problems[0].message : `${problems.length} problems with the columns keel.yaml names:\n${problems.map((p) => `  ${p.message}`).join("\n")}`, {
      path: problems[0].path,
      problems,
    });
  }
  const { target } = project.config.problem;
  const frame0 = project.config.data.drop.length > 0 ? raw.drop(project.config.data.drop) : raw;

  const schemaFile = path.join(project.dir, SCHEMA_FILE);
  let schemaWritten = false;
  let schema;
  if (existsSync(schemaFile)) {
    schema = parseSchema(readFileSync(schemaFile, "utf8"), path.relative(process.cwd(), schemaFile) || schemaFile);
  } else {
    schema = inferSchema(frame0);
    writeFileSync(schemaFile, JSON.stringify(schema, null, 2) + "\n");
    schemaWritten = true;
  }
  const validation = validate(frame0, schema);
  if (!validation.ok) {
    throw new SchemaMismatchError(`the data no longer matches ${SCHEMA_FILE} (delete it to accept the new data as the reference):\n${formatValidationReport(validation)}`, {
      path: SCHEMA_FILE,
      problems: validation.problems,
    });
  }

  const col = frame0.column(target);
  const keep: number[] = [];
  for (let i = 0; i < frame0.nRows; i++) if (cellValue(col, i) !== null) keep.push(i);
  const frame = keep.length === frame0.nRows ? frame0 : frame0.take(keep);
  if (frame.nRows < 10) {
    throw new InvalidInputError(`only ${frame.nRows} rows have a value for the target ${show(target)}; a model needs more`, { path: "problem.target", expected: "at least 10 labelled rows", received: frame.nRows });
  }
  return { frame, missingTarget: frame0.nRows - frame.nRows, validation, schemaWritten, schemaFile };
}
