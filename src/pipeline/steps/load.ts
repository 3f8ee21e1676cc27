/**
 * Loading keel.yaml's data: where it is read from (`sourceOf`, for the read step), and the
 * "validate" step — check the columns keel.yaml mentions and validate the data against the schema
 * kept beside keel.yaml (written on the first run).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { InvalidInputError, SchemaMismatchError, show } from "../../core/errors.js";
import { cellValue, type ColumnKind } from "../../data/column.js";
import { frameHash } from "../../data/frame-hash.js";
import type { Frame } from "../../data/frame.js";
import type { ValidationReport } from "../../data/schema/index.js";
import { checkColumns, type Project } from "../../project/config.js";
import type { CacheValue } from "../cache-value.js";
import { step } from "../step.js";
import type { ReadInputs } from "./read.js";

export const SCHEMA_FILE = "keel.schema.json";

export interface LoadedData {
  /** Every row with a target, the dropped columns removed. */
  frame: Frame;
  /** Content hash of `frame`: the data hash of lineage. */
  dataHash: string;
  /** Rows left out because their target was missing. */
  missingTarget: number;
  validation: ValidationReport;
}

/** The schema kept beside keel.yaml, as text; written from the data on the first run. */
export interface KeptSchema {
  file: string;
  text: string;
  /** True when this run wrote it. */
  written: boolean;
}

/**
 * The read step's inputs for keel.yaml's `data.source` (a file relative to the project, or `sql:`
 * over files), with the column types `data.types` declares.
 */
export function sourceOf(project: Project): ReadInputs {
  const { source, types } = project.config.data;
  const kinds: Record<string, ColumnKind> = {};
  const dateFormats: Record<string, string> = {};
  for (const [col, t] of Object.entries(types)) {
    kinds[col] = t.kind;
    if (t.format !== null) dateFormats[col] = t.format;
  }
  const options = { ...(Object.keys(kinds).length > 0 ? { kinds } : {}), ...(Object.keys(dateFormats).length > 0 ? { dateFormats } : {}) };
  if (!source.startsWith("sql:") && !existsSync(path.resolve(project.dir, source))) {
    throw new InvalidInputError(`${project.locate("data.source")}: data source ${show(source)} does not exist (looked for ${path.resolve(project.dir, source)})`, { path: "data.source", expected: "a data file relative to keel.yaml", received: source });
  }
  return { source, dir: project.dir, options };
}

/** The data keel.yaml uses: the dropped columns removed. */
function kept(project: Project, raw: Frame): Frame {
  return project.config.data.drop.length > 0 ? raw.drop(project.config.data.drop) : raw;
}

/**
 * Step "schema": check that the columns keel.yaml names are in the data, then read the schema kept
 * beside keel.yaml — inferring and writing it when there is none yet (the first run). Never cached:
 * it reads (and may write) the project folder.
 */
export const schemaStep = step<{ project: Project; raw: Frame }, KeptSchema>({
  name: "schema",
  label: () => "check the columns",
  async run({ project, raw }) {
    const problems = checkColumns(project, raw.names);
    if (problems.length > 0) {
      throw new InvalidInputError(problems.length === 1 ? problems[0].message : `${problems.length} problems with the columns keel.yaml names:\n${problems.map((p) => `  ${p.message}`).join("\n")}`, {
        path: problems[0].path,
        problems,
      });
    }
    const file = path.join(project.dir, SCHEMA_FILE);
    if (existsSync(file)) return { file, text: readFileSync(file, "utf8"), written: false };
    const { inferSchema } = await import("../../data/schema/index.js");
    const text = JSON.stringify(inferSchema(kept(project, raw)), null, 2) + "\n";
    writeFileSync(file, text);
    return { file, text, written: true };
  },
});

export interface ValidateInputs {
  project: Project;
  raw: Frame;
  /** The read step's cache key (what identifies `raw`'s content); null when the read is not cached. */
  rawKey: string | null;
  schema: KeptSchema;
}

/**
 * Step "validate": validate the data against the kept schema and keep the labelled rows. Cached by
 * the data read, the columns dropped, the target and the schema's text; the rows kept are stored,
 * not the frame.
 */
export const validateStep = step<ValidateInputs, LoadedData>({
  name: "validate",
  key: (i) => (i.rawKey === null ? undefined : { raw: i.rawKey, drop: i.project.config.data.drop, target: i.project.config.problem.target, schema: i.schema.text }),
  async run({ project, raw, schema: keptSchema }) {
    const { formatValidationReport, parseSchema, validate } = await import("../../data/schema/index.js");
    const frame0 = kept(project, raw);
    const schema = parseSchema(keptSchema.text, path.relative(process.cwd(), keptSchema.file) || keptSchema.file);
    const validation = validate(frame0, schema);
    if (!validation.ok) {
      throw new SchemaMismatchError(`the data no longer matches ${SCHEMA_FILE} (delete it to accept the new data as the reference):\n${formatValidationReport(validation)}`, {
        path: SCHEMA_FILE,
        problems: validation.problems,
      });
    }
    const { target } = project.config.problem;
    const frame = labelledRows(frame0, target);
    if (frame.nRows < 10) {
      throw new InvalidInputError(`only ${frame.nRows} rows have a value for the target ${show(target)}; a model needs more`, { path: "problem.target", expected: "at least 10 labelled rows", received: frame.nRows });
    }
    return { frame, dataHash: frameHash(frame), missingTarget: frame0.nRows - frame.nRows, validation };
  },
  save: (d, _dir, { project, raw }) => ({ keep: labelledIndex(kept(project, raw), project.config.problem.target), dataHash: d.dataHash, missingTarget: d.missingTarget, validation: d.validation as unknown as CacheValue }),
  load(value, _dir, { project, raw }) {
    const v = value as unknown as Omit<LoadedData, "frame"> & { keep: Int32Array | null };
    const frame0 = kept(project, raw);
    return { frame: v.keep ? frame0.take(v.keep) : frame0, dataHash: v.dataHash, missingTarget: v.missingTarget, validation: v.validation };
  },
});

/** The rows whose target is present (the frame itself when all are). */
export function labelledRows(frame: Frame, target: string): Frame {
  const keep = labelledIndex(frame, target);
  return keep ? frame.take(keep) : frame;
}

/** Indices of the rows whose target is present; null when all are. */
function labelledIndex(frame: Frame, target: string): Int32Array | null {
  const col = frame.column(target);
  const keep: number[] = [];
  for (let i = 0; i < frame.nRows; i++) if (cellValue(col, i) !== null) keep.push(i);
  return keep.length === frame.nRows ? null : Int32Array.from(keep);
}
