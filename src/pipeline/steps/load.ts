/**
 * Loading keel.yaml's data: where it is read from (`sourceOf`, for the read step), and the
 * "validate" step — check the columns keel.yaml mentions and validate the data against the schema
 * kept beside keel.yaml (written on the first run).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { InvalidInputError, SchemaMismatchError, show } from "../../core/errors.js";
import { cellValue, type ColumnKind } from "../../data/column.js";
import type { Frame } from "../../data/frame.js";
import { type ValidationReport, formatValidationReport, inferSchema, parseSchema, validate } from "../../data/schema/index.js";
import { checkColumns, type Project } from "../../project/config.js";
import { step } from "../step.js";
import type { ReadInputs } from "./read.js";

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

/** The read step's inputs for keel.yaml's `data.source`: a file relative to the project, or `sql:` over files. */
export function sourceOf(project: Project): ReadInputs {
  const { source, categorical } = project.config.data;
  const kinds: Record<string, ColumnKind> = {};
  for (const c of categorical) kinds[c] = "categorical";
  const options = Object.keys(kinds).length > 0 ? { kinds } : {};
  if (!source.startsWith("sql:") && !existsSync(path.resolve(project.dir, source))) {
    throw new InvalidInputError(`${project.locate("data.source")}: data source ${show(source)} does not exist (looked for ${path.resolve(project.dir, source)})`, { path: "data.source", expected: "a data file relative to keel.yaml", received: source });
  }
  return { source, dir: project.dir, options };
}

/** Step "validate": check the columns keel.yaml names, drop columns, validate against the kept schema, keep labelled rows. */
export const validateStep = step<{ project: Project; raw: Frame }, LoadedData>({
  name: "validate",
  label: () => "validate",
  run: ({ project, raw }) => loadData(project, raw),
});

function loadData(project: Project, raw: Frame): LoadedData {
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

  const frame = labelledRows(frame0, target);
  if (frame.nRows < 10) {
    throw new InvalidInputError(`only ${frame.nRows} rows have a value for the target ${show(target)}; a model needs more`, { path: "problem.target", expected: "at least 10 labelled rows", received: frame.nRows });
  }
  return { frame, missingTarget: frame0.nRows - frame.nRows, validation, schemaWritten, schemaFile };
}

/** The rows whose target is present (the frame itself when all are). */
export function labelledRows(frame: Frame, target: string): Frame {
  const col = frame.column(target);
  const keep: number[] = [];
  for (let i = 0; i < frame.nRows; i++) if (cellValue(col, i) !== null) keep.push(i);
  return keep.length === frame.nRows ? frame : frame.take(keep);
}
